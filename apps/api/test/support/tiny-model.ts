import fs from 'node:fs';
import path from 'node:path';

/**
 * A tiny model folder made in the test (no downloads): a WordPiece
 * tokenizer.json over single characters plus a few whole words, a
 * tokenizer_config.json with the special tokens and a chat template, and a
 * Llama-style config.json. Every token is one character or one listed word,
 * so lengths are easy to compute by hand.
 */
export const TINY_WORDS = ['password', 'reset', 'the', 'my', 'order', 'Intent', 'Request'];
const CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#:_.,?!\'-'];

export const TINY_CHAT_TEMPLATE =
  "{% for m in messages %}{{ '<|' + m['role'] + '|>' + m['content'] + eos_token }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

export function tinyTokenizerJson(): object {
  const vocab: Record<string, number> = { '[UNK]': 0, '<s>': 1, '</s>': 2 };
  const add = (t: string) => (vocab[t] ??= Object.keys(vocab).length);
  for (const c of CHARS) add(c);
  for (const c of CHARS) add(`##${c}`);
  for (const w of TINY_WORDS) add(w);
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '[UNK]'), special(1, '<s>'), special(2, '</s>')],
    normalizer: null,
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

export const TINY_CONFIG = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  vocab_size: 160,
  tie_word_embeddings: false,
};

/** Writes the tiny model into `dir` (created). */
export function writeTinyModel(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(TINY_CONFIG));
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson()));
  fs.writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({ bos_token: '<s>', eos_token: '</s>', unk_token: '[UNK]', chat_template: TINY_CHAT_TEMPLATE, tokenizer_class: 'PreTrainedTokenizerFast' }),
  );
}
