/**
 * A list of strings as Python's `json.dumps` writes it (separators `", "`,
 * ensure_ascii), which is how the original stored dataset features:
 * `["instruction", "intent"]`.
 */
export function pythonJsonStringList(items: string[]): string {
  return `[${items.map(pythonJsonString).join(', ')}]`;
}

export function pythonJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
