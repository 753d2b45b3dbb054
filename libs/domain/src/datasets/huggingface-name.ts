import { invalidArgument } from '../shared/domain-error.js';

/**
 * A Hugging Face repository id: `name` or `namespace/name`, each part made of
 * letters, digits, `-`, `_` and `.` (the Hub's own rule), at most 96
 * characters a part. Checked before any request so a name can never steer
 * the Hub URL elsewhere.
 */
const PART = /^[A-Za-z0-9_.-]{1,96}$/;

export function isHuggingFaceRepoId(name: string): boolean {
  const parts = name.split('/');
  if (parts.length > 2) return false;
  return parts.every((p) => PART.test(p) && p !== '.' && p !== '..' && !p.includes('--') && !p.includes('..'));
}

export function requireHuggingFaceRepoId(name: string, what: 'Dataset' | 'Model', code: string): void {
  if (!isHuggingFaceRepoId(name)) {
    throw invalidArgument(
      code,
      `${what} name '${name}' is not a Hugging Face repository id: use 'name' or 'namespace/name' with letters, digits, '-', '_' and '.'.`,
    );
  }
}
