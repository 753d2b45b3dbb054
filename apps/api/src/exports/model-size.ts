import fs from 'node:fs';
import path from 'node:path';

/**
 * How big a base model's weights are, for sizing the merge job's memory.
 * A project model: the weight files in its folder; a Hub model: its parameter
 * count as named ("Llama-2-7b", "Qwen2.5-0.5B", "Mixtral-8x7B") at 2 bytes
 * (bf16/fp16). Unknown: undefined (the requested memory is kept).
 */
const WEIGHT_FILE = /\.(safetensors|bin|pt|pth)$/;

export function weightBytesOnDisk(dir: string): number | undefined {
  let total = 0;
  try {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && WEIGHT_FILE.test(entry.name)) total += fs.statSync(path.join(dir, entry.name)).size;
    }
  } catch {
    return undefined;
  }
  return total > 0 ? total : undefined;
}

export function weightBytesFromName(name: string | null | undefined): number | undefined {
  if (!name) return undefined;
  const match = /(?:^|[^a-z0-9.])(?:(\d+)x)?(\d+(?:\.\d+)?)([bm])(?![a-z])/i.exec(name);
  if (!match) return undefined;
  const experts = match[1] ? Number(match[1]) : 1;
  const count = Number(match[2]) * (match[3].toLowerCase() === 'b' ? 1e9 : 1e6) * experts;
  return count * 2;
}

const GIB = 2 ** 30;

/**
 * Memory (GiB) for export_merge.py: the requested amount, raised to what the
 * merge needs. On a GPU the weights stream to the device but a whole
 * safetensors shard passes through host memory when saving (~1x the model);
 * on the CPU the model, the merge and the save need ~2x. Plus 4 GiB for
 * Python, torch and the tokenizer.
 */
export function mergeMemoryGb(requestedGb: number, weightBytes: number | undefined, gpus: number): number {
  if (!weightBytes) return requestedGb;
  const factor = gpus > 0 ? 1 : 2;
  return Math.max(requestedGb, Math.ceil((factor * weightBytes) / GIB) + 4);
}
