import fs from 'node:fs';
import path from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import type { ChatMessage, Known, ModelRow, PlanTokenizer, RenderChat } from '@fts/domain';
import type { ProjectPaths } from '../../platform/paths/project-paths.js';
import { findModelFile, readSmallFile } from './model-files.js';

/** Fetched from the Hub when not on disk: tokenizer.json is required, the others optional (config.json sizes the memory estimate). */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'config.json'] as const;

export interface TokenizerSources {
  paths: ProjectPaths;
  /** Where tokenizer files fetched from the Hub are kept (<state>/tokenizers/<repo>/). */
  cacheDir: string;
  hfEndpoint: string;
  hfToken?: string;
  timeoutMs: number;
  /** The local Hugging Face hub cache (AppConfig.hfHubCacheDir). */
  hubCacheDir?: string;
  fetch?: typeof fetch;
}

/** The two files, as found on disk; tokenizer_config.json is optional. */
interface TokenizerFiles {
  tokenizer: string;
  config?: string;
  from: string;
}

const loaded = new Map<string, { mtimeMs: number; tokenizer: PlanTokenizer }>();
/** A failed Hub fetch is not retried for this long, so a live form offline does not wait for the Hub on every change. */
export const REFETCH_AFTER_MS = 60_000;
const failedFetches = new Map<string, { at: number; reason: string }>();

const specialToken = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string' ? (v as { content: string }).content : '');

/** A tokenizer read with @huggingface/tokenizers; instances are kept per file while it is unchanged. */
export function loadTokenizer(files: TokenizerFiles): PlanTokenizer {
  const mtimeMs = fs.statSync(files.tokenizer).mtimeMs;
  const hit = loaded.get(files.tokenizer);
  if (hit && hit.mtimeMs === mtimeMs) return hit.tokenizer;
  const json: unknown = JSON.parse(readSmallFile(files.tokenizer));
  const config = files.config ? (JSON.parse(readSmallFile(files.config)) as Record<string, unknown>) : {};
  const tokenizer = new Tokenizer(json as object, config);
  const plan: PlanTokenizer = {
    eosToken: specialToken(config.eos_token),
    count: (text, addSpecialTokens = true) => tokenizer.encode(text, { add_special_tokens: addSpecialTokens }).ids.length,
    renderChat: chatRenderer(config),
    source: `tokenizer.json from ${files.from}`,
  };
  if (loaded.size > 16) loaded.clear();
  loaded.set(files.tokenizer, { mtimeMs, tokenizer: plan });
  return plan;
}

/** tokenizer_config.json's chat_template (a string, or named templates: "default" or the first) rendered with @huggingface/jinja. */
function chatRenderer(config: Record<string, unknown>): RenderChat | null {
  const raw = config.chat_template;
  const named = Array.isArray(raw) ? (raw as { name?: string; template?: string }[]) : [];
  const source = typeof raw === 'string' ? raw : (named.find((t) => t.name === 'default') ?? named[0])?.template;
  if (!source) return null;
  const template = new Template(source);
  const special = Object.fromEntries(
    Object.entries(config).filter(([k]) => k.endsWith('_token')).map(([k, v]) => [k, specialToken(v)]),
  );
  return (messages: ChatMessage[], addGenerationPrompt: boolean) => template.render({ ...special, messages, add_generation_prompt: addGenerationPrompt });
}

const safeRepo = (repo: string) => /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/.test(repo) && !repo.includes('..');

/** tokenizer.json (+ tokenizer_config.json) of the model: its folder, the HF cache, our cache, else the Hub. */
export async function resolveTokenizer(model: ModelRow, src: TokenizerSources): Promise<Known<{ tokenizer: PlanTokenizer }>> {
  const found = findModelFile(src.paths, model, 'tokenizer.json', src.hubCacheDir);
  if (found) {
    const config = findModelFile(src.paths, model, 'tokenizer_config.json', src.hubCacheDir);
    return load({ tokenizer: found.absPath, config: config?.absPath, from: found.from });
  }
  const repo = typeof model.huggingface_model_name === 'string' ? model.huggingface_model_name : '';
  if (!repo) return { known: false, reason: `tokens unknown: the model '${model.name ?? model.id}' has no tokenizer.json in its folder and no Hugging Face name` };
  if (!safeRepo(repo)) return { known: false, reason: `tokens unknown: '${repo}' is not a Hugging Face repository name` };
  const dir = path.join(src.cacheDir, ...repo.split('/'));
  const cached = path.join(dir, 'tokenizer.json');
  const cachedConfig = path.join(dir, 'tokenizer_config.json');
  if (!fs.existsSync(cached)) {
    const key = `${src.hfEndpoint} ${repo}`;
    const failed = failedFetches.get(key);
    if (failed && Date.now() - failed.at < REFETCH_AFTER_MS) return { known: false, reason: failed.reason };
    try {
      await fetchTokenizerFiles(repo, dir, src);
      failedFetches.delete(key);
    } catch (e) {
      const reason = `tokens unknown: no tokenizer for '${repo}' in the Hugging Face cache, and ${(e as Error).message}`;
      failedFetches.set(key, { at: Date.now(), reason });
      return { known: false, reason };
    }
  }
  return load({ tokenizer: cached, config: fs.existsSync(cachedConfig) ? cachedConfig : undefined, from: `the Hub (${src.hfEndpoint}), cached in ${dir}` });
}

function load(files: TokenizerFiles): Known<{ tokenizer: PlanTokenizer }> {
  try {
    return { known: true, tokenizer: loadTokenizer(files) };
  } catch (e) {
    return { known: false, reason: `tokens unknown: the tokenizer in ${files.from} could not be read: ${(e as Error).message}` };
  }
}

/** Downloads just the two tokenizer files; tokenizer.json must exist, the config may not. Written atomically. */
async function fetchTokenizerFiles(repo: string, dir: string, src: TokenizerSources): Promise<void> {
  const get = src.fetch ?? fetch;
  const bodies: Partial<Record<(typeof TOKENIZER_FILES)[number], string>> = {};
  for (const file of TOKENIZER_FILES) {
    const url = `${src.hfEndpoint}/${repo}/resolve/main/${file}`;
    let res: Response;
    try {
      res = await get(url, { headers: src.hfToken ? { authorization: `Bearer ${src.hfToken}` } : {}, signal: AbortSignal.timeout(src.timeoutMs) });
    } catch (e) {
      throw new Error(`the Hub at ${src.hfEndpoint} could not be reached (${(e as Error).message})`);
    }
    if (res.status === 404 && file !== 'tokenizer.json') continue;
    if (!res.ok) throw new Error(`the Hub answered HTTP ${res.status} for ${file}${res.status === 401 || res.status === 403 ? ' (a gated model: set HUGGINGFACE_ACCESS_TOKEN)' : ''}`);
    const text = await res.text();
    JSON.parse(text); // a broken download is not cached
    bodies[file] = text;
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(bodies)) {
    const tmp = path.join(dir, `.${file}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, path.join(dir, file));
  }
}
