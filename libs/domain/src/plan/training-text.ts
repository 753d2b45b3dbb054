import { formatTemplate, type PyRow } from './python-format.js';

/** The prompt fields the job reads (spec.prompt). */
export interface PromptTemplates {
  prompt_template: string;
  input_template: string;
  completion_template: string;
  /** 'chat': no templates, the model's chat template renders each row's messages. */
  type?: string;
}

/** A row as training sees it: `text` (+ EOS) with the completion starting at `completionStart` (null: not located). */
export interface TrainingText {
  text: string;
  completionStart: number | null;
  /** The formatted completion_template is blank: nothing but the prompt to learn. */
  emptyCompletion: boolean;
}

/** prompting.py's completion_start: where the completion begins in the formatted prompt_template. */
export function completionStart(fullText: string, inputText: string, completionText: string): number | null {
  if (inputText && fullText.startsWith(inputText) && inputText.length < fullText.length) return inputText.length;
  const stripped = inputText.replace(/\s+$/u, '');
  if (stripped && fullText.startsWith(stripped) && stripped.length < fullText.length) return stripped.length;
  const completion = completionText.trim();
  if (completion) {
    const index = fullText.lastIndexOf(completion);
    if (index > 0 || (index === 0 && !inputText.trim())) return index;
  }
  return null;
}

/** prompting.py's format_training_example with need_completion_start (the fine-tune spec sets completion_only_loss). */
export function trainingText(prompt: PromptTemplates, row: PyRow, eosToken = ''): TrainingText {
  const full = formatTemplate(prompt.prompt_template, row, 'prompt.prompt_template');
  const input = prompt.input_template ? formatTemplate(prompt.input_template, row, 'prompt.input_template') : '';
  const completion = prompt.completion_template ? formatTemplate(prompt.completion_template, row, 'prompt.completion_template') : '';
  return { text: full + eosToken, completionStart: completionStart(full, input, completion), emptyCompletion: completion.trim() === '' };
}
