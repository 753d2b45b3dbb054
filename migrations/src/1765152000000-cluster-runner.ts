import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cluster runners: a job's runner override and Slurm time limit, and where the cluster placed it. Frozen once landed. */
export class ClusterRunner1765152000000 implements MigrationInterface {
  name = 'ClusterRunner1765152000000';

  async up(q: QueryRunner): Promise<void> {
    for (const c of ['runner VARCHAR', 'time_limit VARCHAR', 'cluster_job_id VARCHAR', 'cluster_nodes VARCHAR']) {
      await q.query(`ALTER TABLE fine_tuning_jobs ADD COLUMN ${c}`);
    }
    for (const c of ['runner VARCHAR', 'time_limit VARCHAR', 'cluster_job_id VARCHAR', 'cluster_nodes VARCHAR']) {
      await q.query(`ALTER TABLE evaluation_jobs ADD COLUMN ${c}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['fine_tuning_jobs', 'evaluation_jobs']) {
      for (const c of ['runner', 'time_limit', 'cluster_job_id', 'cluster_nodes']) await q.query(`ALTER TABLE ${t} DROP COLUMN ${c}`);
    }
  }
}
