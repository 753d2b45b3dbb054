import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeMemoryGb, weightBytesFromName, weightBytesOnDisk } from './model-size.js';

const GIB = 2 ** 30;

describe('the merge job is sized from the base model', () => {
  it('reads the parameter count from a Hub name at 2 bytes per parameter', () => {
    expect(weightBytesFromName('meta-llama/Llama-2-7b-hf')).toBe(14e9);
    expect(weightBytesFromName('Qwen/Qwen2.5-0.5B-Instruct')).toBe(1e9);
    expect(weightBytesFromName('mistralai/Mixtral-8x7B-v0.1')).toBe(112e9);
    expect(weightBytesFromName('HuggingFaceTB/SmolLM-135M')).toBe(270e6);
    expect(weightBytesFromName('bigscience/bloom')).toBeUndefined();
    expect(weightBytesFromName(null)).toBeUndefined();
  });

  it('sums the weight files of a project model folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-model-size-'));
    try {
      expect(weightBytesOnDisk(dir)).toBeUndefined();
      fs.writeFileSync(path.join(dir, 'model-00001-of-00002.safetensors'), Buffer.alloc(3000));
      fs.writeFileSync(path.join(dir, 'model-00002-of-00002.safetensors'), Buffer.alloc(1000));
      fs.writeFileSync(path.join(dir, 'config.json'), '{}');
      expect(weightBytesOnDisk(dir)).toBe(4000);
      expect(weightBytesOnDisk(path.join(dir, 'missing'))).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('raises the default 8 GiB to what a 7B merge needs, on the GPU and more on the CPU', () => {
    const sevenB = 13.5 * GIB;
    expect(mergeMemoryGb(8, sevenB, 1)).toBe(18);
    expect(mergeMemoryGb(8, sevenB, 0)).toBe(31);
    expect(mergeMemoryGb(64, sevenB, 1)).toBe(64); // a larger request stands
    expect(mergeMemoryGb(8, 0.25 * GIB, 1)).toBe(8); // small models keep the default
    expect(mergeMemoryGb(8, undefined, 1)).toBe(8);
  });
});
