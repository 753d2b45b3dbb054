import { RUN_FILES } from './run-folder.js';

/**
 * The shell that wraps every job, whichever runner starts it (a process group
 * here, a Slurm batch script on a node): runs the command, then records its
 * exit status in `exit.json` by write-then-rename, so the outcome outlives
 * the server and the scheduler's memory. It traps TERM/INT/HUP so that a
 * cancel's SIGTERM stops the job but not the recording (a trapped signal is
 * reset to the default in the job itself).
 *
 * `EXIT_WRAPPER_BODY` expects the run folder in `$d` and the command in
 * `"$@"`; `EXIT_WRAPPER` takes both as positional parameters
 * (`sh -c EXIT_WRAPPER name <run dir> <command...>`). Nothing from a request
 * is interpolated into either.
 */
export const EXIT_WRAPPER_BODY = [
  "trap 'fts_sig=TERM' TERM; trap 'fts_sig=INT' INT; trap 'fts_sig=HUP' HUP",
  '"$@"',
  'c=$?',
  'PATH=/usr/bin:/bin:$PATH',
  's=null',
  'if [ "$c" -gt 128 ]; then n=$(kill -l "$c" 2>/dev/null) && [ -n "$n" ] && s="\\"SIG$n\\""; fi',
  't=$(date -u +%Y-%m-%dT%H:%M:%SZ 2>/dev/null)',
  `printf '{"code":%d,"signal":%s,"finished_at":"%s","recorded_by":"wrapper"}\\n' "$c" "$s" "$t" > "$d/${RUN_FILES.exit}.tmp" && mv -f "$d/${RUN_FILES.exit}.tmp" "$d/${RUN_FILES.exit}"`,
  'exit "$c"',
].join('\n');

export const EXIT_WRAPPER = ['d=$1; shift', EXIT_WRAPPER_BODY].join('\n');
