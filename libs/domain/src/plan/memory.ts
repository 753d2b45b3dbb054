/**
 * GPU memory per device for the job's LoRA training (fine_tune.py), in bytes:
 *
 *   weights      = quantized linear params × (0.5 B 4-bit + 0.0625 B absmax, 0.016 B with double quant | 1 B 8-bit)
 *                  + the rest (embeddings, lm_head) × 4 B (prepare_model_for_kbit_training makes them fp32);
 *                  unquantized: all params × 2 B with bf16/fp16 in training_arguments, else 4 B (the job loads fp32)
 *   lora         = trainable × 16 B (fp32 weight 4 + grad 4 + AdamW m, v 8; the job keeps LoRA weights fp32)
 *   activations  = batch × seq × hidden × 34 B × layers (Korthikanti et al. 2022 with SDPA, no attention matrix),
 *                  × 2 in fp32; with gradient checkpointing (the default with quantization) only each layer's
 *                  input (batch × seq × hidden × 2 B) plus one layer recomputed
 *   logits       = batch × seq × vocab × 10 B (bf16 logits, their fp32 upcast and its gradient)
 *   overhead     = 1 GiB (CUDA context, allocator, kernels' workspace)
 */

export const GIB = 1024 ** 3;
export const CUDA_OVERHEAD_BYTES = GIB;

/** What the estimate needs of the model (config.json, or guessed from its size in the name). */
export interface ModelShape {
  hiddenSize: number;
  layers: number;
  intermediateSize: number;
  heads: number;
  kvHeads: number;
  vocabSize: number;
  tiedEmbeddings: boolean;
  /** Where the shape came from, for the reason line. */
  source: string;
}

export interface MemoryInputs {
  shape: ModelShape;
  bnbConfig: Record<string, unknown> | null;
  loraConfig: Record<string, unknown>;
  trainingArguments: Record<string, unknown>;
  batchSize: number;
  seqLength: number;
}

export interface MemoryEstimate {
  parameters: number;
  trainableParameters: number;
  weightsBytes: number;
  loraBytes: number;
  activationsBytes: number;
  logitsBytes: number;
  overheadBytes: number;
  totalBytes: number;
  quantization: 'none' | '4bit' | '8bit';
  gradientCheckpointing: boolean;
  formula: string;
}

export const MEMORY_FORMULA =
  'weights (4-bit 0.5 B + quant constants, 8-bit 1 B, else 2 B bf16/fp16 or 4 B fp32 per parameter; unquantized embeddings fp32 under quantization) ' +
  '+ LoRA params × 16 B (fp32 weight, grad, AdamW m and v) + activations (batch × seq × hidden × 34 B per layer, ×2 in fp32; ' +
  'checkpointing: 2 B per layer + one layer) + logits (batch × seq × vocab × 10 B) + 1 GiB CUDA overhead';

const LINEAR_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
/** peft's default targets for llama/mistral/qwen-style models when lora_config names none. */
const DEFAULT_TARGETS = ['q_proj', 'v_proj'];

function moduleShapes(s: ModelShape): Record<(typeof LINEAR_MODULES)[number], [number, number]> {
  const kvDim = (s.hiddenSize / s.heads) * s.kvHeads;
  return {
    q_proj: [s.hiddenSize, s.hiddenSize],
    k_proj: [s.hiddenSize, kvDim],
    v_proj: [s.hiddenSize, kvDim],
    o_proj: [s.hiddenSize, s.hiddenSize],
    gate_proj: [s.hiddenSize, s.intermediateSize],
    up_proj: [s.hiddenSize, s.intermediateSize],
    down_proj: [s.intermediateSize, s.hiddenSize],
  };
}

export function parameterCounts(s: ModelShape): { linear: number; other: number } {
  const perLayer = Object.values(moduleShapes(s)).reduce((sum, [i, o]) => sum + i * o, 0);
  const embeddings = s.vocabSize * s.hiddenSize * (s.tiedEmbeddings ? 1 : 2);
  const norms = s.hiddenSize * (2 * s.layers + 1);
  return { linear: perLayer * s.layers, other: embeddings + norms };
}

function loraTargets(lora: Record<string, unknown>): string[] {
  const t = lora.target_modules;
  if (t === 'all-linear') return [...LINEAR_MODULES];
  if (typeof t === 'string') return LINEAR_MODULES.filter((m) => new RegExp(t).test(m));
  if (Array.isArray(t)) return LINEAR_MODULES.filter((m) => t.map(String).includes(m));
  return DEFAULT_TARGETS;
}

export function loraParameters(s: ModelShape, lora: Record<string, unknown>): number {
  const r = typeof lora.r === 'number' && lora.r > 0 ? lora.r : 16;
  const shapes = moduleShapes(s);
  return loraTargets(lora).reduce((sum, m) => sum + r * (shapes[m as keyof typeof shapes][0] + shapes[m as keyof typeof shapes][1]), 0) * s.layers;
}

const truthy = (v: unknown) => v === true || v === 'true';

export function estimateMemory(input: MemoryInputs): MemoryEstimate {
  const { shape: s, bnbConfig: bnb, trainingArguments: ta } = input;
  const quantization = bnb && truthy(bnb.load_in_4bit) ? '4bit' : bnb && truthy(bnb.load_in_8bit) ? '8bit' : 'none';
  const halfPrecision = truthy(ta.bf16) || truthy(ta.fp16);
  const { linear, other } = parameterCounts(s);
  let weightsBytes: number;
  if (quantization === '4bit') weightsBytes = linear * (0.5 + (truthy(bnb!.bnb_4bit_use_double_quant) ? 0.016 : 0.0625)) + other * 4;
  else if (quantization === '8bit') weightsBytes = linear * 1 + other * 4;
  else weightsBytes = (linear + other) * (halfPrecision ? 2 : 4);
  const trainable = loraParameters(s, input.loraConfig);
  const loraBytes = trainable * 16;
  const gradientCheckpointing = ta.gradient_checkpointing === undefined ? quantization !== 'none' : truthy(ta.gradient_checkpointing);
  const tokens = input.batchSize * input.seqLength;
  const activationScale = halfPrecision || quantization !== 'none' ? 1 : 2;
  const layerActivations = tokens * s.hiddenSize * 34 * activationScale;
  const activationsBytes = gradientCheckpointing ? tokens * s.hiddenSize * 2 * activationScale * s.layers + layerActivations : layerActivations * s.layers;
  const logitsBytes = tokens * s.vocabSize * 10;
  const totalBytes = weightsBytes + loraBytes + activationsBytes + logitsBytes + CUDA_OVERHEAD_BYTES;
  return {
    parameters: linear + other,
    trainableParameters: trainable,
    weightsBytes: Math.round(weightsBytes),
    loraBytes,
    activationsBytes,
    logitsBytes,
    overheadBytes: CUDA_OVERHEAD_BYTES,
    totalBytes: Math.round(totalBytes),
    quantization,
    gradientCheckpointing,
    formula: MEMORY_FORMULA,
  };
}

/** Memory of common GPUs (GiB as the driver reports it, rounded). */
export const GPU_MEMORY_GIB: Readonly<Record<string, number>> = {
  'NVIDIA T4': 15,
  'NVIDIA V100 16GB': 16,
  'NVIDIA V100 32GB': 32,
  'NVIDIA A10G': 22,
  'NVIDIA L4': 22,
  'NVIDIA RTX 4090': 24,
  'NVIDIA A100 40GB': 40,
  'NVIDIA L40S': 45,
  'NVIDIA A100 80GB': 80,
  'NVIDIA H100 80GB': 80,
  'NVIDIA H200': 141,
};

export interface GpuVerdict {
  gpu: string;
  memoryBytes: number;
  fits: boolean;
}

export function gpuVerdicts(totalBytes: number, table: Readonly<Record<string, number>> = GPU_MEMORY_GIB): GpuVerdict[] {
  return Object.entries(table).map(([gpu, gib]) => ({ gpu, memoryBytes: gib * GIB, fits: totalBytes <= gib * GIB }));
}

/** Common architectures by parameter count, for a model whose config.json is not at hand ("…-7b-…" in its name). */
const KNOWN_SHAPES: { billions: number; shape: Omit<ModelShape, 'source'> }[] = [
  { billions: 0.5, shape: { hiddenSize: 896, layers: 24, intermediateSize: 4864, heads: 14, kvHeads: 2, vocabSize: 151936, tiedEmbeddings: true } },
  { billions: 1.1, shape: { hiddenSize: 2048, layers: 22, intermediateSize: 5632, heads: 32, kvHeads: 4, vocabSize: 32000, tiedEmbeddings: false } },
  { billions: 3, shape: { hiddenSize: 3072, layers: 28, intermediateSize: 8192, heads: 24, kvHeads: 8, vocabSize: 128256, tiedEmbeddings: true } },
  { billions: 7, shape: { hiddenSize: 4096, layers: 32, intermediateSize: 11008, heads: 32, kvHeads: 32, vocabSize: 32000, tiedEmbeddings: false } },
  { billions: 8, shape: { hiddenSize: 4096, layers: 32, intermediateSize: 14336, heads: 32, kvHeads: 8, vocabSize: 128256, tiedEmbeddings: false } },
  { billions: 13, shape: { hiddenSize: 5120, layers: 40, intermediateSize: 13824, heads: 40, kvHeads: 40, vocabSize: 32000, tiedEmbeddings: false } },
  { billions: 70, shape: { hiddenSize: 8192, layers: 80, intermediateSize: 28672, heads: 64, kvHeads: 8, vocabSize: 128256, tiedEmbeddings: false } },
];

/** The shape of a "…7B…" model (Llama-2-7B, Llama-3-8B, … as the nearest common architecture), or null. */
export function shapeFromName(name: string): ModelShape | null {
  const m = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z])/i.exec(name);
  if (!m) return null;
  const billions = Number(m[1]);
  const best = KNOWN_SHAPES.reduce((a, b) => (Math.abs(b.billions - billions) < Math.abs(a.billions - billions) ? b : a));
  if (Math.abs(best.billions - billions) / billions > 0.3) return null;
  return { ...best.shape, source: `guessed from "${m[0].replace(/^[^0-9]/, '')}" in the model name (a ${best.billions}B Llama-style architecture)` };
}

/** The shape from a transformers config.json object, or null when it lacks the sizes. */
export function shapeFromConfig(config: Record<string, unknown>, source: string): ModelShape | null {
  const n = (k: string) => (typeof config[k] === 'number' ? (config[k] as number) : undefined);
  const hiddenSize = n('hidden_size') ?? n('n_embd');
  const layers = n('num_hidden_layers') ?? n('n_layer');
  const heads = n('num_attention_heads') ?? n('n_head');
  const vocabSize = n('vocab_size');
  if (!hiddenSize || !layers || !heads || !vocabSize) return null;
  return {
    hiddenSize,
    layers,
    heads,
    vocabSize,
    intermediateSize: n('intermediate_size') ?? n('n_inner') ?? 4 * hiddenSize,
    kvHeads: n('num_key_value_heads') ?? heads,
    tiedEmbeddings: config.tie_word_embeddings !== false, // transformers' default is tied
    source,
  };
}
