import type { Readable, Writable } from 'node:stream';
import v8 from 'node:v8';

/**
 * The byte channel between the server and an import's child process (a
 * socket pair: import-launcher.ts): messages as frames (a 4-byte length,
 * then the value as v8.serialize writes it, as Node's 'advanced' IPC does)
 * and, after the job, the request's bytes as they are.
 */
export function frame(value: unknown): Buffer {
  const body = v8.serialize(value);
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** Writes one frame; resolves once the socket has taken it. */
export function sendFrame(socket: Writable, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => socket.write(frame(value), (e) => (e ? reject(e) : resolve())));
}

/** Thrown by ChannelReader when the other end closed before what was asked for arrived. */
export class ChannelClosed extends Error {
  constructor() {
    super('the channel closed');
  }
}

/** Reads frames and runs of bytes from a socket, in order. */
export class ChannelReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private closed: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(socket: Readable) {
    socket.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.buffered += c.length;
      this.wake?.();
    });
    socket.once('end', () => this.close(new ChannelClosed()));
    socket.once('close', () => this.close(new ChannelClosed()));
    socket.once('error', (e) => this.close(e));
  }

  /** The next `n` bytes, as the pieces they arrived in (cut at both ends). */
  async bytes(n: number): Promise<Buffer[]> {
    while (this.buffered < n) {
      if (this.closed) throw this.closed;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const out: Buffer[] = [];
    for (let left = n; left > 0; ) {
      const c = this.chunks[0];
      if (c.length <= left) {
        out.push(c);
        this.chunks.shift();
        left -= c.length;
      } else {
        out.push(c.subarray(0, left));
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.buffered -= n;
    return out;
  }

  /** The next frame's value. */
  async frame(): Promise<unknown> {
    const length = join(await this.bytes(4)).readUInt32BE(0);
    return v8.deserialize(join(await this.bytes(length)));
  }

  private close(e: Error) {
    this.closed ??= e;
    this.wake?.();
  }
}

const join = (pieces: Buffer[]) => (pieces.length === 1 ? pieces[0] : Buffer.concat(pieces));
