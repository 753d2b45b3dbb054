import fs from 'node:fs';
import path from 'node:path';
import type { ModelRow } from '@fts/domain';
import type { ProjectPaths } from '../../platform/paths/project-paths.js';

/** Largest model metadata file read (config.json, tokenizer.json, tokenizer_config.json). */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;

/** A file of `repo` at refs/main in a hub cache (models--org--name/snapshots/<rev>/file), if there. */
export function cachedHubFile(cacheDir: string, repo: string, file: string): string | undefined {
  const repoDir = path.join(cacheDir, `models--${repo.split('/').join('--')}`);
  let revision: string;
  try {
    revision = fs.readFileSync(path.join(repoDir, 'refs', 'main'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!/^[0-9a-f]{7,64}$/i.test(revision)) return undefined;
  const candidate = path.join(repoDir, 'snapshots', revision, file);
  return fs.existsSync(candidate) ? candidate : undefined;
}

export interface FoundFile {
  absPath: string;
  /** Where it was found, for the plan's sentences. */
  from: string;
}

/** `file` of a model: its project folder, else the local hub cache (the config's hfHubCacheDir). */
export function findModelFile(paths: ProjectPaths, model: ModelRow, file: string, cacheDir: string | undefined): FoundFile | undefined {
  const location = typeof model.location === 'string' ? model.location : '';
  if (location) {
    try {
      const dir = paths.directory(location);
      const candidate = dir && path.join(dir, file);
      if (candidate && fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return { absPath: candidate, from: `the model folder '${location}'` };
    } catch {
      // a location outside the project: not read
    }
  }
  const repo = typeof model.huggingface_model_name === 'string' ? model.huggingface_model_name : '';
  if (repo && cacheDir) {
    const cached = cachedHubFile(cacheDir, repo, file);
    if (cached) return { absPath: cached, from: `the Hugging Face cache (${cacheDir})` };
  }
  return undefined;
}

export function readSmallFile(absPath: string): string {
  const st = fs.statSync(absPath);
  if (st.size > MAX_MODEL_FILE_BYTES) throw new Error(`${path.basename(absPath)} is larger than ${MAX_MODEL_FILE_BYTES} bytes`);
  return fs.readFileSync(absPath, 'utf8');
}
