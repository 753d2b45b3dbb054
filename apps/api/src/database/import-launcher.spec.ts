/**
 * The import launcher (import-launcher.ts) and the channel to an import's
 * child process (import-channel.ts). The launcher and the workers run as
 * built: apps/api/dist (run `npx tsc -b` first); the workers here are small
 * scripts standing in for import-worker.js.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ChannelClosed, ChannelReader, frame, sendFrame } from './import-channel.js';
import { ImportLauncher } from './import-launcher.js';
import { importOffThread } from './import-off-thread.js';
import { WriteGate } from '../platform/transport/write-gate.js';
import { EventBus } from '../platform/event-bus.js';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/database');
const LAUNCHER = path.join(DIST, 'import-launcher-process.js');
const CHANNEL = pathToFileURL(path.join(DIST, 'import-channel.js')).href;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Running (a zombie whose new parent has not reaped it yet counts as gone). */
const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};
const parentOf = (pid: number) => Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

let dir: string;
const script = (name: string, body: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `import net from 'node:net';\nimport { ChannelReader, sendFrame } from '${CHANNEL}';\nconst channel = new net.Socket({ fd: 4, readable: true, writable: true });\nconst reader = new ChannelReader(channel);\n${body}\n`);
  return file;
};

beforeAll(() => {
  if (!fs.existsSync(LAUNCHER)) throw new Error(`${LAUNCHER} is missing: run \`npx tsc -b\` first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-launcher-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ChannelReader', () => {
  it('reads frames and runs of bytes in order, however the stream cuts them, then reports the close', async () => {
    const stream = new PassThrough();
    const reader = new ChannelReader(stream);
    const all = Buffer.concat([frame({ job: 1, text: 'é'.repeat(1000) }), Buffer.from('raw bytes'), frame('more')]);
    for (let i = 0; i < all.length; i += 7) stream.write(all.subarray(i, i + 7));
    expect(await reader.frame()).toEqual({ job: 1, text: 'é'.repeat(1000) });
    expect(Buffer.concat(await reader.bytes(9)).toString()).toBe('raw bytes');
    expect(await reader.frame()).toBe('more');
    stream.end();
    await expect(reader.frame()).rejects.toBeInstanceOf(ChannelClosed);
  });
});

describe('ImportLauncher', () => {
  it("forks workers from the launcher, not from this process, and hands over the worker's channel", async () => {
    const worker = script('echo.mjs', `const m = await reader.frame();\nawait sendFrame(channel, { echo: m, pid: process.pid });\nchannel.destroy();`);
    const launcher = new ImportLauncher(LAUNCHER, worker);
    try {
      const keepAlive = setInterval(() => undefined, 1000);
      const w = await launcher.spawn();
      await sendFrame(w.socket, { hello: [1, 2, 3] });
      const answer = (await new ChannelReader(w.socket).frame()) as { echo: unknown; pid: number };
      expect(answer.echo).toEqual({ hello: [1, 2, 3] });
      expect(parentOf(answer.pid)).toBe(launcher.pid);
      expect(await w.exited).toEqual({ code: 0, signal: null });
      w.socket.destroy();
      clearInterval(keepAlive);
    } finally {
      launcher.stop();
    }
  });

  it('starts again after the launcher died', async () => {
    const worker = script('quits.mjs', `channel.destroy();`);
    const launcher = new ImportLauncher(LAUNCHER, worker);
    try {
      const keepAlive = setInterval(() => undefined, 1000);
      launcher.start();
      const first = launcher.pid!;
      (await launcher.spawn()).socket.destroy();
      process.kill(first, 'SIGKILL');
      for (let i = 0; i < 100 && launcher.pid === first; i++) await sleep(20);
      const w = await launcher.spawn();
      expect(launcher.pid).not.toBe(first);
      expect(await w.exited).toEqual({ code: 0, signal: null });
      clearInterval(keepAlive);
    } finally {
      launcher.stop();
    }
  });

  it('a worker that dies answers the import with an error that says how it exited, and the write gate opens again', async () => {
    const worker = script('dies.mjs', `await reader.frame();\nprocess.exit(3);`);
    const launcher = new ImportLauncher(LAUNCHER, worker);
    const gate = new WriteGate();
    try {
      const call = { actor: 'test', transport: 'grpc' } as never;
      await expect(importOffThread({ dbPath: '/nowhere.db', projectRoot: dir }, { kind: 'grpc', bytes: Buffer.alloc(1 << 20) }, call, gate, new EventBus(), launcher)).rejects.toThrow(
        'the import process exited (3) without an answer',
      );
      expect(await gate.exclusive(async () => 'open')).toBe('open');
    } finally {
      launcher.stop();
    }
  });

  it('ends itself and its workers when the process that started it goes away', async () => {
    const worker = script('waits.mjs', `setInterval(() => undefined, 1000);`);
    const parent = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { ImportLauncher } from '${pathToFileURL(path.join(DIST, 'import-launcher.js')).href}';\nconst l = new ImportLauncher(${JSON.stringify(LAUNCHER)}, ${JSON.stringify(worker)});\nconst w = await l.spawn();\nsetInterval(() => undefined, 1000);\nconsole.log(JSON.stringify({ launcher: l.pid }));`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
    const { launcher } = JSON.parse(line) as { launcher: number };
    const workers = fs.readFileSync(`/proc/${launcher}/task/${launcher}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(workers).toHaveLength(1);
    parent.kill('SIGKILL');
    for (let i = 0; i < 100 && (alive(launcher) || alive(workers[0])); i++) await sleep(50);
    expect(alive(launcher)).toBe(false);
    expect(alive(workers[0])).toBe(false);
  });
});
