import { describe, expect, it } from '@jest/globals';
import { MAX_FIELD_LENGTH } from '@fts/domain';
import { MAX_MESSAGE_BYTES } from './grpc-options.js';
import { MAX_ORDINARY_MESSAGE_BYTES, messageLimitFor } from './message-limits.js';

describe('messageLimitFor', () => {
  it('only ImportDatabase keeps the server-wide limit', () => {
    expect(messageLimitFor('ImportDatabase')).toBeUndefined();
    for (const m of ['ListDatasets', 'GetDataset', 'AddDataset', 'WatchEvents', 'RemoveModel']) expect([m, messageLimitFor(m)]).toEqual([m, MAX_ORDINARY_MESSAGE_BYTES]);
  });

  it('fits every field at its cap in worst-case UTF-8, and stays under the server-wide limit', () => {
    const worst = (fields: number) => fields * 3 * MAX_FIELD_LENGTH;
    expect(messageLimitFor('AddConfig')!).toBeGreaterThan(worst(1));
    expect(messageLimitFor('AddPrompt')!).toBeGreaterThan(worst(3));
    expect(messageLimitFor('StartFineTuningJob')!).toBeGreaterThan(worst(5));
    expect(messageLimitFor('StartFineTuningJob')!).toBeLessThan(MAX_MESSAGE_BYTES);
  });
});
