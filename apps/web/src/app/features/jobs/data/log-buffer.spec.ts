import { describe, expect, it } from 'vitest';
import { LogBuffer } from './log-buffer';

describe('LogBuffer', () => {
  it('appends new lines after the tail', () => {
    const b = new LogBuffer(10);
    expect(b.chunk(['a', 'b'])).toEqual(['a', 'b']);
    expect(b.chunk(['c'])).toEqual(['a', 'b', 'c']);
  });
  it('never shows a line twice when the stream reconnects and sends the tail again', () => {
    const b = new LogBuffer(10);
    b.chunk(['a', 'b']);
    b.chunk(['c']);
    b.connected();
    expect(b.chunk(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(b.chunk(['d'])).toEqual(['a', 'b', 'c', 'd']);
  });
  it('an empty tail (no run yet) then lines', () => {
    const b = new LogBuffer(10);
    expect(b.chunk([])).toEqual([]);
    expect(b.chunk(['x'])).toEqual(['x']);
  });
  it('keeps the last max lines', () => {
    const b = new LogBuffer(3);
    b.chunk(['1', '2']);
    expect(b.chunk(['3', '4', '5'])).toEqual(['3', '4', '5']);
    b.connected();
    expect(b.chunk(['1', '2', '3', '4'])).toEqual(['2', '3', '4']);
  });
});
