import type { PackageDefinition } from '@grpc/proto-loader';
import { PROTO_PACKAGE, SERVICE_NAME } from '@fts/proto';

/**
 * Messages of tens of megabytes (an ImportDatabase request, an
 * ExportDatabase answer) without stalling the event loop. On a loaded
 * machine, writing 36 MB into freshly allocated memory takes 150-250 ms
 * (the page faults, not the copy), and grpc-js does it in one go twice per
 * large message: it joins a request's chunks into one buffer, and it copies
 * an answer into a new buffer behind the 5-byte gRPC prefix. Decoding the
 * 36 MB string of an import on top of that took 100 ms more, and handing it
 * to the import's child process 500 ms.
 *
 * So: a request of a method in RAW_REQUEST_METHODS reaches its handler as
 * its protobuf bytes (a RawRequest, decoded where the work happens: the
 * import's child process); its bytes are gathered as they arrive into one
 * buffer sized from the message's prefix (spreading the page faults over the
 * reads); and an answer given as a FramedResponse (prefix included, built a
 * slice at a time by the handler) is written as it is.
 */

/** A request handed to its handler undecoded: the message's protobuf bytes. */
export class RawRequest {
  constructor(readonly bytes: Buffer) {}
}

/** An answer already framed for the wire: the gRPC 5-byte prefix (uncompressed, length) then the protobuf bytes. */
export class FramedResponse {
  constructor(readonly framed: Buffer) {}

  /** The protobuf bytes alone. */
  get bytes(): Buffer {
    return this.framed.subarray(5);
  }
}

/** Methods whose handler takes a RawRequest: only the import, whose request is a whole document. */
export const RAW_REQUEST_METHODS = new Set(['ImportDatabase']);

/** Methods whose request bytes are gathered into one buffer as they arrive. */
const PREALLOCATED_REQUEST_METHODS = RAW_REQUEST_METHODS;
/** Methods that may answer a FramedResponse. */
const FRAMED_RESPONSE_METHODS = new Set(['ExportDatabase']);

type MethodDefinitions = Record<string, { requestDeserialize: (b: Buffer) => unknown; responseSerialize: (v: unknown) => Buffer }>;

/**
 * RAW_REQUEST_METHODS get a RawRequest instead of a decoded message; every
 * method's serializer takes a FramedResponse (its protobuf bytes: grpc-js
 * copies them behind its prefix when the call's own framing is not replaced,
 * see largeMessageCall).
 */
export function passLargeMessages(definition: PackageDefinition): void {
  const methods = definition[`${PROTO_PACKAGE}.${SERVICE_NAME}`] as unknown as MethodDefinitions;
  for (const name of Object.keys(methods)) {
    if (RAW_REQUEST_METHODS.has(name)) methods[name].requestDeserialize = (bytes: Buffer) => new RawRequest(bytes);
    const encode = methods[name].responseSerialize;
    methods[name].responseSerialize = (value: unknown) => (value instanceof FramedResponse ? value.bytes : encode(value));
  }
}

/** The parts of grpc-js's base server call (internals) that largeMessageCall replaces. */
interface BaseCall {
  decoder?: { write?: unknown; maxReadMessageLength?: number };
  serializeMessage?: (value: unknown) => Buffer;
}

/**
 * Installs, on grpc-js's base call of `method` (the call the first server
 * interceptor is handed), the preallocating decoder and the pass-through of
 * FramedResponse. Both are grpc-js internals: a grpc-js without them keeps its
 * own behaviour (correct, with the stalls described above). Returns what it installed.
 */
export function largeMessageCall(call: unknown, method: string): { decoder: boolean; framed: boolean } {
  const base = call as BaseCall;
  const installed = { decoder: false, framed: false };
  if (PREALLOCATED_REQUEST_METHODS.has(method) && typeof base.decoder?.write === 'function' && typeof base.decoder.maxReadMessageLength === 'number') {
    base.decoder = new PreallocatingDecoder(base.decoder.maxReadMessageLength);
    installed.decoder = true;
  }
  if (FRAMED_RESPONSE_METHODS.has(method) && typeof base.serializeMessage === 'function') {
    const serialize = base.serializeMessage.bind(base);
    base.serializeMessage = (value: unknown) => (value instanceof FramedResponse ? value.framed : serialize(value));
    installed.framed = true;
  }
  return installed;
}

/**
 * grpc-js's StreamDecoder, except that a message's buffer is allocated when
 * its 5-byte prefix has been read and each chunk is copied in as it arrives,
 * instead of keeping the chunks and joining them at the end. Same output
 * (each whole message, prefix included), same refusal of an oversized one.
 */
export class PreallocatingDecoder {
  private readonly prefix = Buffer.alloc(5);
  private prefixRead = 0;
  private message: Buffer | undefined;
  private messageRead = 0;

  constructor(public maxReadMessageLength: number) {}

  write(data: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let at = 0;
    while (at < data.length) {
      if (!this.message) {
        const n = Math.min(5 - this.prefixRead, data.length - at);
        data.copy(this.prefix, this.prefixRead, at, at + n);
        this.prefixRead += n;
        at += n;
        if (this.prefixRead < 5) break;
        const size = this.prefix.readUInt32BE(1);
        if (this.maxReadMessageLength !== -1 && size > this.maxReadMessageLength) {
          throw new Error(`Received message larger than max (${size} vs ${this.maxReadMessageLength})`);
        }
        this.message = Buffer.allocUnsafe(size + 5);
        this.prefix.copy(this.message, 0);
        this.messageRead = 5;
      }
      const n = Math.min(this.message.length - this.messageRead, data.length - at);
      data.copy(this.message, this.messageRead, at, at + n);
      this.messageRead += n;
      at += n;
      if (this.messageRead === this.message.length) {
        out.push(this.message);
        this.message = undefined;
        this.prefixRead = 0;
      }
    }
    return out;
  }
}

/** Bytes copied between yields to the event loop while framing a large answer. */
const FRAME_SLICE_BYTES = 1024 * 1024;

/**
 * A FramedResponse of a message whose only field is `field` (length-delimited)
 * holding `pieces` joined: the gRPC prefix, the field's tag and length, then
 * the pieces, copied a megabyte at a time with the loop given back in between.
 */
export async function frameBytesField(field: number, pieces: Buffer[]): Promise<FramedResponse> {
  const length = pieces.reduce((n, p) => n + p.length, 0);
  const header = [(field << 3) | 2];
  for (let n = length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      header.push(n);
      break;
    }
    header.push((n % 128) | 0x80);
  }
  const messageLength = header.length + length;
  const framed = Buffer.allocUnsafe(5 + messageLength);
  framed.writeUInt8(0, 0);
  framed.writeUInt32BE(messageLength, 1);
  Buffer.from(header).copy(framed, 5);
  let at = 5 + header.length;
  let sinceYield = 0;
  for (const p of pieces) {
    for (let i = 0; i < p.length; i += FRAME_SLICE_BYTES) {
      const part = p.subarray(i, i + FRAME_SLICE_BYTES);
      part.copy(framed, at);
      at += part.length;
      sinceYield += part.length;
      if (sinceYield >= FRAME_SLICE_BYTES) {
        await new Promise((resolve) => setImmediate(resolve));
        sinceYield = 0;
      }
    }
  }
  return new FramedResponse(framed);
}

/** The largest answer FramedFieldWriter holds in one buffer (the server's send limit, with room for the prefix). */
const ONE_BUFFER_BYTES = 64 * 1024 * 1024 + 16;
/** Room before the field's bytes for the gRPC prefix (5), the tag (1) and the length (a varint: 5 at most). */
const RESERVE = 11;
/** The first buffer: a small answer never reserves more. */
const FIRST_BYTES = 256 * 1024;

/**
 * Builds a message whose only field is `field` (length-delimited), framed
 * for the wire, from text written a piece at a time: each piece is encoded
 * (UTF-8) straight into the answer's buffer, where the frame's prefix is
 * written last, in front of it. Past a first small buffer, the buffer is
 * the largest answer the server may send, allocated at once but only
 * touched as it is written (the page faults of a 36 MB answer are spread
 * over the export's slices, not taken in one copy); an answer that outgrows
 * it is kept in pieces and framed by frameBytesField (grpc-js then refuses
 * to send it, as for any answer over the limit).
 */
export class FramedFieldWriter {
  private buffer = Buffer.allocUnsafe(FIRST_BYTES);
  private end = RESERVE;
  private overflow: Buffer[] | undefined;

  constructor(private readonly field: number) {}

  write(text: string): true {
    if (this.end + text.length * 3 > this.buffer.length) {
      const bytes = Buffer.byteLength(text);
      if (this.end + bytes > this.buffer.length) this.grow(bytes);
    }
    if (this.overflow) this.overflow.push(Buffer.from(text));
    else this.end += this.buffer.write(text, this.end);
    return true;
  }

  async finish(): Promise<FramedResponse> {
    if (this.overflow) return frameBytesField(this.field, [this.buffer.subarray(RESERVE, this.end), ...this.overflow]);
    const length = this.end - RESERVE;
    const header = [(this.field << 3) | 2];
    for (let n = length; ; n = Math.floor(n / 128)) {
      if (n < 128) {
        header.push(n);
        break;
      }
      header.push((n % 128) | 0x80);
    }
    const start = RESERVE - header.length - 5;
    this.buffer.writeUInt8(0, start);
    this.buffer.writeUInt32BE(header.length + length, start + 1);
    Buffer.from(header).copy(this.buffer, start + 5);
    return new FramedResponse(this.buffer.subarray(start, this.end));
  }

  private grow(bytes: number): void {
    if (this.overflow || this.buffer.length >= ONE_BUFFER_BYTES || this.end + bytes > ONE_BUFFER_BYTES) {
      this.overflow ??= [];
      return;
    }
    const bigger = Buffer.allocUnsafe(ONE_BUFFER_BYTES);
    this.buffer.copy(bigger, 0, 0, this.end);
    this.buffer = bigger;
  }
}
