import path from 'node:path';
import { DEFAULT_JOB_RUNS_DIR } from '@fts/domain';
import { jobRunsDir } from './job-runs-dir.js';

describe('jobRunsDir', () => {
  it('is project-relative with forward slashes when the state folder is inside the project', () => {
    expect(jobRunsDir('/p', '/p/.app')).toBe('.app/job_runs');
    expect(jobRunsDir('/p', '/p/state/deep')).toBe('state/deep/job_runs');
  });

  it('matches the domain default for the default state folder', () => {
    expect(jobRunsDir('/p', path.resolve('/p', '.app'))).toBe(DEFAULT_JOB_RUNS_DIR);
  });

  it('is absolute when the state folder is outside the project', () => {
    expect(jobRunsDir('/p', '/var/fts')).toBe('/var/fts/job_runs');
    expect(jobRunsDir('/p/sub', '/p')).toBe('/p/job_runs');
  });
});
