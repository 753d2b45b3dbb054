import fs from 'node:fs';
import path from 'node:path';
import type { FolderPlan, KeptFolder } from '@fts/domain';
import type { ProjectPaths } from './project-paths.js';

export interface FolderDeletion {
  deleted: string[];
  kept: KeptFolder[];
}

/** What a removal with delete_files did, as RemoveAdapterResponse / RemoveFineTuningJobResponse's extension fields. */
export const filesReport = (f: FolderDeletion) => ({ deleted_files: f.deleted, kept_files: f.kept.map((k) => `${k.path}: ${k.reason}`) });

/**
 * Deletes the folders a plan allows (project-relative), each checked again
 * against the project: one that resolves outside it (a symlink) is kept; a
 * symlink inside is removed as a link, never followed. A missing folder is
 * nothing to delete.
 */
export function deleteFolders(paths: ProjectPaths, plan: FolderPlan): FolderDeletion {
  const out: FolderDeletion = { deleted: [], kept: [...plan.kept] };
  for (const p of plan.delete) {
    let real: string;
    try {
      real = paths.resolve(p);
    } catch {
      out.kept.push({ path: p, reason: 'it resolves outside the project' });
      continue;
    }
    const link = path.resolve(paths.root, p);
    const st = fs.lstatSync(link, { throwIfNoEntry: false });
    if (!st) continue;
    try {
      if (st.isSymbolicLink()) fs.unlinkSync(link);
      else fs.rmSync(real, { recursive: true, force: true });
      out.deleted.push(p);
    } catch (e) {
      out.kept.push({ path: p, reason: `it could not be deleted: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out;
}
