/**
 * A reader that stops early (`npm run fts -- events | head`) closes the pipe:
 * that ends the output, it is not a failure. Without a listener the write's
 * EPIPE is an unhandled 'error' event and Node prints a stack trace.
 */
export function exitQuietlyWhenReaderCloses(
  stream: NodeJS.WritableStream,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    exit(0);
  });
}
