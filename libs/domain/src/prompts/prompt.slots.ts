/** The `{column}` slots of a prompt template, in order of first appearance (Python str.format semantics: `{{` escapes). */
export function templateSlots(template: string): string[] {
  const out: string[] = [];
  const re = /\{\{|\}\}|\{([^{}]*)\}/g;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m[1] === undefined) continue;
    const name = m[1].split(/[.[!:]/)[0].trim();
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
