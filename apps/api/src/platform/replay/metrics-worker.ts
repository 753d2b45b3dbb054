import fs from 'node:fs';
import Database from 'better-sqlite3';
import { buildMetricsFast, type MetricsAnswer, type MetricsJob, type ProgressTarget } from './fast-rebuild.js';

/**
 * The child process of fastRebuildInParallel: builds job_metrics from the
 * JobProgressRecorded events of `dbPath` (up to `last`; the parent holds the
 * write lock, so nothing is appended meanwhile) into a fresh scratch
 * database (no journal, no fsync: it is thrown away after the parent copied
 * the table), in one read transaction, and answers with the rows the progress
 * events update besides (ProgressTarget).
 */
process.once('message', (job: MetricsJob) => {
  let answer: MetricsAnswer;
  try {
    fs.rmSync(job.scratch, { force: true });
    const db = new Database(job.scratch);
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -524288');
      db.pragma('temp_store = MEMORY');
      db.exec(`ATTACH '${job.dbPath.replace(/'/g, "''")}' AS ev`);
      db.pragma('ev.mmap_size = 2147418112');
      db.pragma('busy_timeout = 5000');
      db.exec(job.ddl);
      db.exec('BEGIN');
      const targets: ProgressTarget[] = [];
      buildMetricsFast(db, 'job_metrics', job.last, (t) => targets.push(t));
      db.exec('COMMIT');
      const cpu = process.cpuUsage();
      answer = { targets, cpuMs: (cpu.user + cpu.system) / 1000 };
    } finally {
      db.close();
    }
  } catch (e) {
    answer = { error: e instanceof Error ? e.message : String(e) };
  }
  process.send!(answer, () => process.exit(0));
});
