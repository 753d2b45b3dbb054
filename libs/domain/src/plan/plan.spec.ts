import { createHash } from 'node:crypto';
import { parsePyJson } from '@fts/py-compat';
import { estimateMemory, GIB, gpuVerdicts, shapeFromName, type ModelShape } from './memory.js';
import { formatTemplate, PromptFormatError, pyStr, UnsupportedFormat } from './python-format.js';
import { sha256Hex } from './sha256.js';
import { hashOrder, sampleAndSplit, splitDataset } from './split.js';
import { countPacks, percentiles } from './stats.js';
import { planSteps } from './steps.js';
import { completionStart } from './training-text.js';

const LLAMA2_7B: ModelShape = { ...shapeFromName('meta-llama/Llama-2-7b-hf')! };
const LLAMA3_8B: ModelShape = { ...shapeFromName('meta-llama/Meta-Llama-3-8B')! };

describe('sha256Hex', () => {
  it.each(['', 'abc', '42:0', 'é漢😀', 'x'.repeat(200)])('equals node:crypto for %p', (s) => {
    expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
  });
});

describe('split (fts_jobs/split.py)', () => {
  it('orders rows as the Python test pins them', () => {
    expect(hashOrder([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 42)).toEqual([1, 0, 6, 4, 7, 9, 5, 8, 3, 2]);
  });
  it('gives the golden split', () => {
    const s = sampleAndSplit(10, 1.0, 0.8, 42);
    expect(s.trainIndices).toEqual([0, 1, 4, 5, 6, 7, 8, 9]);
    expect(s.evalIndices).toEqual([2, 3]);
  });
  it.each([
    [100, 1.0, 0.9, 90, 10],
    [100, 0.5, 0.9, 45, 5],
    [100, 1.0, 0.8999999761581421, 90, 10],
    [100, 1.0, 0.7, 70, 30],
    [10, 1.0, 1.0, 10, 0],
  ])('%i rows, fraction %p, split %p → %i / %i', (n, f, share, train, held) => {
    const s = sampleAndSplit(n, f, share);
    expect([s.trainIndices.length, s.evalIndices.length]).toEqual([train, held]);
  });
  it('uses an existing eval/test split as is', () => {
    const s = splitDataset({ train: 10, test: 3 }, 0.5, 0.9);
    expect(s.evalSplit).toBe('test');
    expect(s.trainIndices).toHaveLength(5);
    expect(s.evalIndices).toEqual([0, 1, 2]);
  });
});

describe('formatTemplate (str.format_map)', () => {
  const row = parsePyJson('{"q": "Hi", "n": 3, "x": 1.0, "t": true, "z": null, "d": {"a": [1, "b"]}}') as Map<string, never>;
  it('renders Python str() of each value', () => {
    expect(formatTemplate('{q} {n} {x} {t} {z} {d} {{lit}}', row)).toBe("Hi 3 1.0 True None {'a': [1, 'b']} {lit}");
  });
  it('names the missing column like prompting.py', () => {
    expect(() => formatTemplate('{nope}', row, 'prompt.prompt_template')).toThrow(
      new PromptFormatError('prompt.prompt_template uses column "{nope}" but the dataset row has no such column (columns: d, n, q, t, x, z)'),
    );
  });
  it('refuses what it does not reproduce', () => {
    expect(() => formatTemplate('{q!r}', row)).toThrow(UnsupportedFormat);
    expect(pyStr("it's")).toBe("it's");
  });
  it('finds the completion like completion_start', () => {
    expect(completionStart('Q: a\nA: b', 'Q: a\nA:', 'b')).toBe(7);
    expect(completionStart('Q: a\n\nA: b', 'Q: a\n\n', ' b')).toBe(6);
    expect(completionStart('xx', 'yy', '')).toBeNull();
  });
});

describe('planSteps', () => {
  it('defaults: batch 8, no accumulation, one process', () => {
    expect(planSteps({ examples: 90, epochs: 2, gpus: 1, numWorkers: 1, trainingArguments: {} })).toMatchObject({ stepsPerEpoch: 12, totalSteps: 24 });
  });
  it('divides across processes and accumulation, partial step kept', () => {
    const p = planSteps({ examples: 1000, epochs: 3, gpus: 2, numWorkers: 2, trainingArguments: { per_device_train_batch_size: 4, gradient_accumulation_steps: 4 } });
    // 1000 / 4 processes = 250 rows each → 63 batches → 16 optimizer steps
    expect(p).toMatchObject({ worldSize: 4, effectiveBatch: 64, stepsPerEpoch: 16, totalSteps: 48 });
  });
  it('max_steps wins', () => {
    expect(planSteps({ examples: 10, epochs: 5, gpus: 0, numWorkers: 1, trainingArguments: { max_steps: 7 } }).totalSteps).toBe(7);
  });
});

describe('stats', () => {
  it('nearest-rank percentiles', () => {
    expect(percentiles([5, 1, 4, 2, 3, 10, 9, 8, 7, 6])).toEqual({ p50: 5, p90: 9, p99: 10, max: 10 });
    expect(percentiles([])).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });
  it('counts best-fit-decreasing packs like packing.pack_lengths', () => {
    expect(countPacks([300, 300, 200, 200, 100], 512)).toBe(3); // 300+200, 300+200, 100
    expect(countPacks([512, 1, 511], 512)).toBe(2);
    expect(countPacks([600, 10], 512)).toBe(2);
  });
});

describe('estimateMemory (hand-computed, see memory.ts for the formula)', () => {
  it('7B in 4-bit (double quant) with LoRA r=16: ~8 GiB, fits 24 GB and 80 GB', () => {
    const m = estimateMemory({
      shape: LLAMA2_7B,
      bnbConfig: { load_in_4bit: true, bnb_4bit_use_double_quant: true, bnb_4bit_quant_type: 'nf4' },
      loraConfig: { r: 16 },
      trainingArguments: {},
      batchSize: 8,
      seqLength: 512,
    });
    expect(m.parameters).toBe(6_738_415_616); // Llama-2-7b's published count
    expect(m.trainableParameters).toBe(8_388_608); // r × (4096 + 4096) × {q, v} × 32 layers
    // linear 6,476,005,376 × 0.516 B + the rest 262,410,240 × 4 B (fp32 after prepare_model_for_kbit_training)
    expect(m.weightsBytes).toBe(Math.round(6_476_005_376 * 0.516 + 262_410_240 * 4));
    expect(m.loraBytes).toBe(8_388_608 * 16);
    expect(m.gradientCheckpointing).toBe(true);
    expect(m.activationsBytes).toBe(4096 * 4096 * 2 * 32 + 4096 * 4096 * 34);
    expect(m.logitsBytes).toBe(4096 * 32000 * 10);
    expect(m.totalBytes).toBe(8_554_106_454);
    expect(m.totalBytes / GIB).toBeGreaterThan(6);
    expect(m.totalBytes / GIB).toBeLessThan(12);
    const v = Object.fromEntries(gpuVerdicts(m.totalBytes, { '24 GB': 24, '80 GB': 80 }).map((g) => [g.gpu, g.fits]));
    expect(v).toEqual({ '24 GB': true, '80 GB': true });
  });

  it('8B in bf16 (weights unquantized): ~38 GiB, fits 80 GB, not 24 GB', () => {
    const m = estimateMemory({ shape: LLAMA3_8B, bnbConfig: null, loraConfig: {}, trainingArguments: { bf16: true }, batchSize: 8, seqLength: 512 });
    expect(m.parameters).toBe(8_030_261_248); // Llama-3-8B's published count
    expect(m.weightsBytes).toBe(8_030_261_248 * 2);
    expect(m.trainableParameters).toBe(6_815_744); // 16 × (8192 + 5120) × 32
    expect(m.gradientCheckpointing).toBe(false);
    expect(m.activationsBytes).toBe(4096 * 4096 * 34 * 32);
    expect(m.logitsBytes).toBe(4096 * 128256 * 10);
    expect(m.totalBytes).toBe(40_750_292_992);
    const v = Object.fromEntries(gpuVerdicts(m.totalBytes, { '24 GB': 24, '80 GB': 80 }).map((g) => [g.gpu, g.fits]));
    expect(v).toEqual({ '24 GB': false, '80 GB': true });
  });

  it('reads the size from a model name only when it is a common one', () => {
    expect(shapeFromName('mistralai/Mistral-7B-v0.1')?.hiddenSize).toBe(4096);
    expect(shapeFromName('gpt2')).toBeNull();
  });
});
