import fs from 'node:fs';
import path from 'node:path';
import type { DomainError } from '@fts/domain';
import type { RunHandle, RunRequest } from '../job-runner.js';
import { RUN_FILES } from '../run-folder.js';
import { tempStateDir } from '../../../test/support/runner-test-kit.js';
import { CmlApiError, type CreateJobBody } from './cml-api.client.js';
import { CmlRunner, shellQuote, type CmlRunnerOptions } from './cml-runner.js';
import { CML_TIMEOUT_MESSAGE, mapEngineStatus } from './cml-status.js';
import { DEFAULT_TEMPLATES, FakeCmlServer } from '../../../test/support/fake-cml-server.js';

const RUNTIME = DEFAULT_TEMPLATES[0]!.runtime_identifier!;
const errorOf = async (p: Promise<unknown>) => p.then(() => undefined, (e: DomainError) => e);

describe('CmlRunner against a fake CML API v2', () => {
  let fake: FakeCmlServer;
  let projectRoot: string;
  let stateDir: string;
  let delays: number[];

  const runnerFor = (over: Partial<CmlRunnerOptions> & { apiKey?: string; maxAttempts?: number } = {}) =>
    new CmlRunner({
      api: {
        apiUrl: fake.apiUrl,
        apiKey: over.apiKey ?? fake.apiKey,
        projectId: fake.projectId,
        timeoutMs: 150,
        maxAttempts: over.maxAttempts,
        sleep: async (ms) => void delays.push(ms),
        random: () => 0.5,
      },
      stateDir,
      projectRoot,
      finishedCheckMs: 20,
      pollMs: 20,
      ...over,
    });

  const request = (over: Partial<RunRequest> = {}): RunRequest => ({
    jobId: 'job-1',
    kind: 'fine_tune',
    spec: { model: { huggingface_name: 'org/tiny' }, training: { learning_rate: 2e-4, note: 'has spaces and {"json"}' } },
    command: ['/usr/bin/python3', path.join(projectRoot, 'job-templates', 'fine_tune.py')],
    resources: { cpu: 4, memoryGb: 16, gpus: 2, gpuLabelId: 7, numWorkers: 1 },
    env: { HF_HOME: '/home/cdsw/hf cache' },
    ...over,
  });

  const createBodies = () =>
    fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs')).map((r) => r.body as CreateJobBody);

  beforeEach(async () => {
    fake = await FakeCmlServer.start();
    projectRoot = tempStateDir('fts-cml-');
    stateDir = path.join(projectRoot, '.app');
    delays = [];
  });
  afterEach(async () => {
    await fake.close();
    fs.rmSync(projectRoot, { recursive: true, force: true });
  });

  describe('submit', () => {
    it("creates a job from the template's runtime with the requested resources, then one run", async () => {
      const runner = runnerFor();
      const h = await runner.submit(request());
      const [body] = createBodies();
      expect(body).toEqual({
        project_id: 'proj-1',
        name: 'fts-fine_tune-job-1',
        script: 'job-templates/cml_launcher.py',
        runtime_identifier: RUNTIME,
        cpu: 4,
        memory: 16,
        nvidia_gpu: 2,
        accelerator_label_id: '7',
        arguments: '--run-dir .app/job_runs/job-1',
        environment: {
          MLFLOW_FLATTEN_PARAMS: 'true',
          PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:True',
          HF_HOME: '/home/cdsw/hf cache',
          FTS_RUN_DIR: '.app/job_runs/job-1',
          FTS_JOB_ID: 'job-1',
          FTS_JOB_KIND: 'fine_tune',
        },
      });
      expect(typeof body!.accelerator_label_id).toBe('string');
      expect(body!.arguments).not.toMatch(/[{}]/);

      const job = [...fake.jobs.values()].find((j) => j.name === 'fts-fine_tune-job-1')!;
      const [run] = [...fake.runs.values()];
      expect(h).toEqual({ runner: 'cml', jobId: 'job-1', runDir: path.join(stateDir, 'job_runs', 'job-1'), cmlJobId: job.id, cmlRunId: run!.id });
      expect(fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/runs'))!.body).toEqual({ project_id: 'proj-1', job_id: job.id });

      expect(fake.requests[0]).toMatchObject({
        method: 'GET',
        path: '/api/v2/projects/proj-1/jobs',
        query: { search_filter: '{"name":"Accel_Finetuning_Base_Job"}' },
      });
      expect(fake.requests.every((r) => r.authorization === 'Bearer test-key')).toBe(true);

      // The spec file is the contract: written in full, spaces and JSON intact.
      expect(JSON.parse(fs.readFileSync(path.join(h.runDir, RUN_FILES.spec), 'utf8'))).toEqual(request().spec);
      expect(JSON.parse(fs.readFileSync(path.join(h.runDir, RUN_FILES.launch), 'utf8'))).toMatchObject({
        runner: 'cml',
        command: ['/usr/bin/python3', 'job-templates/fine_tune.py'],
        args: ['--spec', '.app/job_runs/job-1/spec.json', '--events', '.app/job_runs/job-1/events.jsonl'],
        stdout: '.app/job_runs/job-1/stdout.log',
        num_workers: 1,
        template: 'Accel_Finetuning_Base_Job',
      });
      expect(JSON.parse(fs.readFileSync(path.join(h.runDir, RUN_FILES.cml), 'utf8'))).toMatchObject({ cml_job_id: job.id, cml_run_id: run!.id });
    });

    it('sends no accelerator label without one, passes the worker count, and picks the template per kind', async () => {
      const runner = runnerFor();
      await runner.submit(request({ jobId: 'e1', kind: 'evaluate', resources: { cpu: 2, memoryGb: 8, gpus: 1, numWorkers: 3 } }));
      await runner.submit(request({ jobId: 'e2', kind: 'evaluate', resources: { cpu: 2, memoryGb: 8, gpus: 0, gpuLabelId: 0, numWorkers: 1 } }));
      const [b1, b2] = createBodies();
      expect(b1).not.toHaveProperty('accelerator_label_id');
      expect(b2).not.toHaveProperty('accelerator_label_id');
      expect(b1!.environment).toMatchObject({ FTS_NUM_WORKERS: '3', FTS_JOB_KIND: 'evaluate' });
      expect(b2!.environment).not.toHaveProperty('FTS_NUM_WORKERS');
      expect(b2!.nvidia_gpu).toBe(0);
      expect(fake.requests[0]!.query.search_filter).toBe('{"name":"Mlflow_Evaluation_Base_Job"}');
    });

    it('quotes a run folder path that has spaces instead of stripping them', async () => {
      stateDir = path.join(projectRoot, 'state dir');
      await runnerFor().submit(request());
      expect(createBodies()[0]!.arguments).toBe("--run-dir 'state dir/job_runs/job-1'");
      expect(createBodies()[0]!.environment!.FTS_RUN_DIR).toBe('state dir/job_runs/job-1');
      expect(shellQuote("it's")).toBe("'it'\\''s'");
    });

    it('takes the template with the exact name, reading its runtime with get_job when the list leaves it out', async () => {
      await fake.close();
      fake = await FakeCmlServer.start({
        listOmitsRuntime: true,
        pageSize: 1,
        templates: [{ name: 'Accel_Finetuning_Base_Job_old', runtime_identifier: 'old-runtime' }, ...DEFAULT_TEMPLATES],
      });
      await runnerFor().submit(request());
      expect(createBodies()[0]!.runtime_identifier).toBe(RUNTIME);
      expect(fake.calls()).toContain(`GET /api/v2/projects/proj-1/jobs/${[...fake.jobs.values()][1]!.id}`);
    });

    it('says so clearly when the template job is missing, and creates nothing', async () => {
      await fake.close();
      fake = await FakeCmlServer.start({ templates: [] });
      const e = await errorOf(runnerFor().submit(request()));
      expect(e).toMatchObject({ kind: 'failed_precondition', code: 'CML.TEMPLATE_NOT_FOUND' });
      expect(e!.message).toBe("CML template job 'Accel_Finetuning_Base_Job' was not found in project proj-1.");
      expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
    });

    it('is idempotent per job id', async () => {
      const runner = runnerFor();
      const a = await runner.submit(request());
      const b = await runner.submit(request());
      const c = await runnerFor().submit(request()); // after a restart
      expect(b).toEqual(a);
      expect(c).toEqual(a);
      expect(createBodies()).toHaveLength(1);
      expect(fake.runs.size).toBe(1);
    });

    it('does not create a second job or run when a create answer is lost to a timeout', async () => {
      fake.inject({ method: 'POST', pathEndsWith: '/jobs', delayMs: 400, thenProcess: true });
      fake.inject({ method: 'POST', pathEndsWith: '/runs', delayMs: 400, thenProcess: true });
      const h = await runnerFor().submit(request());
      expect([...fake.jobs.values()].filter((j) => j.name.startsWith('fts-'))).toHaveLength(1);
      expect(fake.runs.size).toBe(1);
      expect(h.cmlRunId).toBe([...fake.runs.keys()][0]);
      expect(createBodies()).toHaveLength(1);
      expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/runs'))).toHaveLength(1);
    });

    it('refuses a wrong API key without retrying, with the API message', async () => {
      const e = await errorOf(runnerFor({ apiKey: 'wrong' }).submit(request()));
      expect(e).toBeInstanceOf(CmlApiError);
      expect(e).toMatchObject({ code: 'CML.ACCESS_DENIED', kind: 'failed_precondition', httpStatus: 401, transient: false });
      expect(e!.message).toContain('Unauthorized: bad or missing API key');
      expect(fake.requests).toHaveLength(1);
    });

    it('passes a 4xx refusal of create_job through unretried', async () => {
      fake.inject({ method: 'POST', pathEndsWith: '/jobs', status: 400 });
      const e = await errorOf(runnerFor().submit(request()));
      expect(e).toMatchObject({ code: 'CML.REQUEST_REJECTED', httpStatus: 400 });
      expect(e!.message).toBe('The CML API refused create_job (HTTP 400): injected HTTP 400.');
      expect(createBodies()).toHaveLength(1);
    });

    it('retries 5xx and dropped connections during submit', async () => {
      fake.inject({ method: 'GET', pathEndsWith: '/jobs', status: 502 });
      fake.inject({ method: 'POST', pathEndsWith: '/runs', drop: true });
      const h = await runnerFor().submit(request());
      expect(h.cmlRunId).toBeDefined();
      expect(fake.runs.size).toBe(1);
      expect(delays).toHaveLength(2);
    });
  });

  describe('status', () => {
    const started = async (sequence: string[]) => {
      fake.runSequence = sequence;
      const runner = runnerFor();
      return { runner, h: await runner.submit(request()) };
    };

    it('follows a run through scheduling, starting, running and success', async () => {
      const { runner, h } = await started(['ENGINE_SCHEDULING', 'ENGINE_STARTING', 'ENGINE_RUNNING', 'ENGINE_SUCCEEDED']);
      const phases = [];
      for (let i = 0; i < 5; i++) phases.push((await runner.status(h)).phase);
      expect(phases).toEqual(['scheduling', 'scheduling', 'running', 'succeeded', 'succeeded']);
    });

    it.each([
      ['ENGINE_FAILED', { phase: 'failed', message: 'The CML run failed.', retryable: true }],
      ['ENGINE_TIMEDOUT', { phase: 'failed', message: CML_TIMEOUT_MESSAGE }],
      ['ENGINE_STOPPED', { phase: 'cancelled' }],
      ['ENGINE_STOPPING', { phase: 'running', cancelling: true }],
      ['ENGINE_UNKNOWN', { phase: 'unknown', transient: true }],
      ['ENGINE_SOMETHING_NEW', { phase: 'unknown', transient: true }],
      ['running', { phase: 'running' }],
      ['timedout', { phase: 'failed', message: CML_TIMEOUT_MESSAGE }],
    ])('maps %s', async (status, expected) => {
      const { runner, h } = await started([status]);
      expect(await runner.status(h)).toMatchObject(expected);
    });

    it("adds the run folder's exit code and error line to a failure", async () => {
      const { runner, h } = await started(['ENGINE_FAILED']);
      fs.writeFileSync(path.join(h.runDir, RUN_FILES.stdout), 'Traceback (most recent call last):\ntorch.OutOfMemoryError: CUDA out of memory\n');
      fs.writeFileSync(path.join(h.runDir, RUN_FILES.exit), JSON.stringify({ code: 1, signal: null, finished_at: 'x' }));
      expect(await runner.status(h)).toEqual({
        phase: 'failed',
        message: 'The CML run failed: exited with code 1: torch.OutOfMemoryError: CUDA out of memory',
        exitCode: 1,
      });
    });

    it('marks a failure without an exit record (the engine was lost), by a signal or with exit 75 as retryable, not a plain error', async () => {
      const lost = await started(['ENGINE_FAILED']);
      expect(await lost.runner.status(lost.h)).toMatchObject({ phase: 'failed', retryable: true, exitCode: null });
      for (const [exit, retryable] of [
        [{ code: 137, signal: 'SIGKILL', finished_at: 'x' }, true],
        [{ code: 75, signal: null, finished_at: 'x' }, true],
        [{ code: 1, signal: null, finished_at: 'x' }, undefined],
      ] as const) {
        const { runner, h } = await started(['ENGINE_FAILED']);
        fs.writeFileSync(path.join(h.runDir, RUN_FILES.exit), JSON.stringify(exit));
        expect((await runner.status(h)).retryable).toBe(retryable);
      }
    });

    it('retries 5xx with exponential backoff and jitter, and the run is not failed', async () => {
      const { runner, h } = await started(['ENGINE_RUNNING']);
      delays = [];
      fake.inject({ method: 'GET', pathIncludes: '/runs/', status: 500, times: 2 });
      fake.inject({ method: 'GET', pathIncludes: '/runs/', status: 503 });
      expect(await runner.status(h)).toEqual({ phase: 'running' });
      expect(delays).toEqual([150, 300, 600]); // 200·2^n, equal jitter at random()=0.5
    });

    it('retries a timeout', async () => {
      const { runner, h } = await started(['ENGINE_RUNNING']);
      fake.inject({ method: 'GET', pathIncludes: '/runs/', delayMs: 400 });
      const t0 = Date.now();
      expect(await runner.status(h)).toEqual({ phase: 'running' });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
      expect(fake.requests.filter((r) => r.path.includes('/runs/'))).toHaveLength(2);
    });

    it('honours Retry-After on 429', async () => {
      const { runner, h } = await started(['ENGINE_RUNNING']);
      delays = [];
      fake.inject({ method: 'GET', pathIncludes: '/runs/', status: 429, headers: { 'retry-after': '2' } });
      expect((await runner.status(h)).phase).toBe('running');
      expect(delays).toEqual([2000]);
    });

    it('answers unknown, never failed, when the API stays down', async () => {
      const { runner, h } = await started(['ENGINE_RUNNING']);
      fake.inject({ method: 'GET', pathIncludes: '/runs/', status: 503, times: 5 });
      const st = await runner.status(h);
      expect(st).toMatchObject({ phase: 'unknown', transient: true });
      expect(st.message).toMatch(/did not complete get_job_run after 5 attempts: HTTP 503: injected HTTP 503/);
      expect(await runner.status(h)).toEqual({ phase: 'running' });

      await fake.close(); // nothing listening at all
      expect(await runnerFor({ maxAttempts: 2 }).status(h)).toMatchObject({ phase: 'unknown', transient: true });
    });

    it('answers unknown with transient=false for a lasting refusal, without retrying', async () => {
      const { runner, h } = await started(['ENGINE_RUNNING']);
      const before = fake.requests.length;
      expect(await runner.status({ ...h, cmlRunId: 'run-gone' })).toMatchObject({ phase: 'unknown', transient: false });
      expect(fake.requests.length - before).toBe(1);
    });
  });

  describe('cancel', () => {
    it('stops the run: ENGINE_STOPPING (cancelling), then ENGINE_STOPPED (cancelled)', async () => {
      fake.runSequence = ['ENGINE_RUNNING'];
      fake.stopSequence = ['ENGINE_STOPPING', 'ENGINE_STOPPING', 'ENGINE_STOPPED'];
      const runner = runnerFor();
      const h = await runner.submit(request());
      expect(await runner.status(h)).toEqual({ phase: 'running' });
      await runner.cancel(h);
      expect(fake.calls()).toContain(`POST /api/v2/projects/proj-1/jobs/${h.cmlJobId}/runs/${h.cmlRunId}:stop`);
      expect(await runner.status(h)).toMatchObject({ phase: 'running', cancelling: true });
      expect(await runner.status(h)).toMatchObject({ phase: 'cancelled' });
    });

    it('accepts a cancel of a run that has already ended', async () => {
      fake.runSequence = ['ENGINE_SUCCEEDED'];
      const runner = runnerFor();
      const h = await runner.submit(request());
      expect((await runner.status(h)).phase).toBe('succeeded');
      await runner.cancel(h);
      expect((await runner.status(h)).phase).toBe('succeeded');
    });
  });

  describe('outputs, logs and restarts', () => {
    it('reads progress and logs from the run folder and follows logs until CML says the run ended', async () => {
      fake.runSequence = ['ENGINE_RUNNING', 'ENGINE_RUNNING', 'ENGINE_RUNNING', 'ENGINE_SUCCEEDED'];
      const runner = runnerFor();
      const h = await runner.submit(request());
      fs.appendFileSync(path.join(h.runDir, RUN_FILES.events), '{"type":"progress","step":1,"loss":0.5,"ts":1767225600}\n{"type":"pro');
      const r = await runner.readOutputs(h, 0);
      expect(r.outputs).toEqual([{ type: 'progress', point: { step: 1, loss: 0.5, ts: 1_767_225_600_000 }, offset: r.nextOffset }]);

      fs.appendFileSync(path.join(h.runDir, RUN_FILES.stdout), 'line 1\nline 2\n');
      const lines: string[] = [];
      for await (const l of runner.followLogs(h, new AbortController().signal)) lines.push(l);
      expect(lines).toEqual(['line 1', 'line 2']);
      expect(await runner.logs(h, { tailLines: 1 })).toEqual(['line 2']);
    });

    it('reattaches from the run folder alone in a new instance', async () => {
      fake.runSequence = ['ENGINE_RUNNING'];
      const h = await runnerFor().submit(request());
      const fresh = runnerFor();
      const recovered = fresh.recoverHandle('job-1') as RunHandle;
      expect(recovered).toEqual(h);
      expect(await fresh.reattach(recovered)).toEqual({ phase: 'running' });
      expect(fresh.recoverHandle('job-unknown')).toBeUndefined();
      expect(fresh.hasFreeSlot()).toBe(true);
    });
  });
});

describe('mapEngineStatus', () => {
  it('maps every CML engine status, upper and lower case', () => {
    const table: Array<[string, string]> = [
      ['ENGINE_SCHEDULING', 'scheduling'],
      ['ENGINE_STARTING', 'scheduling'],
      ['ENGINE_RUNNING', 'running'],
      ['ENGINE_STOPPING', 'running'],
      ['ENGINE_STOPPED', 'cancelled'],
      ['ENGINE_SUCCEEDED', 'succeeded'],
      ['ENGINE_FAILED', 'failed'],
      ['ENGINE_TIMEDOUT', 'failed'],
      ['ENGINE_UNKNOWN', 'unknown'],
      ['scheduling', 'scheduling'],
      ['starting', 'scheduling'],
      ['running', 'running'],
      ['stopping', 'running'],
      ['stopped', 'cancelled'],
      ['succeeded', 'succeeded'],
      ['failed', 'failed'],
      ['timedout', 'failed'],
      ['', 'unknown'],
      ['WHATEVER', 'unknown'],
    ];
    for (const [raw, phase] of table) expect([raw, mapEngineStatus(raw).phase]).toEqual([raw, phase]);
    expect(mapEngineStatus(undefined).phase).toBe('unknown');
    expect(mapEngineStatus('ENGINE_STOPPING').cancelling).toBe(true);
    expect(mapEngineStatus('ENGINE_TIMEDOUT').message).toBe('CML stopped the run: it exceeded its timeout.');
  });
});
