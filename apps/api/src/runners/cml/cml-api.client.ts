import { DomainError, type ErrorKind } from '@fts/domain';
import { HttpClient, HttpUnreachable, isTransientStatus, type JsonReply } from '../../platform/http-client/http-client.js';

/**
 * The few CML API v2 calls the runner makes (spec/jobs.md §5), over the
 * shared HttpClient (platform/http-client).
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
  private readonly http: HttpClient;

  constructor(options: CmlApiOptions) {
    let url: URL;
    try {
      url = new URL(options.apiUrl);
    } catch {
      throw new CmlApiError('failed_precondition', 'CML.CONFIG_INVALID', `CDSW_API_URL '${options.apiUrl}' is not a URL.`, undefined, false);
    }
    this.host = url.origin;
    this.projectId = options.projectId;
    this.http = new HttpClient({
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 5,
      baseDelayMs: options.baseDelayMs,
      maxDelayMs: options.maxDelayMs,
      sleep: options.sleep,
      random: options.random,
      fetch: options.fetch,
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
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
    const unreachable = (reason: string, status: number | undefined) =>
      new CmlApiError(
        'unavailable',
        'CML.UNREACHABLE',
        `The CML API at ${this.host} did not complete ${call} after ${this.http.maxAttempts} attempts: ${reason}. Check CDSW_API_URL and the network.`,
        status,
        true,
      );
    let reply: JsonReply<T>;
    try {
      reply = await this.http.json<T>(new URL(path, this.host), { method, query: opts.query, body: opts.body, recover: opts.recover, emptyBody: {} as T });
    } catch (e) {
      if (e instanceof HttpUnreachable) throw unreachable(e.reason, e.status);
      throw e;
    }
    if (reply.ok) return reply.body;
    const message = messageOf(reply.text);
    if (isTransientStatus(reply.status)) throw unreachable(`HTTP ${reply.status}${message ? `: ${message}` : ''}`, reply.status);
    throw this.refusal(call, reply.status, message);
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
