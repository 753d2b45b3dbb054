import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR } from './fixtures.js';

/**
 * tests/fixtures/models/tiny: a model folder made for the plan's tests (no
 * downloads): a WordPiece tokenizer.json over single characters plus a few
 * whole words (password, reset, the, my, order, Intent, Request), a
 * tokenizer_config.json with <s> / </s> and a chat template, and a small
 * Llama-style config.json. Every token is one character or one listed word.
 */
export const TINY_MODEL_DIR = path.join(FIXTURES_DIR, 'models/tiny');

const read = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(TINY_MODEL_DIR, file), 'utf8')) as Record<string, unknown>;

export const tinyTokenizerJson = () => read('tokenizer.json');
export const TINY_CONFIG = read('config.json') as { vocab_size: number; hidden_size: number };

/** Copies the tiny model into `dir` (created). */
export function writeTinyModel(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(TINY_MODEL_DIR)) fs.copyFileSync(path.join(TINY_MODEL_DIR, file), path.join(dir, file));
}
