import fs from 'node:fs';
import { buildMetricsFast, openScratch, type MetricsAnswer, type MetricsJob, type ProgressTarget, type TailReady } from './fast-rebuild.js';
import { sameTable } from './table-compare.js';

/**
 * The child process of fastRebuildInParallel: builds job_metrics from the
 * JobProgressRecorded events of `dbPath` (up to `last`; the parent holds the
 * write lock, so nothing is appended meanwhile) into a fresh scratch
 * database (no journal, no fsync: it is thrown away after the replay), in
 * one transaction; with `tail`, then waits for the parent's TailReady and
 * appends the rows the parent built of the events after `last`; then
 * compares the result with the live job_metrics (the parent holds the write
 * lock and leaves that table alone until this answers) and commits it only
 * where they differ. Answers with the rows the progress events update
 * besides (ProgressTarget) and whether the rebuilt rows are the live ones.
 */
const tailReady = new Promise<void>((resolve) => {
  // Listening from the start: a message that arrives while no listener is registered is lost.
  process.on('message', (m: TailReady | MetricsJob) => {
    if ('tailReady' in m) resolve();
  });
});

process.once('message', (job: MetricsJob) => {
  void build(job).then((answer) => process.send!(answer, () => process.exit(0)));
});

async function build(job: MetricsJob): Promise<MetricsAnswer> {
  try {
    fs.rmSync(job.scratch, { force: true });
    const db = openScratch(job.scratch, job.dbPath);
    try {
      db.exec(job.ddl);
      db.exec('BEGIN');
      const targets: ProgressTarget[] = [];
      buildMetricsFast(db, 'job_metrics', job.last, (t) => targets.push(t));
      if (job.tail) {
        await tailReady;
        db.exec(`ATTACH '${job.tail.replace(/'/g, "''")}' AS tail`);
        db.exec('INSERT INTO job_metrics SELECT * FROM tail.job_metrics ORDER BY rowid');
      }
      const built = performance.now();
      const same = sameTable(db, 'ev.job_metrics', 'main.job_metrics');
      const compareMs = performance.now() - built;
      // The parent reads the rows only where they differ; else they are never written out (about 0.7 s for a
      // million rows): closed with the transaction open, rolled back, and the file removed.
      if (!same) db.exec('COMMIT');
      const cpu = process.cpuUsage();
      return { targets, cpuMs: (cpu.user + cpu.system) / 1000, same, compareMs };
    } finally {
      db.close();
    }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
