import path from 'node:path';
import { ConfigError, DEFAULT_CANCEL_GRACE_MS, hubCacheDir, loadConfig, stallLimitMs } from './app-config.js';

describe('loadConfig', () => {
  const root = '/tmp/fts-config-project';
  const base = { FTS_PROJECT_ROOT: root };

  it('gives every section its defaults', () => {
    const c = loadConfig(base, '/elsewhere');
    expect(c).toMatchObject({
      projectRoot: root,
      stateDir: path.join(root, '.app'),
      dbPath: path.join(root, '.app', 'state.db'),
      grpcPort: 50051,
      httpPort: 8080,
      hfTimeoutMs: 10000,
      durability: 'group',
      streamStallMs: 30_000,
      loopDelayReport: undefined,
      supervisor: { tickMs: 200, cancelGraceMs: DEFAULT_CANCEL_GRACE_MS, retryBackoffMs: 10_000 },
      runner: { kind: 'local', slurm: {} },
    });
    expect(c.runner.gpuSlots).toBeUndefined();
    expect(c.supervisor.templates.overrideOptions).toEqual({});
    expect(c.supervisor.templates.override).toBeUndefined();
    expect(c.runner.jobEnv).toEqual(base);
  });

  it('reads the supervisor, runner, template and transport settings', () => {
    const c = loadConfig({
      ...base,
      FTS_SUPERVISOR_TICK_MS: '50',
      FTS_CANCEL_GRACE_MS: '250',
      FTS_RETRY_BACKOFF_MS: '0',
      FTS_RUNNER: ' Slurm ',
      FTS_GPU_SLOTS: '2',
      FTS_CML_LAUNCHER: 'l.py',
      FTS_CML_PREDICT_SCRIPT: 'p.py',
      FTS_SLURM_BIN_DIR: ' /opt/slurm/bin ',
      FTS_SLURM_PARTITION: 'gpu',
      FTS_SLURM_ACCOUNT: '',
      FTS_SLURM_RDZV_PORT: '29400',
      FTS_JOB_TEMPLATE: 'job-templates/testing/progress_only.py',
      FTS_JOB_TEMPLATE_OPTIONS: '{"steps": 2}',
      FTS_PYTHON: '/usr/bin/python3',
      FTS_DURABILITY: ' FULL ',
      FTS_STREAM_STALL_MS: '2000',
      FTS_WEB_DIR: 'web',
      FTS_LOOP_DELAY_REPORT: '/tmp/loop.json',
      HF_HOME: '/hf',
    });
    expect(c.supervisor).toMatchObject({
      tickMs: 50,
      cancelGraceMs: 250,
      retryBackoffMs: 0,
      templates: { override: path.join(root, 'job-templates/testing/progress_only.py'), overrideOptions: { steps: 2 }, python: '/usr/bin/python3' },
    });
    expect(c.runner).toMatchObject({
      kind: 'slurm',
      gpuSlots: 2,
      cmlLauncher: 'l.py',
      cmlPredictScript: 'p.py',
      slurm: { binDir: '/opt/slurm/bin', partition: 'gpu', account: undefined, rdzvPort: 29400 },
    });
    expect(c).toMatchObject({ durability: 'full', streamStallMs: 2000, webDir: path.resolve('web'), loopDelayReport: '/tmp/loop.json', hfHubCacheDir: '/hf/hub' });
  });

  it('falls back to the default where a bad value always did', () => {
    const c = loadConfig({ ...base, FTS_CANCEL_GRACE_MS: 'soon', FTS_GPU_SLOTS: '-1', FTS_STREAM_STALL_MS: '0', FTS_SLURM_RDZV_PORT: '70000', FTS_DURABILITY: 'fast' });
    expect(c.supervisor.cancelGraceMs).toBe(DEFAULT_CANCEL_GRACE_MS);
    expect(c.runner.gpuSlots).toBeUndefined();
    expect(c.runner.slurm.rdzvPort).toBeUndefined();
    expect(c.streamStallMs).toBe(30_000);
    expect(c.durability).toBe('group');
  });

  it('refuses a setting it cannot use, naming the variable', () => {
    const refused = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ ...base, ...env });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(refused({ FTS_HTTP_PORT: 'eighty' })).toBe("FTS_HTTP_PORT must be a port number from 0 to 65535, not 'eighty'.");
    expect(refused({ FINE_TUNING_SERVICE_PORT: '70000' })).toBe("FINE_TUNING_SERVICE_PORT must be a port number from 0 to 65535, not '70000'.");
    expect(refused({ FTS_SUPERVISOR_TICK_MS: '0' })).toBe("FTS_SUPERVISOR_TICK_MS must be a whole number of at least 1, not '0'.");
    expect(refused({ FTS_RETRY_BACKOFF_MS: '1.5' })).toBe("FTS_RETRY_BACKOFF_MS must be a whole number of at least 0, not '1.5'.");
    expect(refused({ FTS_HF_TIMEOUT_MS: 'ten' })).toBe("FTS_HF_TIMEOUT_MS must be a whole number of at least 1, not 'ten'.");
    expect(refused({ FTS_JOB_TEMPLATE_OPTIONS: '{steps: 2}' })).toMatch(/^FTS_JOB_TEMPLATE_OPTIONS must be a JSON object: /);
  });

  it('takes FTS_GRPC_PORT before FINE_TUNING_SERVICE_PORT', () => {
    expect(loadConfig({ ...base, FTS_GRPC_PORT: '0', FINE_TUNING_SERVICE_PORT: '1234' }).grpcPort).toBe(0);
    expect(loadConfig({ ...base, FINE_TUNING_SERVICE_PORT: '1234' }).grpcPort).toBe(1234);
  });
});

describe('hubCacheDir and stallLimitMs', () => {
  it('resolves the hub cache as huggingface_hub does', () => {
    expect(hubCacheDir({ HF_HUB_CACHE: '/c', HF_HOME: '/h' })).toBe('/c');
    expect(hubCacheDir({ HF_HOME: '/h', XDG_CACHE_HOME: '/x' })).toBe('/h/hub');
    expect(hubCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/huggingface/hub');
  });
  it('reads the stall limit', () => {
    expect(stallLimitMs({})).toBe(30_000);
    expect(stallLimitMs({ FTS_STREAM_STALL_MS: '600000' })).toBe(600_000);
  });
});
