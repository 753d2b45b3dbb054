import fs from 'node:fs';
import path from 'node:path';
import { isDomainError, type ExportFolderFact } from '@fts/domain';
import type { ProjectPaths } from '../platform/paths/project-paths.js';

/**
 * What is at a `project` export's artifact_location, for the decider to
 * judge: a path outside the project (symlinks followed) is a refusal carried
 * as a fact; a folder is `empty_directory` or `directory` (has entries).
 */
export function exportFolderFact(paths: ProjectPaths, p: string, field = 'artifact_location'): ExportFolderFact {
  let abs: string;
  try {
    abs = paths.resolve(p.trim(), field);
  } catch (e) {
    if (isDomainError(e)) return { kind: 'refused', error: e };
    throw e;
  }
  const relative = paths.relative(abs).split(path.sep).join('/');
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return { kind: 'missing', relative };
  }
  if (st.isFile()) return { kind: 'file', relative };
  if (!st.isDirectory()) return { kind: 'other', relative };
  const dir = fs.opendirSync(abs);
  try {
    return { kind: dir.readSync() ? 'directory' : 'empty_directory', relative };
  } finally {
    dir.closeSync();
  }
}
