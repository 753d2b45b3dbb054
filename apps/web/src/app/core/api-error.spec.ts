import { describe, expect, it } from 'vitest';
import { forPeople } from './api-error';

describe('forPeople', () => {
  it('drops protocol wording from server sentences', () => {
    expect(forPeople("Field 'adapter_ids' is required in StartAdapterComparisonRequest.")).toBe('Adapter ids is required.');
    expect(forPeople("Field 'input_text' cannot be an empty string or only spaces.")).toBe('Input text cannot be an empty string or only spaces.');
  });
  it('leaves sentences written for people alone', () => {
    expect(forPeople("Dataset with ID 'x' does not exist.")).toBe("Dataset with ID 'x' does not exist.");
  });
});
