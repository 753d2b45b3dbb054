import { invalidArgument } from './domain-error.js';

/** Shape checks with the original's wording (spec/behaviour.md §1). */

export const isBlank = (s: string | undefined | null) => !s || s.trim() === '';

/** `Field '<f>' is required in <Message>.` when the value is empty / zero / false. */
export function requireFields(message: string, values: Record<string, unknown>, code = 'FIELD.REQUIRED'): void {
  for (const [field, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0)) {
      throw invalidArgument(code, `Field '${field}' is required in ${message}.`);
    }
  }
}

/** `Field '<f>' cannot be an empty string or only spaces.` */
export function requireNotBlank(values: Record<string, string>, code = 'FIELD.BLANK'): void {
  for (const [field, v] of Object.entries(values)) {
    if (v.trim() === '') throw invalidArgument(code, `Field '${field}' cannot be an empty string or only spaces.`);
  }
}

/** Bounds every string field of a request, so oversized input is a clear INVALID_ARGUMENT. */
export const MAX_FIELD_LENGTH = 1_000_000;
export const MAX_NAME_LENGTH = 512;

export function requireMaxLength(values: Record<string, string | undefined>, max = MAX_NAME_LENGTH): void {
  for (const [field, v] of Object.entries(values)) {
    if (v && v.length > max) {
      throw invalidArgument('FIELD.TOO_LONG', `Field '${field}' is too long (${v.length} characters; at most ${max}).`);
    }
  }
}
