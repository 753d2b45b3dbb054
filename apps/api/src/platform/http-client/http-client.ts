/**
 * The one HTTP client for the external JSON APIs the server calls (the
 * Hugging Face Hub, the CML model registry, the CML API v2):
 *
 * - every attempt has a deadline (AbortSignal.timeout) over the whole
 *   exchange, body included, and a bound on the body read;
 * - network errors, timeouts, an unreadable answer, HTTP 429 and 5xx are
 *   retried with exponential backoff and equal jitter, a bounded number of
 *   times (Retry-After is honoured, capped); `maxAttempts: 1` never retries;
 * - a POST that creates something may pass `recover`: before a retry it
 *   looks for what the lost attempt may have created;
 * - failures are sorted into "could not reach it" (HttpUnreachable, with a
 *   reason a person can read) and "it answered" (a reply with `ok: false`).
 *   Callers turn both into domain errors with their own wording.
 */
export interface HttpClientOptions {
  /** Deadline of one attempt. */
  timeoutMs: number;
  /** Attempts per call, the first included. Default 1 (no retry). */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt, with jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** Largest backoff delay (and largest Retry-After honoured). Default 10 s. */
  maxDelayMs?: number;
  /** Largest body read; a longer answer is a failure, never buffered whole. Default 32 MiB. */
  maxBytes?: number;
  /** Headers sent with every request (e.g. authorization). */
  headers?: Record<string, string>;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

export interface JsonRequest<T> {
  method?: 'GET' | 'POST';
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON when set. */
  body?: unknown;
  /** What an empty successful answer stands for; without it an empty answer is "not JSON". */
  emptyBody?: T;
  /** Before a retry: what the lost attempt may have created; found, it is the answer. */
  recover?: () => Promise<T | undefined>;
}

/** A successful answer's JSON, or the status and text of an answer that is not a success. */
export type JsonReply<T> = { ok: true; status: number; body: T } | { ok: false; status: number; text: string };

/** The server could not be reached, did not answer in time, or answered something unreadable (after every attempt). */
export class HttpUnreachable extends Error {
  constructor(
    readonly reason: string,
    /** The status of the last answer when there was one (e.g. a 200 that was not JSON). */
    readonly status?: number,
  ) {
    super(reason);
    this.name = 'HttpUnreachable';
  }
}

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** Worth asking again: the server is busy or failing, not refusing. */
export const isTransientStatus = (status: number): boolean => status === 429 || status >= 500;

export class HttpClient {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: HttpClientOptions) {
    this.timeoutMs = options.timeoutMs;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 1);
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * One JSON call with retries. Resolves with the parsed answer, or with the
   * last answer that is not a success (a refusal at once; a 429/5xx once the
   * attempts are spent); throws HttpUnreachable when no attempt got a usable
   * answer.
   */
  async json<T = unknown>(url: string | URL, req: JsonRequest<T> = {}): Promise<JsonReply<T>> {
    let target: URL;
    try {
      target = new URL(url);
    } catch (e) {
      // As fetch words it: the parse error is the cause.
      throw new HttpUnreachable(reasonOf({ cause: e }, this.timeoutMs));
    }
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== '') target.searchParams.set(k, String(v));
    let last: { reply: JsonReply<T> } | { unreachable: HttpUnreachable } = { unreachable: new HttpUnreachable('no attempt was made') };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1 && req.recover) {
        // The previous attempt may have landed even though its answer was lost.
        const found = await req.recover().catch(() => undefined);
        if (found !== undefined) return { ok: true, status: 200, body: found };
      }
      let retryAfterMs: number | undefined;
      try {
        const { status, ok, text, headers } = await this.attempt(target, req);
        if (ok) {
          if (text.trim() === '' && req.emptyBody !== undefined) return { ok: true, status, body: req.emptyBody };
          try {
            return { ok: true, status, body: JSON.parse(text) as T };
          } catch {
            last = { unreachable: new HttpUnreachable(`it answered HTTP ${status} with something that is not JSON`, status) };
          }
        } else if (isTransientStatus(status)) {
          last = { reply: { ok: false, status, text } };
          retryAfterMs = retryAfter(headers.get('retry-after'));
        } else {
          return { ok: false, status, text };
        }
      } catch (e) {
        last = { unreachable: new HttpUnreachable(reasonOf(e, this.timeoutMs)) };
      }
      if (attempt < this.maxAttempts) await this.sleep(this.backoff(attempt, retryAfterMs));
    }
    if ('reply' in last) return last.reply;
    throw last.unreachable;
  }

  /** Exponential backoff with equal jitter, at least Retry-After, capped. */
  private backoff(attempt: number, retryAfterMs?: number): number {
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.round(exp / 2 + (this.random() * exp) / 2);
    return Math.min(this.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
  }

  private async attempt(url: URL, req: JsonRequest<unknown>): Promise<{ status: number; ok: boolean; text: string; headers: Headers }> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const res = await this.fetchFn(url, {
      method: req.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...this.options.headers,
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      signal,
      redirect: 'follow',
    });
    const text = await readText(res, this.maxBytes);
    return { status: res.status, ok: res.ok, text, headers: res.headers };
  }
}

async function readText(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw new Error(`its answer is larger than ${maxBytes} bytes`);
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`its answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function retryAfter(v: string | null): number | undefined {
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

/** A short reason a person can read: the timeout, or the socket error's code and message. */
export function reasonOf(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = err?.cause;
  if (cause?.code && cause.message) return cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
  if (cause?.message) return cause.message;
  return err?.message ?? String(e);
}
