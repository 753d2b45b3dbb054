import path from 'node:path';

/**
 * The folder under which job run folders live (`<state dir>/job_runs`), as
 * jobs record it: relative to the project, with forward slashes, when inside
 * it; absolute otherwise. The start command records it, the supervisor saves
 * adapters under it and deletion looks for them there, so all three use this
 * one definition.
 */
export function jobRunsDir(projectRoot: string, stateDir: string): string {
  const abs = path.join(stateDir, 'job_runs');
  const rel = path.relative(projectRoot, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}
