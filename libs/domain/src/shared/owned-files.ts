import type { FineTuningJobRow } from '../catalog/tables.js';
import type { CatalogReader } from './catalog.js';

/** A folder of a removed entity that was left in place, and why. */
export interface KeptFolder {
  path: string;
  reason: string;
}

export interface FolderPlan {
  /** Project-relative folders to delete. */
  delete: string[];
  kept: KeptFolder[];
}

const normalize = (p: string) =>
  p
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}/`);

/**
 * Which folders of a removed entity may be deleted with it: a folder inside
 * the project (relative, no `..`), not the project itself, and shared with no
 * other entity (no location of another model, dataset or adapter, nor another
 * job's adapter folder, is the folder, inside it, or holds it). Pure.
 */
export function planFolderDeletion(candidates: string[], otherLocations: { path: string; owner: string }[]): FolderPlan {
  const plan: FolderPlan = { delete: [], kept: [] };
  const others = otherLocations.map((o) => ({ path: normalize(o.path), owner: o.owner })).filter((o) => o.path !== '');
  for (const raw of candidates) {
    const p = normalize(raw);
    if (p === '' || p.startsWith('/') || raw.startsWith('/') || p.split('/').includes('..')) {
      plan.kept.push({ path: raw, reason: 'it is not a folder inside the project' });
      continue;
    }
    const sharer = others.find((o) => within(o.path, p) || within(p, o.path));
    if (sharer) {
      plan.kept.push({ path: p, reason: `${sharer.owner} uses it` });
      continue;
    }
    if (!plan.delete.includes(p)) plan.delete.push(p);
  }
  return plan;
}

/** Every location another entity keeps files in (for planFolderDeletion), leaving out `except` (the removed rows). */
export function locationsInUse(
  read: CatalogReader,
  adapterDirOfJob: (job: FineTuningJobRow) => string,
  except: { adapters?: string[]; jobs?: string[] } = {},
): { path: string; owner: string }[] {
  const out: { path: string; owner: string }[] = [];
  for (const [table, what] of [
    ['models', 'model'],
    ['datasets', 'dataset'],
    ['adapters', 'adapter'],
  ] as const) {
    for (const row of read.find(table)) {
      if (table === 'adapters' && except.adapters?.includes(row.id)) continue;
      if (typeof row.location === 'string' && row.location) out.push({ path: row.location, owner: `the ${what} '${row.name ?? row.id}'` });
    }
  }
  for (const job of read.find('fine_tuning_jobs')) {
    if (except.jobs?.includes(job.id)) continue;
    out.push({ path: adapterDirOfJob(job), owner: `the fine-tuning job '${job.adapter_name ?? job.id}'` });
  }
  return out;
}
