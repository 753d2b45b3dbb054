import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../core/models';
import { matchesStream, namesToFetch, streamLabel, streamNames } from './event-streams';

const ID = 'aaaaaaaa-1111-4111-8111-111111111111';
const ev = (position: number, type: string, data: Record<string, unknown>, stream_type = 'dataset'): EventRecord => ({
  position, type, data, stream_id: `${stream_type}-${ID}`, stream_type, stream_version: position, metadata: {}, recorded_at: '',
});

describe('event log streams', () => {
  it('names a stream from its events, even after the entity was removed', () => {
    const events = [ev(2, 'DatasetRemoved', { id: ID }), ev(1, 'DatasetAdded', { row: { id: ID, name: 'tickets' } })];
    const names = streamNames(events);
    expect(streamLabel(events[0], names, () => '')).toEqual({ kind: 'dataset', name: 'tickets', id: ID });
  });
  it('names a config without a description by its type', () => {
    const e = ev(1, 'ConfigAdded', { row: { id: ID, type: 'lora_config', description: null } }, 'config');
    expect(streamLabel(e, streamNames([e]), (id) => id).name).toBe('lora_config');
  });
  it('uses the catalog name, else a short id', () => {
    const e = ev(1, 'JobStarted', { id: ID }, 'fine_tuning_job');
    expect(streamLabel(e, new Map(), (id) => (id === ID ? 'my-adapter' : id)).name).toBe('my-adapter');
    expect(streamLabel(e, new Map(), (id) => id)).toEqual({ kind: 'fine tuning job', name: 'aaaaaaaa', id: ID });
  });
  it('filters by entity id, full stream id or a part of it', () => {
    const e = ev(1, 'DatasetAdded', { row: { id: ID } });
    expect(matchesStream(e, ID)).toBe(true);
    expect(matchesStream(e, `dataset-${ID}`)).toBe(true);
    expect(matchesStream(e, 'aaaaaaaa')).toBe(true);
    expect(matchesStream(e, 'bbbb')).toBe(false);
    expect(matchesStream(e, '')).toBe(true);
  });
  it('asks by id only for the names the shown events lack, once per stream', () => {
    const other = 'bbbbbbbb-2222-4222-8222-222222222222';
    const events: EventRecord[] = [
      ev(5, 'RowAdded', { dataset_id: ID, row: { id: ID } }),
      ev(4, 'RowAdded', { dataset_id: ID, row: { id: ID } }),
      { ...ev(3, 'PromptAdded', { row: { id: other, name: 'greeting' } }, 'prompt'), stream_id: `prompt-${other}` },
      ev(2, 'JobStarted', { id: ID }, 'fine_tuning_job'),
      ev(1, 'ModelRemoved', { id: ID }, 'model'),
    ];
    const names = streamNames(events);
    expect(namesToFetch(events, names, new Set())).toEqual([{ kind: 'dataset', id: ID }]);
    expect(namesToFetch(events, names, new Set([ID]))).toEqual([]);
  });
});
