import { WriteGate } from './write-gate.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteGate', () => {
  it('is open until an exclusive section starts, and opens when the last one ends', async () => {
    const gate = new WriteGate();
    expect(gate.closed).toBe(false);
    await gate.opened();
    let release!: () => void;
    const first = gate.exclusive(() => new Promise<string>((r) => (release = () => r('first'))));
    const order: string[] = [];
    const second = gate.exclusive(async () => (order.push('second'), 'second'));
    const waiter = gate.opened().then(() => order.push('opened'));
    await tick();
    expect(gate.closed).toBe(true);
    expect(order).toEqual([]);
    release();
    expect(await first).toBe('first');
    expect(await second).toBe('second');
    await waiter;
    expect(order).toEqual(['second', 'opened']);
    expect(gate.closed).toBe(false);
  });

  it('a failed section still opens the gate for the next', async () => {
    const gate = new WriteGate();
    await expect(gate.exclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.exclusive(async () => 'next')).toBe('next');
    expect(gate.closed).toBe(false);
  });
});
