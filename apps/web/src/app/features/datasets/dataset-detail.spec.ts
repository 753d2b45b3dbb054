import { describe, expect, it } from 'vitest';
import { rowCountText } from './dataset-detail';

describe('rowCountText', () => {
  it('counts the rows the preview read, and says when it stopped at its bound', () => {
    expect(rowCountText(30, 100)).toBe('30 rows');
    expect(rowCountText(1, 100)).toBe('1 row');
    expect(rowCountText(100, 100)).toBe('at least 100 rows');
  });
});
