import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Job lifecycle: run handles, metric points, results, adapter comparisons, export resources. Frozen once landed. */
export class JobLifecycle1764288000000 implements MigrationInterface {
  name = 'JobLifecycle1764288000000';

  async up(q: QueryRunner): Promise<void> {
    for (const c of [
      'cpu INTEGER',
      'memory INTEGER',
      'gpu INTEGER',
      'replicas INTEGER',
      'disable_authentication INTEGER',
      'cml_model_id VARCHAR',
      'cml_build_id VARCHAR',
      'cml_deployment_id VARCHAR',
      'registered_model_id VARCHAR',
    ]) {
      await q.query(`ALTER TABLE model_exports ADD COLUMN ${c}`);
    }
    await q.query(`CREATE TABLE adapter_comparisons (
	id VARCHAR NOT NULL, 
	base_model_id VARCHAR, 
	adapter_ids TEXT, 
	input_text TEXT, 
	generation_config TEXT, 
	cpu INTEGER, 
	gpu INTEGER, 
	memory INTEGER, 
	gpu_label_id INTEGER, 
	outputs TEXT, 
	status VARCHAR, 
	status_message TEXT, 
	created_at VARCHAR, 
	updated_at VARCHAR, 
	PRIMARY KEY (id)
)`);
    await q.query(`CREATE TABLE job_runs (
	id VARCHAR NOT NULL, 
	job_type VARCHAR, 
	runner VARCHAR, 
	handle TEXT, 
	outputs_offset INTEGER, 
	deadline_kind VARCHAR, 
	deadline_at VARCHAR, 
	updated_at VARCHAR, 
	PRIMARY KEY (id)
)`);
    await q.query(`CREATE TABLE job_metrics (
	id VARCHAR NOT NULL, 
	job_id VARCHAR, 
	seq INTEGER, 
	step INTEGER, 
	total_steps INTEGER, 
	epoch DOUBLE, 
	loss DOUBLE, 
	eval_loss DOUBLE, 
	learning_rate DOUBLE, 
	grad_norm DOUBLE, 
	at VARCHAR, 
	PRIMARY KEY (id)
)`);
    await q.query(`CREATE INDEX job_metrics_job ON job_metrics (job_id, seq)`);
    await q.query(`CREATE TABLE job_results (
	id VARCHAR NOT NULL, 
	job_type VARCHAR, 
	result TEXT, 
	artifacts TEXT, 
	recorded_at VARCHAR, 
	PRIMARY KEY (id)
)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['job_results', 'job_metrics', 'job_runs', 'adapter_comparisons']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
