import fs from 'node:fs';
import type { Row } from '@fts/domain';
import type { ProjectPaths } from '../platform/paths/project-paths.js';

/**
 * HTTP list rows of datasets, models and adapters get `file_missing: true`
 * when their project file or folder is not there (an imported row whose
 * files were not copied, or a file removed since), so the console can mark
 * it. Rows without a location (Hugging Face, model registry) never do. The
 * gRPC messages keep the wire contract and carry nothing extra.
 */
export function withFileMissing<M extends object>(paths: ProjectPaths, row: Row, message: M): M & { file_missing?: true } {
  const location = typeof row.location === 'string' ? row.location.trim() : '';
  if (!location) return message;
  let exists: boolean;
  try {
    exists = fs.existsSync(paths.resolve(location));
  } catch {
    exists = false; // outside the project: not a file this project has
  }
  return exists ? message : { ...message, file_missing: true };
}
