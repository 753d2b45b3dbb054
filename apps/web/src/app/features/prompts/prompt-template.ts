/** Column names that most likely hold the expected output, best first (the original's auto-fill heuristic). */
export const OUTPUT_CANDIDATES = [
  'answer', 'answers', 'response', 'output', 'outputs', 'completion', 'label', 'labels', 'target', 'result', 'sql', 'summary', 'solution',
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The output column: the best-ranked candidate present (case-insensitive), else the last column. */
export function pickOutputColumn(features: string[]): string | undefined {
  const lower = features.map((f) => f.toLowerCase());
  for (const c of OUTPUT_CANDIDATES) {
    const i = lower.indexOf(c);
    if (i >= 0) return features[i];
  }
  return features.at(-1);
}

/** Auto-filled prompt and completion templates for a dataset's columns. */
export function autoFillTemplates(features: string[]): { prompt: string; completion: string } {
  const out = pickOutputColumn(features);
  if (!out) return { prompt: '', completion: '' };
  const inputs = features.filter((f) => f !== out);
  let prompt = `You are an LLM responsible for generating a response. Please provide a response given the user input below.\n\n`;
  for (const f of inputs) prompt += `<${cap(f)}>: {${f}}\n`;
  prompt += `<${cap(out)}>: `;
  return { prompt, completion: `{${out}}` };
}

/** The training template: the prompt without its trailing newline, followed by the completion. */
export function trainingTemplate(prompt: string, completion: string): string {
  return prompt.replace(/\n$/, '') + completion;
}

/** Fills `{column}` placeholders from a row; unknown placeholders are left as they are. */
export function fillTemplate(template: string, row: Record<string, unknown>): string {
  return template.replace(/\{([^{}]+)\}/g, (m, k: string) => (k in row ? String(row[k] ?? '') : m));
}
