import fs from 'node:fs';
import path from 'node:path';
import type { DomainError } from '@fts/domain';
import type { RunHandle, RunRequest, RunState } from '../job-runner.js';
import { RUN_FILES } from '../run-folder.js';
import { tempStateDir } from '../../../test/support/runner-test-kit.js';
import { CmlApiError, type CreateModelBuildBody } from '../cml/cml-api.client.js';
import { DEFAULT_TEMPLATES, FakeCmlServer, type FakeCmlOptions } from '../../../test/support/fake-cml-server.js';
import { CmlDeployRunner, type CmlDeployRecord, type CmlDeployRunnerOptions } from './cml-deploy-runner.js';
import type { CmlDeploySpec } from './cml-deploy-spec.js';
import { buildPhaseOf, deploymentPhaseOf } from './cml-deploy-status.js';

const RUNTIME = DEFAULT_TEMPLATES[0]!.runtime_identifier!;
const GEN = '{"do_sample": true, "temperature": 0.8, "max_new_tokens": 60}';
const errorOf = async (p: Promise<unknown>) => p.then(() => undefined, (e: DomainError) => e);

const deploySpec = (over: Partial<CmlDeploySpec> = {}): CmlDeploySpec => ({
  kind: 'cml_deploy',
  export_id: 'exp-1',
  model_name: 'tickets-model',
  description: 'Tickets, merged',
  disable_authentication: false,
  base_model_hf_name: 'org/base',
  adapter_location: 'data/adapters/a1',
  generation_config: GEN,
  cpu: 2,
  memory: 8,
  gpu: 1,
  replicas: 1,
  ...over,
});

describe('CmlDeployRunner against a fake CML API v2', () => {
  let fake: FakeCmlServer;
  let stateDir: string;
  let delays: number[];

  const start = async (options: FakeCmlOptions = {}) => {
    await fake?.close();
    fake = await FakeCmlServer.start(options);
  };
  const runnerFor = (over: Partial<CmlDeployRunnerOptions> & { apiKey?: string; maxAttempts?: number } = {}) =>
    new CmlDeployRunner({
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
      finishedCheckMs: 10,
      pollMs: 10,
      ...over,
    });
  const request = (spec: Partial<CmlDeploySpec> = {}, jobId = 'exp-1'): RunRequest => ({
    jobId,
    kind: 'export_merge',
    spec: deploySpec({ export_id: jobId, ...spec }) as unknown as Record<string, unknown>,
    command: [],
    resources: { cpu: 2, memoryGb: 8, gpus: 1, numWorkers: 1 },
  });
  const posts = (suffix: string) => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix));
  const record = (h: RunHandle) => JSON.parse(fs.readFileSync(path.join(h.runDir, RUN_FILES.cml), 'utf8')) as CmlDeployRecord;
  const until = async (runner: CmlDeployRunner, h: RunHandle, phases: RunState['phase'][], max = 20) => {
    const seen: RunState[] = [];
    for (let i = 0; i < max; i++) {
      const s = await runner.status(h);
      seen.push(s);
      if (phases.includes(s.phase)) return seen;
    }
    throw new Error(`never reached ${phases.join('|')}: ${JSON.stringify(seen.map((s) => s.phase))}`);
  };

  beforeEach(async () => {
    await start();
    stateDir = tempStateDir('fts-deploy-');
    delays = [];
  });
  afterEach(async () => {
    await fake.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('creates the model (authentication on by default), then an auto-deployed build of the predict script on the template runtime', async () => {
    const runner = runnerFor();
    const h = await runner.submit(request());

    expect(posts('/models')).toHaveLength(1);
    expect(posts('/models')[0]!.body).toEqual({
      project_id: 'proj-1',
      name: 'tickets-model',
      description: 'Tickets, merged',
      disable_authentication: false,
    });
    const [model] = [...fake.models.values()];
    expect(model).toMatchObject({ auth_enabled: true });
    expect(posts('/builds')[0]!.body as CreateModelBuildBody).toEqual({
      project_id: 'proj-1',
      model_id: model!.id,
      file_path: 'job-templates/cml_model_predict.py',
      function_name: 'api_wrapper',
      kernel: 'python3',
      runtime_identifier: RUNTIME,
      auto_deploy_model: true,
      auto_deployment_config: {
        cpu: 2,
        memory: 8,
        nvidia_gpus: 1,
        replicas: 1,
        environment: {
          FINE_TUNING_STUDIO_BASE_MODEL_HF_NAME: 'org/base',
          FINE_TUNING_STUDIO_ADAPTER_LOCATION: 'data/adapters/a1',
          FINE_TUNING_STUDIO_GEN_CONFIG_STRING: GEN,
        },
      },
    });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/api/v2/projects/proj-1/jobs', query: { search_filter: '{"name":"Accel_Finetuning_Base_Job"}' } });
    expect(fake.requests.every((r) => r.authorization === 'Bearer test-key')).toBe(true);

    const [build] = [...fake.builds.values()];
    expect(h).toEqual({ runner: 'cml-deploy', jobId: 'exp-1', runDir: path.join(stateDir, 'job_runs', 'exp-1'), cmlModelId: model!.id, cmlBuildId: build!.id });
    expect(JSON.parse(fs.readFileSync(path.join(h.runDir, RUN_FILES.spec), 'utf8'))).toEqual(deploySpec());
  });

  it('walks the build and the deployment to succeeded, then records the CML ids as the result', async () => {
    const runner = runnerFor();
    const h = await runner.submit(request());
    const seen = await until(runner, h, ['succeeded']);
    // pending, building, pushing → scheduling; built, deployment pending/deploying → running; deployed → succeeded
    expect(seen.map((s) => s.phase)).toEqual(['scheduling', 'scheduling', 'scheduling', 'running', 'running', 'succeeded']);
    const [deployment] = [...fake.deployments.values()];
    expect(deployment).toMatchObject({ cpu: 2, memory: 8, nvidia_gpus: 1, replicas: 1 });

    expect(await runner.status(h)).toMatchObject({ phase: 'succeeded' });
    const { outputs } = await runner.readOutputs(h, 0);
    const results = outputs.filter((o) => o.type === 'result');
    expect(results).toHaveLength(1); // once, however often status() is asked
    expect(results[0]).toMatchObject({
      data: { cml_model_id: h.cmlModelId, cml_build_id: h.cmlBuildId, cml_deployment_id: deployment!.id, model_name: 'tickets-model' },
    });
    expect(record(h)).toMatchObject({ cml_deployment_id: deployment!.id, result_written: true });

    const logs = await runner.logs(h);
    expect(logs.some((l) => l.includes("create_model 'tickets-model' (authentication on)"))).toBe(true);
    expect(logs.some((l) => l.includes('create_model_build job-templates/cml_model_predict.py:api_wrapper'))).toBe(true);
    expect(logs.some((l) => l.includes(`deployment ${deployment!.id} is deployed`))).toBe(true);
    const followed: string[] = [];
    for await (const line of runner.followLogs(h, new AbortController().signal)) followed.push(line);
    expect(followed).toEqual(await runner.logs(h, { tailLines: 1000 }));
  });

  it('turns authentication off only when asked, and passes the requested resources', async () => {
    await runnerFor().submit(request({ disable_authentication: true, cpu: 4, memory: 16, gpu: 2, replicas: 3 }));
    expect(posts('/models')[0]!.body).toMatchObject({ disable_authentication: true });
    expect((posts('/builds')[0]!.body as CreateModelBuildBody).auto_deployment_config).toMatchObject({ cpu: 4, memory: 16, nvidia_gpus: 2, replicas: 3 });
  });

  it('fails with the API message when the build fails, and logs it once', async () => {
    await start({ buildSequence: ['queued', 'building', 'build failed'], buildFailureMessage: 'pip install failed: no matching distribution for peft' });
    const runner = runnerFor();
    const h = await runner.submit(request());
    const seen = await until(runner, h, ['failed']);
    const build = [...fake.builds.values()][0]!;
    expect(seen.at(-1)).toEqual({
      phase: 'failed',
      exitCode: null,
      message: `The CML model build ${build.id} failed (status 'build failed'): pip install failed: no matching distribution for peft.`,
    });
    await runner.status(h);
    expect((await runner.logs(h)).filter((l) => l.includes('[error]'))).toHaveLength(1);
    expect(fake.deployments.size).toBe(0);
  });

  it('fails when the build times out or the deployment fails', async () => {
    await start({ buildSequence: ['timedout'] });
    let runner = runnerFor();
    let h = await runner.submit(request());
    expect((await runner.status(h)).message).toMatch(/^The CML model build .* timed out \(status 'timedout'\)\.$/);

    await start({ buildSequence: ['built'], deploymentSequence: ['deploying', 'failed'] });
    runner = runnerFor();
    h = await runner.submit(request({}, 'exp-2'));
    const seen = await until(runner, h, ['failed']);
    expect(seen.at(-1)!.message).toMatch(/^The CML model deployment .* failed\.$/);
  });

  it('retries 5xx answers and dropped connections through the API client', async () => {
    fake.inject({ method: 'POST', pathEndsWith: '/models', status: 503 });
    fake.inject({ method: 'POST', pathEndsWith: '/builds', drop: true });
    fake.inject({ method: 'GET', pathIncludes: '/builds/', status: 502, times: 2 });
    const runner = runnerFor();
    const h = await runner.submit(request());
    expect(fake.models.size).toBe(1);
    expect(fake.builds.size).toBe(1);
    expect(await runner.status(h)).toMatchObject({ phase: 'scheduling' });
    expect(delays.length).toBeGreaterThanOrEqual(4);
  });

  it('reports a status it could not read as unknown (transient), never as a failure', async () => {
    const runner = runnerFor({ maxAttempts: 2 });
    const h = await runner.submit(request());
    fake.inject({ method: 'GET', pathIncludes: '/builds/', status: 503, times: 2 });
    expect(await runner.status(h)).toMatchObject({ phase: 'unknown', transient: true });
  });

  it('does not create a second model or build when a create answer is lost to a timeout', async () => {
    fake.inject({ method: 'POST', pathEndsWith: '/models', delayMs: 400, thenProcess: true });
    fake.inject({ method: 'POST', pathEndsWith: '/builds', delayMs: 400, thenProcess: true });
    const h = await runnerFor().submit(request());
    expect(fake.models.size).toBe(1);
    expect(fake.builds.size).toBe(1);
    expect(h.cmlBuildId).toBe([...fake.builds.keys()][0]);
    expect(posts('/models')).toHaveLength(1);
  });

  it('never takes a model someone else created with the same name for its own', async () => {
    const theirs = fake.addModel({ name: 'tickets-model' });
    const h = await runnerFor().submit(request());
    expect(h.cmlModelId).not.toBe(theirs.id);
    expect(fake.models.size).toBe(2);
    expect(record(h).preexisting_model_ids).toEqual([theirs.id]);
  });

  it('is idempotent per export id, also from a fresh instance after a restart', async () => {
    const a = await runnerFor().submit(request());
    const b = await runnerFor().submit(request());
    expect(b).toEqual(a);
    expect(runnerFor().recoverHandle('exp-1')).toEqual(a);
    expect(posts('/models')).toHaveLength(1);
    expect(posts('/builds')).toHaveLength(1);
    expect(await runnerFor().reattach(a)).toMatchObject({ phase: 'scheduling' });
    expect(runnerFor().recoverHandle('never-submitted')).toBeUndefined();
  });

  it('refuses a wrong API key without retrying, with the API message', async () => {
    const e = await errorOf(runnerFor({ apiKey: 'wrong' }).submit(request()));
    expect(e).toBeInstanceOf(CmlApiError);
    expect(e).toMatchObject({ code: 'CML.ACCESS_DENIED', httpStatus: 401, transient: false });
    expect(e!.message).toContain('Unauthorized: bad or missing API key');
    expect(fake.requests).toHaveLength(1);
  });

  it('creates nothing when the template job is missing', async () => {
    await start({ templates: [] });
    const e = await errorOf(runnerFor().submit(request()));
    expect(e).toMatchObject({ kind: 'failed_precondition', code: 'CML.TEMPLATE_NOT_FOUND' });
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('refuses a spec that is not a deploy spec, naming the field', async () => {
    const e = await errorOf(runnerFor().submit({ ...request(), spec: { ...deploySpec(), model_name: ' ' } }));
    expect(e).toMatchObject({ kind: 'invalid_argument', message: "The CML deployment spec's 'model_name' must not be empty." });
    expect(await errorOf(runnerFor().submit({ ...request(), spec: { kind: 'export_merge' } }))).toMatchObject({ kind: 'invalid_argument' });
    expect(fake.requests).toEqual([]);
  });

  describe('cancel', () => {
    it('stops a running deployment; the run ends cancelled', async () => {
      await start({ buildSequence: ['built'], deploymentSequence: ['deployed'], deploymentStopSequence: ['stopping', 'stopping', 'stopped'] });
      const runner = runnerFor();
      const h = await runner.submit(request());
      await runner.status(h); // the build is built: CML starts the deployment
      await runner.cancel(h);
      const dep = [...fake.deployments.values()][0]!;
      expect(posts(':stop').map((r) => r.path)).toEqual([`/api/v2/projects/proj-1/models/${h.cmlModelId}/builds/${h.cmlBuildId}/deployments/${dep.id}:stop`]);
      const seen = await until(runner, h, ['cancelled']);
      expect(seen.map((s) => [s.phase, s.cancelling ?? false])).toEqual([
        ['running', true],
        ['cancelled', false],
      ]);
      await runner.cancel(h); // idempotent: nothing left to stop
      expect(posts(':stop')).toHaveLength(1);
    });

    it('before the deployment exists: nothing to stop yet, and status() stops it as soon as it appears', async () => {
      const runner = runnerFor();
      const h = await runner.submit(request());
      await runner.cancel(h);
      expect(posts(':stop')).toEqual([]);
      expect(fs.existsSync(path.join(h.runDir, RUN_FILES.cancel))).toBe(true);
      const seen = await until(runner, h, ['cancelled']);
      expect(seen[0]).toMatchObject({ phase: 'scheduling', cancelling: true });
      expect(posts(':stop')).toHaveLength(1);
      const { outputs } = await runner.readOutputs(h, 0);
      expect(outputs.filter((o) => o.type === 'result')).toEqual([]);
    });

    it('reports a deployment stopped in CML without a cancel as a failure', async () => {
      await start({ buildSequence: ['built'], deploymentSequence: ['deploying', 'stopped'] });
      const runner = runnerFor();
      const h = await runner.submit(request());
      expect((await until(runner, h, ['failed'])).at(-1)!.message).toMatch(/was stopped in CML\.$/);
    });
  });
});

describe('CML model statuses', () => {
  it.each([
    ['pending', 'in_progress'],
    ['queued', 'in_progress'],
    ['pushing', 'in_progress'],
    ['building', 'in_progress'],
    ['built', 'built'],
    ['succeeded', 'built'],
    ['build failed', 'failed'],
    ['BUILD_FAILED', 'failed'],
    ['timedout', 'timed_out'],
    ['unknown', 'unknown'],
    [undefined, 'unknown'],
  ])('build %s → %s', (raw, phase) => expect(buildPhaseOf(raw)).toBe(phase));

  it.each([
    ['deployed', 'deployed'],
    ['pending', 'starting'],
    ['deploying', 'starting'],
    ['stopping', 'stopping'],
    ['stopped', 'stopped'],
    ['failed', 'failed'],
    ['weird', 'unknown'],
  ])('deployment %s → %s', (raw, phase) => expect(deploymentPhaseOf(raw)).toBe(phase));
});
