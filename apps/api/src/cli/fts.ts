#!/usr/bin/env node
/** `npm run fts -- <command>`: replay, verify, list events, export and import, on the server's database. */
import { main } from './cli.js';
import { exitQuietlyWhenReaderCloses } from './closed-pipe.js';

exitQuietlyWhenReaderCloses(process.stdout);
exitQuietlyWhenReaderCloses(process.stderr);

main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
