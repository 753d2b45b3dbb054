/**
 * A full disk is the operator's to fix, not a server bug: a write that finds
 * no space answers RESOURCE_EXHAUSTED (HTTP 507) with a sentence, nothing is
 * half-written, /api/health says degraded; once space is freed, writes go
 * through and health is ok again. The database lives on a small tmpfs (root
 * only: the test is skipped, saying so, where mount is not allowed).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';

jest.setTimeout(180_000);

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-full-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (e) {
  console.warn(`disk-full.spec: cannot mount a tmpfs here (${String(e).split('\n')[0]}); the test is skipped`);
}

let srv: ServerHandle;
const filler = path.join(mountPoint, 'filler');
const bigConfig = (i: number) => JSON.stringify({ note: `${i} `.padEnd(400_000, 'x') });
const health = async () => (await fetch(`${srv.httpUrl}/api/health`)).json() as Promise<{ status: string; reason?: string }>;

/** Writes the filler file until the tmpfs refuses (ENOSPC). */
function fillDisk() {
  const fd = fs.openSync(filler, 'a');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

(mounted ? describe : describe.skip)('a full disk under the database', () => {
  beforeAll(async () => {
    srv = await startServer({ seed: false, env: { FINE_TUNING_STUDIO_SQLITE_DB: path.join(mountPoint, 'state.db') } });
  });
  afterAll(async () => {
    await srv?.stop();
    if (mounted) execFileSync('umount', [mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it('answers RESOURCE_EXHAUSTED / 507 with a sentence, health says degraded, and writes resume once space is freed', async () => {
    expect(await health()).toEqual({ status: 'ok' });
    fillDisk();
    // Health sees the free space go before any write fails.
    expect(await health()).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/KiB free/) });

    // The WAL may still have room from earlier writes: write until the disk refuses.
    const refusals: { code: string; details: string }[] = [];
    for (let i = 0; i < 60 && refusals.length === 0; i++) {
      const a = await srv.client.attempt('AddConfig', { type: 'generation_config', config: bigConfig(i), description: `big ${i}` });
      if (!a.ok) refusals.push({ code: a.codeName, details: a.details });
    }
    expect(refusals).toEqual([{ code: 'RESOURCE_EXHAUSTED', details: expect.stringMatching(/^The disk holding the database \(.+\) is full: nothing was written\. Free some space there and try again\.$/) }]);

    const http = await fetch(`${srv.httpUrl}/api/configs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'generation_config', config: bigConfig(999), description: 'big over http' }),
    });
    expect(http.status).toBe(507);
    expect(await http.json()).toMatchObject({ error: { code: 'RESOURCE_EXHAUSTED', reason: 'STORE.DISK_FULL' } });
    expect(await health()).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/is full since/) });

    // Space again: writes go through and health is ok.
    fs.rmSync(filler);
    const ok = await srv.client.attempt('AddConfig', { type: 'generation_config', config: JSON.stringify({ max_new_tokens: 5 }), description: 'after freeing space' });
    expect(ok.ok).toBe(true);
    expect(await health()).toEqual({ status: 'ok' });
    expect(srv.logs()).not.toMatch(/SQLITE_FULL/);
  });
});
