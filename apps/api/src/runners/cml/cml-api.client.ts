import { DomainError, type ErrorKind } from '@fts/domain';

/**
 * The few CML API v2 calls the runner makes (spec/jobs.md §5), over fetch.
 *
 * - Host: scheme + netloc of CDSW_API_URL; paths under /api/v2.
 * - Auth: `authorization: Bearer <CDSW_APIV2_KEY>`.
 * - Every attempt has a deadline (AbortSignal.timeout). Network errors,
 *   timeouts, HTTP 429 and 5xx are retried with exponential backoff and
 *   jitter, a bounded number of times (Retry-After is honoured, capped).
 *   Other 4xx are not retried; the error carries the API's own message.
 * - A POST that creates something passes `recover`: before a retry it looks
 *   for what the lost attempt may have created, so a timeout never creates
 *   a second job or run.
 *
 * TLS: Node's fetch uses its own CA bundle; where CML needs the system one
 * (/etc/ssl/certs/ca-certificates.crt), start the server with
 * NODE_EXTRA_CA_CERTS pointing at it.
 */
export interface CmlApiOptions {
  /** CDSW_API_URL, e.g. https://ml-1234.example.site/api/v1 (only scheme and host are used). */
  apiUrl: string;
  /** CDSW_APIV2_KEY. */
  apiKey: string;
  /** CDSW_PROJECT_ID. */
  projectId: string;
  /** Deadline of one attempt. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per call, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt, with jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** Largest backoff delay (and largest Retry-After honoured). Default 10 s. */
  maxDelayMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

export interface CmlJob {
  id: string;
  name?: string;
  script?: string;
  runtime_identifier?: string;
  /** A JSON string in API answers. */
  environment?: string;
  [key: string]: unknown;
}

export interface CmlJobRun {
  id: string;
  job_id?: string;
  /** EngineStatus, a raw string such as ENGINE_RUNNING (spec/jobs.md §5.3). */
  status?: string;
  [key: string]: unknown;
}

export interface CreateJobBody {
  project_id: string;
  name: string;
  script: string;
  runtime_identifier?: string;
  cpu: number;
  memory: number;
  nvidia_gpu: number;
  arguments: string;
  /** A string in the schema; sent only when a label is chosen. */
  accelerator_label_id?: string;
  environment?: Record<string, string>;
  kernel?: string;
  timeout?: number;
  kill_on_timeout?: boolean;
}

/** A CML model (create_model answer): the endpoint is called with its access_key. */
export interface CmlModel {
  id: string;
  name?: string;
  access_key?: string;
  auth_enabled?: boolean;
  [key: string]: unknown;
}

/** A model build; `status` is a lowercase string (pending, queued, pushing, built, succeeded, build failed, timedout, unknown). */
export interface CmlModelBuild {
  id: string;
  model_id?: string;
  status?: string;
  [key: string]: unknown;
}

/** A model deployment; `status` is a lowercase string (`deployed` when serving). */
export interface CmlModelDeployment {
  id: string;
  build_id?: string;
  status?: string;
  [key: string]: unknown;
}

export interface CreateModelBody {
  project_id: string;
  name: string;
  description: string;
  disable_authentication: boolean;
}

export interface CreateModelBuildBody {
  project_id: string;
  model_id: string;
  file_path: string;
  function_name: string;
  kernel: string;
  runtime_identifier: string;
  auto_deploy_model: boolean;
  auto_deployment_config: {
    cpu: number;
    memory: number;
    nvidia_gpus: number;
    replicas: number;
    environment: Record<string, string>;
  };
}

/** A failed CML call. `transient`: worth asking again later (network, timeout, 429, 5xx). */
export class CmlApiError extends DomainError {
  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    readonly httpStatus: number | undefined,
    readonly transient: boolean,
  ) {
    super(kind, code, message);
    this.name = 'CmlApiError';
  }
}

type Query = Record<string, string | number | undefined>;

export class CmlApiClient {
  readonly host: string;
  readonly projectId: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: CmlApiOptions) {
    let url: URL;
    try {
      url = new URL(options.apiUrl);
    } catch {
      throw new CmlApiError('failed_precondition', 'CML.CONFIG_INVALID', `CDSW_API_URL '${options.apiUrl}' is not a URL.`, undefined, false);
    }
    this.host = url.origin;
    this.projectId = options.projectId;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  private get projectPath(): string {
    return `/api/v2/projects/${encodeURIComponent(this.projectId)}`;
  }

  /** list_jobs with a search filter, every page (bounded). */
  async listJobs(filter: Record<string, string>): Promise<CmlJob[]> {
    const jobs: CmlJob[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await this.request<{ jobs?: CmlJob[]; next_page_token?: string }>('list_jobs', 'GET', `${this.projectPath}/jobs`, {
        query: { search_filter: JSON.stringify(filter), page_size: 100, page_token: pageToken },
      });
      jobs.push(...(Array.isArray(res.jobs) ? res.jobs : []));
      pageToken = res.next_page_token || undefined;
      if (!pageToken) break;
    }
    return jobs;
  }

  getJob(jobId: string): Promise<CmlJob> {
    return this.request('get_job', 'GET', `${this.projectPath}/jobs/${encodeURIComponent(jobId)}`);
  }

  createJob(body: CreateJobBody, recover?: () => Promise<CmlJob | undefined>): Promise<CmlJob> {
    return this.request('create_job', 'POST', `${this.projectPath}/jobs`, { body, recover });
  }

  createJobRun(jobId: string, recover?: () => Promise<CmlJobRun | undefined>): Promise<CmlJobRun> {
    return this.request('create_job_run', 'POST', `${this.projectPath}/jobs/${encodeURIComponent(jobId)}/runs`, {
      body: { project_id: this.projectId, job_id: jobId },
      recover,
    });
  }

  /** The newest runs of a job (list_job_runs, sort=-created_at). */
  async listJobRuns(jobId: string, pageSize = 10): Promise<CmlJobRun[]> {
    const res = await this.request<{ job_runs?: CmlJobRun[] }>('list_job_runs', 'GET', `${this.projectPath}/jobs/${encodeURIComponent(jobId)}/runs`, {
      query: { sort: '-created_at', page_size: pageSize },
    });
    return Array.isArray(res.job_runs) ? res.job_runs : [];
  }

  getJobRun(jobId: string, runId: string): Promise<CmlJobRun> {
    return this.request('get_job_run', 'GET', `${this.projectPath}/jobs/${encodeURIComponent(jobId)}/runs/${encodeURIComponent(runId)}`);
  }

  stopJobRun(jobId: string, runId: string): Promise<CmlJobRun> {
    return this.request('stop_job_run', 'POST', `${this.projectPath}/jobs/${encodeURIComponent(jobId)}/runs/${encodeURIComponent(runId)}:stop`, {
      body: {},
    });
  }

  /** list_models with a search filter (one page of 100; model names are matched loosely by CML). */
  async listModels(filter: Record<string, string>): Promise<CmlModel[]> {
    const res = await this.request<{ models?: CmlModel[] }>('list_models', 'GET', `${this.projectPath}/models`, {
      query: { search_filter: JSON.stringify(filter), page_size: 100 },
    });
    return Array.isArray(res.models) ? res.models : [];
  }

  createModel(body: CreateModelBody, recover?: () => Promise<CmlModel | undefined>): Promise<CmlModel> {
    return this.request('create_model', 'POST', `${this.projectPath}/models`, { body, recover });
  }

  createModelBuild(modelId: string, body: CreateModelBuildBody, recover?: () => Promise<CmlModelBuild | undefined>): Promise<CmlModelBuild> {
    return this.request('create_model_build', 'POST', `${this.modelPath(modelId)}/builds`, { body, recover });
  }

  /** The builds of a model, newest first (one page of 100). */
  async listModelBuilds(modelId: string): Promise<CmlModelBuild[]> {
    const res = await this.request<{ model_builds?: CmlModelBuild[] }>('list_model_builds', 'GET', `${this.modelPath(modelId)}/builds`, {
      query: { sort: '-created_at', page_size: 100 },
    });
    return Array.isArray(res.model_builds) ? res.model_builds : [];
  }

  getModelBuild(modelId: string, buildId: string): Promise<CmlModelBuild> {
    return this.request('get_model_build', 'GET', `${this.modelPath(modelId)}/builds/${encodeURIComponent(buildId)}`);
  }

  /** The deployments of a build, newest first (one page of 100). */
  async listModelDeployments(modelId: string, buildId: string): Promise<CmlModelDeployment[]> {
    const res = await this.request<{ model_deployments?: CmlModelDeployment[] }>(
      'list_model_deployments',
      'GET',
      `${this.modelPath(modelId)}/builds/${encodeURIComponent(buildId)}/deployments`,
      { query: { sort: '-created_at', page_size: 100 } },
    );
    return Array.isArray(res.model_deployments) ? res.model_deployments : [];
  }

  stopModelDeployment(modelId: string, buildId: string, deploymentId: string): Promise<CmlModelDeployment> {
    return this.request(
      'stop_model_deployment',
      'POST',
      `${this.modelPath(modelId)}/builds/${encodeURIComponent(buildId)}/deployments/${encodeURIComponent(deploymentId)}:stop`,
      { body: {} },
    );
  }

  private modelPath(modelId: string): string {
    return `${this.projectPath}/models/${encodeURIComponent(modelId)}`;
  }

  private async request<T>(
    call: string,
    method: 'GET' | 'POST',
    path: string,
    opts: { query?: Query; body?: unknown; recover?: () => Promise<T | undefined> } = {},
  ): Promise<T> {
    const url = new URL(path, this.host);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    let lastReason = '';
    let lastStatus: number | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1 && opts.recover) {
        // The previous attempt may have landed even though its answer was lost.
        const found = await opts.recover().catch(() => undefined);
        if (found !== undefined) return found;
      }
      let retryAfterMs: number | undefined;
      try {
        const res = await this.fetchFn(url, {
          method,
          headers: {
            authorization: `Bearer ${this.options.apiKey}`,
            accept: 'application/json',
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await res.text();
        if (res.ok) {
          if (text.trim() === '') return {} as T;
          try {
            return JSON.parse(text) as T;
          } catch {
            lastStatus = res.status;
            lastReason = `it answered HTTP ${res.status} with something that is not JSON`;
          }
        } else if (res.status === 429 || res.status >= 500) {
          lastStatus = res.status;
          lastReason = `HTTP ${res.status}${messageOf(text) ? `: ${messageOf(text)}` : ''}`;
          retryAfterMs = retryAfter(res.headers.get('retry-after'));
        } else {
          throw this.refusal(call, res.status, messageOf(text));
        }
      } catch (e) {
        if (e instanceof CmlApiError) throw e;
        lastStatus = undefined;
        lastReason = reasonOf(e, this.timeoutMs);
      }
      if (attempt < this.maxAttempts) {
        const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
        const jittered = Math.round(exp / 2 + (this.random() * exp) / 2);
        await this.sleep(Math.min(this.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
      }
    }
    throw new CmlApiError(
      'unavailable',
      'CML.UNREACHABLE',
      `The CML API at ${this.host} did not complete ${call} after ${this.maxAttempts} attempts: ${lastReason}. Check CDSW_API_URL and the network.`,
      lastStatus,
      true,
    );
  }

  private refusal(call: string, status: number, message: string): CmlApiError {
    const said = message ? `: ${message}` : '';
    if (status === 401 || status === 403) {
      return new CmlApiError('failed_precondition', 'CML.ACCESS_DENIED', `The CML API refused ${call} (HTTP ${status})${said}. Check CDSW_APIV2_KEY.`, status, false);
    }
    if (status === 404) {
      return new CmlApiError('not_found', 'CML.NOT_FOUND', `The CML API found nothing for ${call} (HTTP 404)${said}.`, status, false);
    }
    return new CmlApiError('failed_precondition', 'CML.REQUEST_REJECTED', `The CML API refused ${call} (HTTP ${status})${said}.`, status, false);
  }
}

/** The API's own message (`{"message": ...}` from grpc-gateway, or `error`), else the text, shortened. */
function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : undefined;
    if (m !== undefined) return m.slice(0, 500);
  } catch {
    /* not JSON */
  }
  return text.trim().slice(0, 500);
}

function retryAfter(v: string | null): number | undefined {
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

function reasonOf(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = err?.cause;
  if (cause?.code && cause.message) return cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
  return cause?.message ?? err?.message ?? String(e);
}
