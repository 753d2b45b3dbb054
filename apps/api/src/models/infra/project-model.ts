import fs from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument, isDomainError, type ModelSource } from '@fts/domain';
import type { ProjectPaths } from '../../platform/paths/project-paths.js';

/** Largest config.json read. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * A model folder inside the project (what `save_pretrained` writes): it must
 * be a directory holding a config.json, itself inside the project. Gives the
 * stored location (relative to the project root), the folder's name and the
 * architecture from `architectures[0]`.
 */
export async function readProjectModel(paths: ProjectPaths, location: string): Promise<ModelSource & { location: string; name: string }> {
  const dir = paths.directory(location);
  if (!dir) {
    throw invalidArgument('MODEL.LOCATION_NOT_A_DIRECTORY', `Location '${location}' must be a directory in the project that holds a model (config.json).`);
  }
  const configPath = paths.resolve(path.join(dir, 'config.json'));
  let text: string;
  try {
    const st = await fs.stat(configPath);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
    if (st.size > MAX_CONFIG_BYTES) {
      throw invalidArgument('MODEL.CONFIG_UNREADABLE', `config.json in '${location}' is larger than ${MAX_CONFIG_BYTES} bytes.`);
    }
    text = await fs.readFile(configPath, 'utf8');
  } catch (e) {
    if (isDomainError(e)) throw e;
    if ((e as { code?: string }).code === 'ENOENT') {
      throw invalidArgument(
        'MODEL.NO_CONFIG',
        `Location '${location}' has no config.json, so it is not a model folder (one written by save_pretrained holds it).`,
      );
    }
    throw invalidArgument('MODEL.CONFIG_UNREADABLE', `config.json in '${location}' could not be read: ${(e as Error).message}.`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw invalidArgument('MODEL.CONFIG_UNREADABLE', `config.json in '${location}' is not valid JSON: ${(e as Error).message}.`);
  }
  const architectures = (config as { architectures?: unknown } | null)?.architectures;
  const family = Array.isArray(architectures) && typeof architectures[0] === 'string' ? architectures[0] : null;
  return { location: paths.relative(dir), name: path.basename(dir), model_family: family };
}
