import { outputCards, rowInput } from './comparison';

describe('comparison outputs', () => {
  const name = (id?: string) => id?.toUpperCase() ?? '';
  it('puts the base model first and keeps adapters in request order', () => {
    const cards = outputCards({ id: 'c', status: 'succeeded', base_model_id: 'm', adapter_ids: ['a', 'b'], input_text: 'x',
      outputs: [{ adapter_id: 'b', output: 'ob', latency_s: 0.2 }, { adapter_id: '', output: 'base', latency_s: 0.1 }] }, name);
    expect(cards.map((c) => c.title)).toEqual(['Base model: M', 'Adapter: A', 'Adapter: B']);
    expect(cards.map((c) => c.output)).toEqual(['base', null, 'ob']);
  });
  it('treats a null adapter id as the base model', () =>
    expect(outputCards({ id: 'c', status: 'succeeded', base_model_id: 'm', adapter_ids: [], input_text: 'x', outputs: [{ adapter_id: null, output: 'o' }] }, name)[0].output).toBe('o'));
  it('fills a dataset row into a template', () => {
    expect(rowInput({ instruction: 'What is 1 plus 1?' }, '<Instruction>: {instruction}\n<Response>: ')).toBe('<Instruction>: What is 1 plus 1?\n<Response>: ');
    expect(rowInput({ instruction: 'q', response: 'a' })).toBe('q');
  });
});
