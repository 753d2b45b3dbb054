import { HttpErrorResponse } from '@angular/common/http';

/** The error every API call fails with, after the error interceptor. `message` is what the user reads. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Maps an HttpErrorResponse (server body `{error:{code,reason,message}}`, or none) to an ApiError. */
export function toApiError(e: HttpErrorResponse): ApiError {
  let body: unknown = e.error;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* plain text body */
    }
  }
  const err = (body as { error?: { code?: string; reason?: string; message?: string } } | null)?.error;
  if (err && typeof err === 'object' && err.message) {
    return new ApiError(e.status, err.code ?? 'UNKNOWN', err.reason ?? err.code ?? 'UNKNOWN', forPeople(err.message));
  }
  if (e.status === 0) {
    return new ApiError(0, 'UNAVAILABLE', 'NETWORK', 'The server cannot be reached. Is Fine Tuning Studio running?');
  }
  const text = typeof body === 'string' && body.length < 300 ? body : e.statusText || 'Request failed';
  return new ApiError(e.status, 'HTTP_' + e.status, 'HTTP_' + e.status, `${text} (HTTP ${e.status})`);
}

/** `base_model_id` → `Base model id` (a request field as a person would name it). */
function fieldLabel(field: string): string {
  const words = field.replace(/\[\d+\]/g, '').replace(/[_.]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A server sentence without protocol wording: "Field 'adapter_ids' is required in
 * StartAdapterComparisonRequest." reads "Adapter ids is required." in the console
 * (API clients keep the original's sentence).
 */
export function forPeople(message: string): string {
  return message
    .replace(/ in [A-Z]\w*Request\b/g, '')
    .replace(/\bField '([^']+)'/g, (_m, f: string) => fieldLabel(f));
}

/** Text to show for any error caught in a page. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
