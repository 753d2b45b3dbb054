import { autoFillTemplates, fillTemplate, pickOutputColumn, trainingTemplate } from './prompt-template';

describe('prompt auto-fill heuristic', () => {
  it('picks the best-ranked output column', () => {
    expect(pickOutputColumn(['instruction', 'label', 'response'])).toBe('response');
    expect(pickOutputColumn(['question', 'Answer'])).toBe('Answer');
  });
  it('falls back to the last column', () => expect(pickOutputColumn(['a', 'b', 'c'])).toBe('c'));
  it('builds an instruction, one line per input column, and the output marker', () => {
    const t = autoFillTemplates(['instruction', 'context', 'response']);
    expect(t.prompt).toMatch(/^You are an LLM/);
    expect(t.prompt).toContain('<Instruction>: {instruction}\n<Context>: {context}\n<Response>: ');
    expect(t.prompt.endsWith('<Response>: ')).toBe(true);
    expect(t.completion).toBe('{response}');
  });
  it('training template strips the trailing newline of the prompt', () =>
    expect(trainingTemplate('Q: {q}\n', '{a}')).toBe('Q: {q}{a}'));
  it('fills placeholders from a row and leaves unknown ones', () =>
    expect(fillTemplate('<Q>: {q} {x}', { q: 'hi' })).toBe('<Q>: hi {x}'));
  it('empty features give empty templates', () => expect(autoFillTemplates([])).toEqual({ prompt: '', completion: '' }));
});
