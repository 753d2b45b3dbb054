/**
 * One small GET-JSON helper for the external HTTP APIs this area calls (the
 * Hugging Face Hub, the CML API): a deadline on the whole exchange, a bound
 * on the body, and failures sorted into "could not reach it" and "it
 * answered". Callers turn those into domain errors with their own wording.
 */
export interface HttpJsonOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Largest body read; a longer answer is a failure, never buffered whole. */
  maxBytes?: number;
}

export type HttpJsonResult = { ok: true; status: number; body: unknown } | { ok: false; status: number; text: string };

/** The server could not be reached, did not answer in time, or answered something unreadable. */
export class HttpUnreachable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export async function getJson(url: string, opts: HttpJsonOptions): Promise<HttpJsonResult> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json', ...opts.headers }, signal, redirect: 'follow' });
  } catch (e) {
    throw new HttpUnreachable(reasonOf(e, opts.timeoutMs));
  }
  let text: string;
  try {
    text = await readText(res, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch (e) {
    throw new HttpUnreachable(reasonOf(e, opts.timeoutMs));
  }
  if (!res.ok) return { ok: false, status: res.status, text: text.slice(0, 500) };
  try {
    return { ok: true, status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new HttpUnreachable(`it answered HTTP ${res.status} with something that is not JSON`);
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

/** A short reason a person can read: the timeout, or the socket error's code and message. */
function reasonOf(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = err?.cause;
  if (cause?.code && cause.message) return cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
  if (cause?.message) return cause.message;
  return err?.message ?? String(e);
}
