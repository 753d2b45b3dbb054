import fs from 'node:fs';
import path from 'node:path';
import type { DomainError } from '@fts/domain';
import { parseEventLine, toEpochMs } from './events-parser.js';
import { nextPollDelayMs } from './poll-delay.js';
import { RUN_FILES, RunFolder, runDirOf } from './run-folder.js';
import { tempStateDir, waitUntil } from '../../test/support/runner-test-kit.js';
import { detectGpuDevices } from './local/gpu-slots.js';

const NOW = 1_767_225_600_000;

describe('RunFolder', () => {
  let stateDir: string;
  let folder: RunFolder;
  const events = () => folder.path(RUN_FILES.events);
  const append = (s: string) => fs.appendFileSync(events(), s);

  beforeEach(() => {
    stateDir = tempStateDir('fts-folder-');
    folder = RunFolder.forJob(stateDir, 'job-1');
    folder.prepare({ a: 1 }, { runner: 'test' });
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it('names the folder after the job and refuses ids that are not plain names', () => {
    expect(folder.dir).toBe(path.join(stateDir, 'job_runs', 'job-1'));
    for (const bad of ['', '..', '../x', 'a/b', 'a\\b', '.hidden', 'x'.repeat(200), 'a\0b']) {
      expect(() => runDirOf(stateDir, bad)).toThrow(expect.objectContaining({ code: 'RUN.JOB_ID_INVALID' }) as DomainError);
    }
    expect(fs.readFileSync(folder.path(RUN_FILES.spec), 'utf8')).toBe('{\n  "a": 1\n}\n');
  });

  describe('readOutputs', () => {
    it('returns complete lines only and resumes from the offset it gave', async () => {
      const l1 = '{"type":"progress","step":1,"loss":2.5,"ts":1767225600.25}\n';
      const l2 = '{"type":"log","level":"info","message":"héllo","ts":1767225601}\n';
      append(l1 + l2 + '{"type":"progress","st');
      const first = await folder.readOutputs(0, { now: () => NOW });
      expect(first.outputs).toEqual([
        { type: 'progress', point: { step: 1, loss: 2.5, ts: NOW + 250 }, offset: Buffer.byteLength(l1) },
        { type: 'log', data: { level: 'info', message: 'héllo', ts: NOW + 1000 }, offset: Buffer.byteLength(l1 + l2) },
      ]);
      expect(first.nextOffset).toBe(Buffer.byteLength(l1 + l2));
      expect(await folder.readOutputs(first.nextOffset)).toEqual({ outputs: [], nextOffset: first.nextOffset });

      append('ep":2}\r\n\n');
      const second = await folder.readOutputs(first.nextOffset, { now: () => NOW });
      expect(second.outputs).toEqual([{ type: 'progress', point: { step: 2, ts: NOW }, offset: fs.statSync(events()).size - 1 }]);
      expect(second.nextOffset).toBe(fs.statSync(events()).size);
    });

    it('reads in bounded chunks', async () => {
      const line = (i: number) => `{"type":"progress","step":${i}}\n`;
      for (let i = 1; i <= 50; i++) append(line(i));
      const steps: number[] = [];
      let offset = 0;
      for (let calls = 0; calls < 100; calls++) {
        const r = await folder.readOutputs(offset, { maxBytes: 100 });
        for (const o of r.outputs) if (o.type === 'progress') steps.push(o.point.step);
        if (r.nextOffset === offset) break;
        offset = r.nextOffset;
      }
      expect(steps).toEqual([...Array(50).keys()].map((i) => i + 1));
    });

    it('skips a line longer than a chunk once it is complete', async () => {
      const long = `{"type":"log","message":"${'x'.repeat(300)}"}\n`;
      append(long.slice(0, -3));
      expect((await folder.readOutputs(0, { maxBytes: 100 })).outputs).toEqual([]);
      append('"}\n{"type":"progress","step":7}\n');
      const r1 = await folder.readOutputs(0, { maxBytes: 100, now: () => NOW });
      expect(r1.outputs).toEqual([
        { type: 'log', data: expect.objectContaining({ level: 'warning', source: 'runner' }), offset: long.length },
      ]);
      const r2 = await folder.readOutputs(r1.nextOffset, { maxBytes: 100, now: () => NOW });
      expect(r2.outputs).toEqual([{ type: 'progress', point: { step: 7, ts: NOW }, offset: fs.statSync(events()).size }]);
    });

    it('is empty for a missing file or an offset past the end', async () => {
      fs.rmSync(events());
      expect(await folder.readOutputs(0)).toEqual({ outputs: [], nextOffset: 0 });
      append('{"type":"result"}\n');
      expect(await folder.readOutputs(999)).toEqual({ outputs: [], nextOffset: 999 });
    });
  });

  describe('parseEventLine', () => {
    it('maps the template shapes', () => {
      expect(
        parseEventLine('{"type":"progress","step":3,"total_steps":10,"epoch":0.3,"loss":1.5,"eval_loss":1.7,"learning_rate":2e-4,"grad_norm":0.9,"ts":1767225600}', 9, 0),
      ).toEqual({
        type: 'progress',
        point: { step: 3, total_steps: 10, epoch: 0.3, loss: 1.5, eval_loss: 1.7, learning_rate: 2e-4, grad_norm: 0.9, ts: NOW },
        offset: 9,
      });
      expect(parseEventLine('{"type":"artifact","kind":"adapter","path":"data/adapters/a"}', 1, NOW)).toEqual({
        type: 'artifact',
        data: { kind: 'adapter', path: 'data/adapters/a', ts: NOW },
        offset: 1,
      });
      expect(parseEventLine('{"type":"result","data":{"metrics":{"rouge":0.5}},"ts":"2026-01-01T00:00:00Z"}', 1, 0)).toEqual({
        type: 'result',
        data: { metrics: { rouge: 0.5 }, ts: NOW },
        offset: 1,
      });
    });

    it("accepts Python's NaN/Infinity and drops non-numeric metrics", () => {
      expect(parseEventLine('{"type":"progress","step":4,"loss":NaN,"grad_norm":Infinity,"epoch":"1"}', 1, NOW)).toEqual({
        type: 'progress',
        point: { step: 4, ts: NOW },
        offset: 1,
      });
    });

    it('turns unreadable lines and unknown types into warnings', () => {
      for (const line of ['not json', '[1,2]', '{"type":"weird"}', '{"type":"progress"}']) {
        const o = parseEventLine(line, 5, NOW);
        expect(o).toMatchObject({ type: 'log', offset: 5, data: { level: 'warning', source: 'runner' } });
      }
    });

    it('reads unix seconds, epoch ms and ISO times', () => {
      expect(toEpochMs(1767225600)).toBe(NOW);
      expect(toEpochMs(NOW)).toBe(NOW);
      expect(toEpochMs('2026-01-01T00:00:00.000Z')).toBe(NOW);
      expect(toEpochMs('nope')).toBeUndefined();
      expect(toEpochMs(-1)).toBeUndefined();
    });
  });

  describe('tail and lastErrorLine', () => {
    const stdout = () => folder.path(RUN_FILES.stdout);

    it('returns the last lines, with or without a final newline', async () => {
      expect(await folder.tail(RUN_FILES.stdout, 5)).toEqual([]);
      fs.writeFileSync(stdout(), 'a\nb\nc\n');
      expect(await folder.tail(RUN_FILES.stdout, 2)).toEqual(['b', 'c']);
      expect(await folder.tail(RUN_FILES.stdout, 10)).toEqual(['a', 'b', 'c']);
      fs.appendFileSync(stdout(), 'partial');
      expect(await folder.tail(RUN_FILES.stdout, 2)).toEqual(['c', 'partial']);
      expect(await folder.tail(RUN_FILES.stdout, 0)).toEqual([]);
      const many = [...Array(20_000).keys()].map((i) => `line ${i} ${'y'.repeat(20)}`).join('\n') + '\n';
      fs.writeFileSync(stdout(), many);
      expect(await folder.tail(RUN_FILES.stdout, 3)).toEqual([19_997, 19_998, 19_999].map((i) => `line ${i} ${'y'.repeat(20)}`));
    });

    it('prefers an error event, then a Python exception line, then an error-looking line', async () => {
      fs.writeFileSync(stdout(), 'loading\nWARNING: error rate high\nTraceback (most recent call last):\n  File "x.py"\nKeyError: \'prompt\'\nbye\n');
      expect(await folder.lastErrorLine()).toBe("KeyError: 'prompt'");
      append('{"type":"log","level":"error","message":"Dataset column \'prompt\' is missing."}\n{"type":"log","level":"info","message":"x"}\n');
      expect(await folder.lastErrorLine()).toBe("Dataset column 'prompt' is missing.");
      fs.writeFileSync(events(), '');
      fs.writeFileSync(stdout(), 'CUDA error: out of memory\nok\n');
      expect(await folder.lastErrorLine()).toBe('CUDA error: out of memory');
      fs.writeFileSync(stdout(), 'all good\n');
      expect(await folder.lastErrorLine()).toBeUndefined();
    });
  });

  it('follows a file written by someone else and ends when told the writer is done', async () => {
    let done = false;
    const ac = new AbortController();
    const got: string[] = [];
    const reading = (async () => {
      for await (const l of folder.follow(RUN_FILES.stdout, ac.signal, { isFinished: () => done, pollMs: 20 })) got.push(l);
    })();
    fs.appendFileSync(folder.path(RUN_FILES.stdout), 'one\ntw');
    await waitUntil(() => got.length > 0, 2000, 'the first line');
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['one']);
    fs.appendFileSync(folder.path(RUN_FILES.stdout), 'o\nthree (no newline)');
    done = true;
    await reading;
    expect(got).toEqual(['one', 'two', 'three (no newline)']);
  });
});

describe('nextPollDelayMs', () => {
  it('starts at 1 s after a change and doubles up to 30 s', () => {
    expect(nextPollDelayMs(0, true)).toBe(1000);
    expect(nextPollDelayMs(7, true)).toBe(1000);
    expect([0, 1, 2, 3, 4, 5, 6, 100].map((a) => nextPollDelayMs(a, false))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(nextPollDelayMs(3, false, { minMs: 100, maxMs: 500 })).toBe(500);
  });
});

describe('detectGpuDevices', () => {
  const smi = (out: string) => () => out;
  const none = () => {
    throw new Error('ENOENT');
  };
  it('reads CUDA_VISIBLE_DEVICES first, then nvidia-smi -L, else none', () => {
    expect(detectGpuDevices({ CUDA_VISIBLE_DEVICES: '2, 3' }, none)).toEqual(['2', '3']);
    expect(detectGpuDevices({ CUDA_VISIBLE_DEVICES: 'GPU-abc,1,-1,4' }, none)).toEqual(['GPU-abc', '1']);
    expect(detectGpuDevices({ CUDA_VISIBLE_DEVICES: '' }, smi('GPU 0: A\n'))).toEqual([]);
    expect(detectGpuDevices({}, smi('GPU 0: NVIDIA H100 (UUID: GPU-1)\nGPU 1: NVIDIA H100 (UUID: GPU-2)\n'))).toEqual(['0', '1']);
    expect(detectGpuDevices({}, none)).toEqual([]);
  });
});
