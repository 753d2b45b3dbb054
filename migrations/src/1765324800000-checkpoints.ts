import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Checkpoints, resume in place and early stopping: a job's retry and stopping policy, its attempt and promoted checkpoint, each metric point's attempt, and the checkpoints table. Frozen once landed. */
export class Checkpoints1765324800000 implements MigrationInterface {
  name = 'Checkpoints1765324800000';

  async up(q: QueryRunner): Promise<void> {
    for (const c of [
      'checkpoint_every_steps INTEGER',
      'max_attempts INTEGER',
      'attempt INTEGER',
      'resume_from TEXT',
      'replay_until_step INTEGER',
      'retry_at VARCHAR',
      'early_stopping_metric VARCHAR',
      'early_stopping_patience INTEGER',
      'early_stopping_min_delta DOUBLE',
      'best_checkpoint_step INTEGER',
    ]) {
      await q.query(`ALTER TABLE fine_tuning_jobs ADD COLUMN ${c}`);
    }
    await q.query(`ALTER TABLE job_metrics ADD COLUMN attempt INTEGER`);
    await q.query(`CREATE TABLE job_checkpoints (
      id VARCHAR NOT NULL,
      job_id VARCHAR,
      attempt INTEGER,
      step INTEGER,
      epoch DOUBLE,
      loss DOUBLE,
      eval_loss DOUBLE,
      path TEXT,
      at VARCHAR,
      PRIMARY KEY (id)
    )`);
    await q.query(`CREATE INDEX job_checkpoints_job ON job_checkpoints (job_id, step)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_checkpoints`);
    await q.query(`ALTER TABLE job_metrics DROP COLUMN attempt`);
    for (const c of [
      'checkpoint_every_steps',
      'max_attempts',
      'attempt',
      'resume_from',
      'replay_until_step',
      'retry_at',
      'early_stopping_metric',
      'early_stopping_patience',
      'early_stopping_min_delta',
      'best_checkpoint_step',
    ]) {
      await q.query(`ALTER TABLE fine_tuning_jobs DROP COLUMN ${c}`);
    }
  }
}
