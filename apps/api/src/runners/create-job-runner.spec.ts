import { loadConfig } from '../platform/config/app-config.js';
import { CmlRunner } from './cml/cml-runner.js';
import { createJobRunner, createNamedJobRunner } from './create-job-runner.js';
import { LocalRunner } from './local/local-runner.js';
import { SlurmRunner } from './slurm/slurm-runner.js';

describe('createJobRunner', () => {
  const base = { FTS_PROJECT_ROOT: '/tmp/fts-project' };

  it('is local by default, with FTS_GPU_SLOTS as the concurrency', () => {
    const r = createJobRunner(loadConfig({ ...base, FTS_GPU_SLOTS: '3' }));
    expect(r).toBeInstanceOf(LocalRunner);
    expect((r as LocalRunner).capacity).toBe(3);
  });

  it('is cml when asked and configured, and refuses cml without the CDSW settings', () => {
    const cml = { ...base, CDSW_API_URL: 'https://ml.example/api/v1', CDSW_APIV2_KEY: 'k', CDSW_PROJECT_ID: 'p' };
    const r = createJobRunner(loadConfig({ ...cml, FTS_RUNNER: 'cml' }));
    expect(r).toBeInstanceOf(CmlRunner);
    expect((r as CmlRunner).api.host).toBe('https://ml.example');
    expect(() => createJobRunner(loadConfig({ ...base, FTS_RUNNER: 'cml' }))).toThrow(expect.objectContaining({ code: 'RUNNER.CML_NOT_CONFIGURED' }));
    expect(() => createJobRunner(loadConfig({ ...base, FTS_RUNNER: 'k8s' }))).toThrow(expect.objectContaining({ code: 'RUNNER.UNKNOWN' }));
  });

  it('is slurm when asked (no free-slot accounting: Slurm queues), and refuses malformed Slurm settings', () => {
    const r = createJobRunner(loadConfig({ ...base, FTS_RUNNER: 'slurm', FTS_SLURM_PARTITION: 'gpu', FTS_SLURM_TIME_LIMIT: '4:00:00' }));
    expect(r).toBeInstanceOf(SlurmRunner);
    expect(r.capacity).toBeUndefined();
    expect(r.hasFreeSlot({ gpus: 1000 })).toBe(true);
    expect(() => createJobRunner(loadConfig({ ...base, FTS_RUNNER: 'slurm', FTS_SLURM_TIME_LIMIT: 'a while' }))).toThrow(
      expect.objectContaining({ code: 'RUNNER.SLURM_TIME_LIMIT_INVALID' }),
    );
  });

  it('makes the runner a job names, whatever FTS_RUNNER says', () => {
    expect(createNamedJobRunner('slurm', loadConfig({ ...base, FTS_RUNNER: 'local' }))).toBeInstanceOf(SlurmRunner);
    expect(createNamedJobRunner('local', loadConfig({ ...base, FTS_RUNNER: 'slurm' }))).toBeInstanceOf(LocalRunner);
  });
});
