/**
 * A fake CML API v2 on 127.0.0.1:<random port>, speaking the paths and JSON
 * shapes of spec/jobs.md §5 for the calls the runner makes:
 *
 *   GET  /api/v2/projects/{p}/jobs?search_filter={"name":..}&page_size&page_token  → {jobs, next_page_token}
 *   GET  /api/v2/projects/{p}/jobs/{job}                                            → Job
 *   POST /api/v2/projects/{p}/jobs                                                  → Job
 *   POST /api/v2/projects/{p}/jobs/{job}/runs                                       → JobRun
 *   GET  /api/v2/projects/{p}/jobs/{job}/runs?sort=-created_at&page_size            → {job_runs, next_page_token}
 *   GET  /api/v2/projects/{p}/jobs/{job}/runs/{run}                                 → JobRun
 *   POST /api/v2/projects/{p}/jobs/{job}/runs/{run}:stop                            → JobRun
 *
 * and the model calls of the cml_model export (CmlDeployRunner):
 *
 *   GET  /api/v2/projects/{p}/models?search_filter={"name":..}                      → {models, next_page_token}
 *   POST /api/v2/projects/{p}/models                                                → Model
 *   GET  /api/v2/projects/{p}/models/{m}                                            → Model
 *   POST /api/v2/projects/{p}/models/{m}/builds                                     → ModelBuild
 *   GET  /api/v2/projects/{p}/models/{m}/builds                                     → {model_builds, next_page_token}
 *   GET  /api/v2/projects/{p}/models/{m}/builds/{b}                                 → ModelBuild
 *   GET  /api/v2/projects/{p}/models/{m}/builds/{b}/deployments                     → {model_deployments, next_page_token}
 *   POST /api/v2/projects/{p}/models/{m}/builds/{b}/deployments/{d}:stop            → ModelDeployment
 *
 * A build moves one step of its status sequence per get; when it reaches
 * `built` with auto_deploy_model, a deployment appears (its own sequence,
 * one step per list_model_deployments).
 *
 * Job.environment is a JSON string in answers (a map in create bodies).
 * Errors are grpc-gateway shaped: {code, message, details}. Every request is
 * recorded. Knobs: the bearer token it accepts, template jobs, a status
 * sequence per run (each get_job_run moves one step; the last one sticks),
 * the sequence after a stop, and faults (HTTP status, delay, dropped
 * connection) for the next N matching requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeJob {
  id: string;
  project_id: string;
  name: string;
  script: string;
  runtime_identifier: string;
  cpu: number;
  memory: number;
  nvidia_gpu: number;
  arguments: string;
  environment: string;
  accelerator_label_id?: string;
  kernel: string;
  created_at: string;
}

export interface FakeRun {
  id: string;
  job_id: string;
  project_id: string;
  status: string;
  created_at: string;
  /** Remaining statuses; each get_job_run takes the first until one is left. */
  sequence: string[];
}

export interface FakeModel {
  id: string;
  project_id: string;
  name: string;
  description: string;
  disable_authentication: boolean;
  auth_enabled: boolean;
  access_key: string;
  crn: string;
  created_at: string;
}

export interface FakeModelBuild {
  id: string;
  model_id: string;
  project_id: string;
  status: string;
  file_path: string;
  function_name: string;
  kernel: string;
  runtime_identifier: string;
  created_at: string;
  /** Set with a failing status (see buildFailureMessage). */
  failure_reason?: string;
  auto_deploy_model: boolean;
  auto_deployment_config?: Record<string, unknown>;
  /** Remaining statuses; each get_model_build takes the first until one is left. */
  sequence: string[];
}

export interface FakeModelDeployment {
  id: string;
  model_id: string;
  build_id: string;
  project_id: string;
  status: string;
  cpu: number;
  memory: number;
  nvidia_gpus: number;
  replicas: number;
  environment: string;
  created_at: string;
  /** Remaining statuses; each list_model_deployments takes the first until one is left. */
  sequence: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
}

export interface Fault {
  method?: string;
  /** Matches when the path contains this text (e.g. '/runs/', ':stop'). */
  pathIncludes?: string;
  /** Matches when the path ends with this text (e.g. '/jobs' for create/list). */
  pathEndsWith?: string;
  /** Answer with this HTTP status (and a gateway error body) instead of the real answer. */
  status?: number;
  /** Wait this long before answering (longer than the client's timeout: a timeout). */
  delayMs?: number;
  /** Close the socket without answering. */
  drop?: boolean;
  /** Extra headers of the fault answer (e.g. retry-after). */
  headers?: Record<string, string>;
  /** How many matching requests it hits. Default 1. */
  times?: number;
  /** With delayMs: handle the request at once (it lands) but answer only after the delay (the answer is lost to a timeout). */
  thenProcess?: boolean;
}

export interface FakeCmlOptions {
  projectId?: string;
  apiKey?: string;
  templates?: Array<Partial<FakeJob> & { name: string }>;
  /** Statuses of each new run. Default [ENGINE_SCHEDULING, ENGINE_STARTING, ENGINE_RUNNING, ENGINE_SUCCEEDED]. */
  runSequence?: string[];
  /** Statuses after a stop (the stop answer shows the first). Default [ENGINE_STOPPING, ENGINE_STOPPED]. */
  stopSequence?: string[];
  /** list_jobs: matches names that CONTAIN the filter (as a loose search would); default true. */
  looseNameFilter?: boolean;
  /** Leave runtime_identifier out of list_jobs answers (forces a get_job). */
  listOmitsRuntime?: boolean;
  pageSize?: number;
  /** Statuses of each new model build. Default [pending, building, pushing, built]. */
  buildSequence?: string[];
  /** failure_reason of a build that reaches `build failed` / `timedout`. */
  buildFailureMessage?: string;
  /** Statuses of each auto-created deployment. Default [pending, deploying, deployed]. */
  deploymentSequence?: string[];
  /** Statuses after a deployment stop. Default [stopping, stopped]. */
  deploymentStopSequence?: string[];
}

export const DEFAULT_TEMPLATES: Array<Partial<FakeJob> & { name: string }> = [
  {
    name: 'Accel_Finetuning_Base_Job',
    script: 'ft/scripts/accel_fine_tune_base_script.py',
    runtime_identifier: 'docker.repository.cloudera.com/cloudera/cdsw/ml-runtime-jupyterlab-python3.10-cuda:2024.05.1-b8',
    cpu: 2,
    memory: 8,
    nvidia_gpu: 1,
    environment: JSON.stringify({ MLFLOW_FLATTEN_PARAMS: 'true', PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:True' }),
  },
  {
    name: 'Mlflow_Evaluation_Base_Job',
    script: 'ft/scripts/mlflow_evaluation_base_script.py',
    runtime_identifier: 'docker.repository.cloudera.com/cloudera/cdsw/ml-runtime-jupyterlab-python3.10-cuda:2024.05.1-b8',
    cpu: 2,
    memory: 8,
    nvidia_gpu: 1,
  },
];

export class FakeCmlServer {
  readonly projectId: string;
  readonly apiKey: string;
  readonly jobs = new Map<string, FakeJob>();
  readonly runs = new Map<string, FakeRun>();
  readonly models = new Map<string, FakeModel>();
  readonly builds = new Map<string, FakeModelBuild>();
  readonly deployments = new Map<string, FakeModelDeployment>();
  readonly requests: RecordedRequest[] = [];
  runSequence: string[];
  stopSequence: string[];
  buildSequence: string[];
  deploymentSequence: string[];
  deploymentStopSequence: string[];
  private faults: Array<Fault & { left: number }> = [];
  private ids = 0;
  private server?: http.Server;
  url = '';

  constructor(private readonly options: FakeCmlOptions = {}) {
    this.projectId = options.projectId ?? 'proj-1';
    this.apiKey = options.apiKey ?? 'test-key';
    this.runSequence = options.runSequence ?? ['ENGINE_SCHEDULING', 'ENGINE_STARTING', 'ENGINE_RUNNING', 'ENGINE_SUCCEEDED'];
    this.stopSequence = options.stopSequence ?? ['ENGINE_STOPPING', 'ENGINE_STOPPED'];
    this.buildSequence = options.buildSequence ?? ['pending', 'building', 'pushing', 'built'];
    this.deploymentSequence = options.deploymentSequence ?? ['pending', 'deploying', 'deployed'];
    this.deploymentStopSequence = options.deploymentStopSequence ?? ['stopping', 'stopped'];
    for (const t of options.templates ?? DEFAULT_TEMPLATES) this.addJob(t);
  }

  static async start(options: FakeCmlOptions = {}): Promise<FakeCmlServer> {
    const fake = new FakeCmlServer(options);
    await fake.listen();
    return fake;
  }

  /** CDSW_API_URL as CML sets it (v1 path; the client keeps only scheme and host). */
  get apiUrl(): string {
    return `${this.url}/api/v1`;
  }

  addJob(j: Partial<FakeJob> & { name: string }): FakeJob {
    const job: FakeJob = {
      id: j.id ?? this.nextId('job'),
      project_id: this.projectId,
      script: '',
      runtime_identifier: '',
      cpu: 2,
      memory: 8,
      nvidia_gpu: 0,
      arguments: '',
      environment: '{}',
      kernel: '',
      created_at: new Date().toISOString(),
      ...j,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** The next `times` requests matching the fault get it instead of (or before) the real answer. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Sets the remaining statuses of a run. */
  script(runId: string, sequence: string[]): void {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`no run ${runId}`);
    run.sequence = [...sequence];
  }

  /** Adds a model as if someone created it in CML (e.g. one with the same name). */
  addModel(m: Partial<FakeModel> & { name: string }): FakeModel {
    const id = m.id ?? this.nextId('model');
    const model: FakeModel = {
      id,
      project_id: this.projectId,
      description: '',
      disable_authentication: false,
      auth_enabled: true,
      access_key: `key-${id}`,
      crn: `crn:cdp:ml:models/${id}`,
      created_at: new Date().toISOString(),
      ...m,
    };
    this.models.set(model.id, model);
    return model;
  }

  /** Sets the remaining statuses of a model build. */
  scriptBuild(buildId: string, sequence: string[]): void {
    const build = this.builds.get(buildId);
    if (!build) throw new Error(`no build ${buildId}`);
    build.sequence = [...sequence];
  }

  /** Sets the remaining statuses of a model deployment. */
  scriptDeployment(deploymentId: string, sequence: string[]): void {
    const d = this.deployments.get(deploymentId);
    if (!d) throw new Error(`no deployment ${deploymentId}`);
    d.sequence = [...sequence];
  }

  /** Requests as `METHOD path` lines (for compact assertions). */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', () => void this.handle(req, res, raw));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body });
    let lateMs = 0;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const write = () => {
        if (res.destroyed || res.writableEnded) return;
        const text = JSON.stringify(payload);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
        res.end(text);
      };
      if (lateMs > 0) setTimeout(write, lateMs);
      else write();
    };
    const error = (status: number, message: string, headers?: Record<string, string>) =>
      send(status, { code: grpcCode(status), message, details: [] }, headers);

    const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.pathIncludes || path.includes(f.pathIncludes)) && (!f.pathEndsWith || path.endsWith(f.pathEndsWith)));
    if (fault) {
      fault.left--;
      if (fault.thenProcess) {
        lateMs = fault.delayMs ?? 0; // handled now, answered late
      } else {
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.drop) return void res.socket?.destroy();
        if (fault.status) return error(fault.status, `injected HTTP ${fault.status}`, fault.headers);
        if (fault.delayMs) return error(504, 'late answer');
      }
    }

    if (req.headers.authorization !== `Bearer ${this.apiKey}`) return error(401, 'Unauthorized: bad or missing API key');

    const mm = /^\/api\/v2\/projects\/([^/]+)\/models(?:\/([^/]+)(?:\/builds(?:\/([^/]+)(?:\/deployments(?:\/([^/:]+)(:stop)?)?)?)?)?)?$/.exec(path);
    if (mm) return this.handleModels(method, path, url.searchParams, body as Record<string, unknown> | undefined, mm, send, error);

    const m = /^\/api\/v2\/projects\/([^/]+)\/jobs(?:\/([^/]+)(?:\/runs(?:\/([^/:]+)(:stop)?)?)?)?$/.exec(path);
    if (!m) return error(404, `no route for ${method} ${path}`);
    const [, projectId, jobId, runId, stop] = m;
    if (projectId !== this.projectId) return error(404, `project ${projectId} not found`);
    const isRunsPath = path.includes('/runs');

    // /jobs
    if (!jobId) {
      if (method === 'GET') return send(200, this.listJobs(url.searchParams));
      if (method === 'POST') return send(200, this.createJob(body as Record<string, unknown>));
      return error(405, 'method not allowed');
    }
    const job = this.jobs.get(jobId);
    if (!job) return error(404, `job ${jobId} not found`);
    if (!isRunsPath) return method === 'GET' ? send(200, job) : error(405, 'method not allowed');

    // /jobs/{job}/runs
    if (!runId) {
      if (method === 'POST') return send(200, this.createRun(job));
      if (method === 'GET') {
        const runs = [...this.runs.values()].filter((r) => r.job_id === job.id).reverse();
        const size = Number(url.searchParams.get('page_size') ?? 10);
        return send(200, { job_runs: runs.slice(0, size).map(publicRun), next_page_token: '' });
      }
      return error(405, 'method not allowed');
    }
    const run = this.runs.get(runId);
    if (!run || run.job_id !== job.id) return error(404, `job run ${runId} not found`);
    if (stop) {
      if (method !== 'POST') return error(405, 'method not allowed');
      if (['ENGINE_SUCCEEDED', 'ENGINE_FAILED', 'ENGINE_STOPPED', 'ENGINE_TIMEDOUT'].includes(run.status)) {
        return error(400, `cannot stop a job run in state ${run.status}`);
      }
      run.sequence = [...this.stopSequence];
      run.status = run.sequence.shift() ?? run.status;
      if (run.sequence.length === 0) run.sequence = [run.status];
      return send(200, publicRun(run));
    }
    if (method !== 'GET') return error(405, 'method not allowed');
    if (run.sequence.length > 0) {
      run.status = run.sequence.length > 1 ? run.sequence.shift()! : run.sequence[0]!;
    }
    return send(200, publicRun(run));
  }

  private handleModels(
    method: string,
    path: string,
    q: URLSearchParams,
    body: Record<string, unknown> | undefined,
    [, projectId, modelId, buildId, deploymentId, stop]: RegExpExecArray,
    send: (status: number, payload: unknown) => void,
    error: (status: number, message: string) => void,
  ): void {
    if (projectId !== this.projectId) return error(404, `project ${projectId} not found`);
    const b = body ?? {};
    if (!modelId) {
      if (method === 'GET') {
        let filter: Record<string, unknown> = {};
        try {
          filter = JSON.parse(q.get('search_filter') ?? '{}') as Record<string, unknown>;
        } catch {
          return error(400, 'search_filter is not JSON');
        }
        const name = typeof filter.name === 'string' ? filter.name : undefined;
        const models = [...this.models.values()].filter((m) => !name || m.name.includes(name));
        return send(200, { models, next_page_token: '' });
      }
      if (method === 'POST') {
        if (!b.name) return error(400, 'model name is required');
        const disable = b.disable_authentication === true;
        return send(200, this.addModel({ name: String(b.name), description: String(b.description ?? ''), disable_authentication: disable, auth_enabled: !disable }));
      }
      return error(405, 'method not allowed');
    }
    const model = this.models.get(modelId);
    if (!model) return error(404, `model ${modelId} not found`);
    if (!path.includes('/builds')) return method === 'GET' ? send(200, model) : error(405, 'method not allowed');

    if (!buildId) {
      if (method === 'POST') return send(200, publicBuild(this.createBuild(model, b)));
      if (method === 'GET') {
        const builds = [...this.builds.values()].filter((x) => x.model_id === model.id).reverse().map(publicBuild);
        return send(200, { model_builds: builds, next_page_token: '' });
      }
      return error(405, 'method not allowed');
    }
    const build = this.builds.get(buildId);
    if (!build || build.model_id !== model.id) return error(404, `model build ${buildId} not found`);
    if (!path.includes('/deployments')) {
      if (method !== 'GET') return error(405, 'method not allowed');
      this.advanceBuild(build);
      return send(200, publicBuild(build));
    }

    if (!deploymentId) {
      if (method !== 'GET') return error(405, 'method not allowed');
      const ds = [...this.deployments.values()].filter((d) => d.build_id === build.id).reverse();
      for (const d of ds) if (d.sequence.length > 0) d.status = d.sequence.length > 1 ? d.sequence.shift()! : d.sequence[0]!;
      return send(200, { model_deployments: ds.map(publicDeployment), next_page_token: '' });
    }
    const dep = this.deployments.get(deploymentId);
    if (!dep || dep.build_id !== build.id) return error(404, `model deployment ${deploymentId} not found`);
    if (!stop) return method === 'GET' ? send(200, publicDeployment(dep)) : error(405, 'method not allowed');
    if (method !== 'POST') return error(405, 'method not allowed');
    if (['stopped', 'failed'].includes(dep.status)) return error(400, `cannot stop a model deployment in state ${dep.status}`);
    dep.sequence = [...this.deploymentStopSequence];
    dep.status = dep.sequence.shift() ?? dep.status;
    if (dep.sequence.length === 0) dep.sequence = [dep.status];
    return send(200, publicDeployment(dep));
  }

  private createBuild(model: FakeModel, b: Record<string, unknown>): FakeModelBuild {
    const config = b.auto_deployment_config;
    const build: FakeModelBuild = {
      id: this.nextId('build'),
      model_id: model.id,
      project_id: this.projectId,
      status: this.buildSequence[0] ?? 'pending',
      file_path: String(b.file_path ?? ''),
      function_name: String(b.function_name ?? ''),
      kernel: String(b.kernel ?? ''),
      runtime_identifier: String(b.runtime_identifier ?? ''),
      created_at: new Date().toISOString(),
      auto_deploy_model: b.auto_deploy_model === true,
      ...(config && typeof config === 'object' ? { auto_deployment_config: config as Record<string, unknown> } : {}),
      sequence: [...this.buildSequence],
    };
    this.builds.set(build.id, build);
    return build;
  }

  private advanceBuild(build: FakeModelBuild): void {
    if (build.sequence.length > 0) build.status = build.sequence.length > 1 ? build.sequence.shift()! : build.sequence[0]!;
    if (['build failed', 'timedout'].includes(build.status) && this.options.buildFailureMessage) {
      build.failure_reason = this.options.buildFailureMessage;
    }
    const done = build.status === 'built' || build.status === 'succeeded';
    if (done && build.auto_deploy_model && ![...this.deployments.values()].some((d) => d.build_id === build.id)) {
      const c = build.auto_deployment_config ?? {};
      const dep: FakeModelDeployment = {
        id: this.nextId('deployment'),
        model_id: build.model_id,
        build_id: build.id,
        project_id: this.projectId,
        status: this.deploymentSequence[0] ?? 'pending',
        cpu: Number(c.cpu ?? 0),
        memory: Number(c.memory ?? 0),
        nvidia_gpus: Number(c.nvidia_gpus ?? 0),
        replicas: Number(c.replicas ?? 1),
        environment: JSON.stringify(c.environment ?? {}),
        created_at: new Date().toISOString(),
        sequence: [...this.deploymentSequence],
      };
      this.deployments.set(dep.id, dep);
    }
  }

  private listJobs(q: URLSearchParams) {
    let filter: Record<string, unknown> = {};
    try {
      filter = JSON.parse(q.get('search_filter') ?? '{}') as Record<string, unknown>;
    } catch {
      /* the real API answers 400; unused */
    }
    const name = typeof filter.name === 'string' ? filter.name : undefined;
    const loose = this.options.looseNameFilter ?? true;
    const all = [...this.jobs.values()].filter((j) => !name || (loose ? j.name.includes(name) : j.name === name));
    const size = Number(q.get('page_size') ?? this.options.pageSize ?? 10);
    const pageSize = Math.min(size, this.options.pageSize ?? size);
    const start = Number(q.get('page_token') || 0);
    const page = all.slice(start, start + pageSize);
    const next = start + pageSize < all.length ? String(start + pageSize) : '';
    const jobs = page.map((j) => (this.options.listOmitsRuntime ? { ...j, runtime_identifier: undefined } : j));
    return { jobs, next_page_token: next };
  }

  private createJob(b: Record<string, unknown>): FakeJob {
    return this.addJob({
      name: String(b.name ?? ''),
      script: String(b.script ?? ''),
      runtime_identifier: String(b.runtime_identifier ?? ''),
      cpu: Number(b.cpu ?? 0),
      memory: Number(b.memory ?? 0),
      nvidia_gpu: Number(b.nvidia_gpu ?? 0),
      arguments: String(b.arguments ?? ''),
      environment: JSON.stringify(b.environment ?? {}),
      ...(b.accelerator_label_id !== undefined ? { accelerator_label_id: String(b.accelerator_label_id) } : {}),
    });
  }

  private createRun(job: FakeJob) {
    const sequence = [...this.runSequence];
    const run: FakeRun = {
      id: this.nextId('run'),
      job_id: job.id,
      project_id: this.projectId,
      status: 'ENGINE_SCHEDULING',
      created_at: new Date().toISOString(),
      sequence,
    };
    this.runs.set(run.id, run);
    return publicRun(run);
  }

  private nextId(prefix: string): string {
    return `${prefix}-${(++this.ids).toString(36).padStart(4, '0')}`;
  }
}

const publicRun = ({ sequence: _s, ...run }: FakeRun) => run;
const publicBuild = ({ sequence: _s, auto_deploy_model: _a, auto_deployment_config: _c, ...build }: FakeModelBuild) => build;
const publicDeployment = ({ sequence: _s, ...d }: FakeModelDeployment) => d;

function grpcCode(status: number): number {
  return ({ 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 429: 8, 500: 13, 502: 14, 503: 14, 504: 4 } as Record<number, number>)[status] ?? 2;
}
