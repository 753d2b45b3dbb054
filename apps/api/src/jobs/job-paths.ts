import fs from 'node:fs';
import path from 'node:path';
import { isDomainError, type PathFact } from '@fts/domain';
import type { ProjectPaths } from '../platform/paths/project-paths.js';

/**
 * What is at a request path inside the project, for the decider to judge in
 * its own order: a path outside the project is a refusal carried as a fact,
 * not thrown here.
 */
export function pathFact(paths: ProjectPaths, p: string, field: string): PathFact {
  let abs: string;
  try {
    abs = paths.resolve(p.trim(), field);
  } catch (e) {
    if (isDomainError(e)) return { kind: 'refused', error: e };
    throw e;
  }
  let kind: 'directory' | 'file' | 'other' | 'missing' = 'missing';
  try {
    const st = fs.statSync(abs);
    kind = st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other';
  } catch {
    kind = 'missing';
  }
  return { kind, relative: paths.relative(abs).split(path.sep).join('/') };
}

export { jobRunsDir } from '../platform/paths/job-runs-dir.js';

/**
 * The training form's default Output Location, as in the original. A fresh
 * project has no such folder, so it is the studio's own: created the first
 * time a job asks for it. Any other output folder must already exist.
 */
export const STUDIO_ADAPTERS_DIR = 'data/adapters';

export function ensureStudioAdaptersDir(paths: ProjectPaths, outputDir: string): void {
  try {
    const requested = paths.resolve(outputDir.trim(), 'output_dir');
    if (requested !== paths.resolve(STUDIO_ADAPTERS_DIR)) return;
    fs.mkdirSync(requested, { recursive: true });
  } catch {
    // A refused path, or a file in the way: the decider judges the path as it is and says why.
  }
}
