import { projectEvent } from '../projections.js';
import { given } from '../../test/support/testing.js';
import { addPrompt, removePrompt } from './prompt.decider.js';
import type { AddPrompt } from './prompt.commands.js';

const dataset = {
  type: 'DatasetAdded',
  streamId: 'dataset-d1',
  streamType: 'dataset',
  data: { row: { id: 'd1', type: 'project_csv', name: 'tickets', features: '["instruction", "intent"]' } },
};

const prompt = (over: Partial<AddPrompt> = {}): AddPrompt => ({
  id: 'p1',
  type: 'in_place',
  name: 'Tickets',
  dataset_id: 'd1',
  prompt_template: 'Q: {instruction}\nA: {intent}',
  input_template: 'Q: {instruction}\nA: ',
  completion_template: '{intent}',
  ...over,
});

describe('AddPrompt', () => {
  it('records PromptAdded with the stripped name', () => {
    const d = given(projectEvent, [dataset])
      .attempt((ctx) => addPrompt(prompt({ name: ' Tickets ' }), ctx))
      .then([{ type: 'PromptAdded', streamId: 'prompt-p1', expectedVersion: 0 }]);
    expect(d.result).toMatchObject({ id: 'p1', name: 'Tickets', dataset_id: 'd1' });
  });

  it('requires every field, in the original order and wording', () => {
    const g = given(projectEvent, [dataset]);
    expect(() => g.when((ctx) => addPrompt(prompt({ id: '' }), ctx))).toThrow("Field 'id' is required in PromptMetadata.");
    expect(() => g.when((ctx) => addPrompt(prompt({ name: '   ' }), ctx))).toThrow(
      'Prompt name cannot be an empty string or only spaces.',
    );
  });

  it('refuses a duplicate name and a duplicate id', () => {
    const g = given(projectEvent, [dataset]);
    g.run((ctx) => addPrompt(prompt(), ctx));
    g.attempt((ctx) => addPrompt(prompt({ id: 'p2' }), ctx)).thenThrows('PROMPT.NAME_TAKEN');
    g.attempt((ctx) => addPrompt(prompt({ name: 'Other' }), ctx)).thenThrows('PROMPT.ID_TAKEN');
  });

  it('refuses a missing dataset and a slot that is not a feature, naming it', () => {
    const g = given(projectEvent, [dataset]);
    g.attempt((ctx) => addPrompt(prompt({ dataset_id: 'nope' }), ctx)).thenThrows('DATASET.NOT_FOUND');
    expect(() => g.when((ctx) => addPrompt(prompt({ input_template: 'Q: {question}' }), ctx))).toThrow('{question}');
  });
});

describe('AddPrompt of type chat', () => {
  const chatDataset = {
    type: 'DatasetAdded',
    streamId: 'dataset-d2',
    streamType: 'dataset',
    data: { row: { id: 'd2', type: 'project_jsonl', name: 'chats', features: '["messages"]' } },
  };
  const chat = (over: Partial<AddPrompt> = {}) => prompt({ id: 'c1', name: 'Chat', type: 'chat', dataset_id: 'd2', prompt_template: '', input_template: '', completion_template: '', ...over });

  it('needs no template: the chat template of the model renders the messages', () => {
    const d = given(projectEvent, [dataset, chatDataset]).when((ctx) => addPrompt(chat(), ctx));
    expect(d.result).toMatchObject({ type: 'chat', prompt_template: '', input_template: '', completion_template: '' });
  });

  it('refuses a dataset without messages, naming what it has', () => {
    const g = given(projectEvent, [dataset, chatDataset]);
    expect(() => g.when((ctx) => addPrompt(chat({ dataset_id: 'd1' }), ctx))).toThrow(
      "A chat prompt needs a dataset whose rows hold 'messages' ([{role, content}]); dataset 'tickets' has instruction, intent.",
    );
  });
});

describe('RemovePrompt', () => {
  it('removes an existing prompt and refuses a missing one', () => {
    const g = given(projectEvent, [dataset]);
    g.run((ctx) => addPrompt(prompt(), ctx));
    expect(g.run((ctx) => removePrompt({ id: 'p1' }, ctx)).events[0].type).toBe('PromptRemoved');
    expect(g.catalog.get('prompts', 'p1')).toBeUndefined();
    g.attempt((ctx) => removePrompt({ id: 'p1' }, ctx)).thenThrows('PROMPT.NOT_FOUND');
  });
});
