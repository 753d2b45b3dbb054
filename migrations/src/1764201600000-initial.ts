import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log, idempotency records, and the projection tables with the
 * original's names and columns (plus this project's columns). Literal DDL:
 * a landed migration never changes.
 */
export class Initial1764201600000 implements MigrationInterface {
  name = 'Initial1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT,
      stream_id VARCHAR NOT NULL,
      stream_type VARCHAR NOT NULL,
      stream_version INTEGER NOT NULL,
      type VARCHAR NOT NULL,
      schema_version INTEGER NOT NULL DEFAULT 1,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL,
      recorded_at VARCHAR NOT NULL,
      UNIQUE (stream_id, stream_version)
    )`);
    await q.query(`CREATE INDEX events_stream_type ON events (stream_type, position)`);
    await q.query(`CREATE INDEX events_type ON events (type, position)`);
    await q.query(`CREATE INDEX events_recorded_at ON events (recorded_at)`);
    await q.query(`CREATE TABLE idempotency_keys (
      key VARCHAR NOT NULL,
      command VARCHAR NOT NULL,
      result TEXT NOT NULL,
      position INTEGER,
      recorded_at VARCHAR NOT NULL,
      PRIMARY KEY (key, command)
    )`);
    await q.query(`CREATE TABLE datasets (
	id VARCHAR NOT NULL, 
	type VARCHAR, 
	name VARCHAR, 
	description TEXT, 
	huggingface_name VARCHAR, 
	location TEXT, 
	features TEXT, 
	created_at VARCHAR, 
	PRIMARY KEY (id)
)`);
    await q.query(`CREATE TABLE models (
	id VARCHAR NOT NULL, 
	type VARCHAR, 
	framework VARCHAR, 
	name VARCHAR, 
	description VARCHAR, 
	huggingface_model_name VARCHAR, 
	location VARCHAR, 
	cml_registered_model_id VARCHAR, 
	mlflow_experiment_id VARCHAR, 
	mlflow_run_id VARCHAR, 
	model_family VARCHAR, 
	created_at VARCHAR, 
	PRIMARY KEY (id)
)`);
    await q.query(`CREATE TABLE prompts (
	id VARCHAR NOT NULL, 
	type VARCHAR, 
	name VARCHAR, 
	description VARCHAR, 
	dataset_id VARCHAR, 
	prompt_template VARCHAR, 
	input_template VARCHAR, 
	completion_template VARCHAR, 
	created_at VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(dataset_id) REFERENCES datasets (id)
)`);
    await q.query(`CREATE TABLE adapters (
	id VARCHAR NOT NULL, 
	type VARCHAR, 
	name VARCHAR, 
	description VARCHAR, 
	huggingface_name VARCHAR, 
	model_id VARCHAR, 
	location TEXT, 
	fine_tuning_job_id VARCHAR, 
	prompt_id VARCHAR, 
	cml_registered_model_id VARCHAR, 
	mlflow_experiment_id VARCHAR, 
	mlflow_run_id VARCHAR, 
	created_at VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(model_id) REFERENCES models (id), 
	FOREIGN KEY(fine_tuning_job_id) REFERENCES fine_tuning_jobs (id), 
	FOREIGN KEY(prompt_id) REFERENCES prompts (id)
)`);
    await q.query(`CREATE TABLE fine_tuning_jobs (
	id VARCHAR NOT NULL, 
	base_model_id VARCHAR, 
	dataset_id VARCHAR, 
	prompt_id VARCHAR, 
	num_workers INTEGER, 
	cml_job_id VARCHAR, 
	adapter_id VARCHAR, 
	num_cpu INTEGER, 
	num_gpu INTEGER, 
	num_memory INTEGER, 
	num_epochs INTEGER, 
	learning_rate DOUBLE, 
	out_dir VARCHAR, 
	training_arguments_config_id VARCHAR, 
	model_bnb_config_id VARCHAR, 
	adapter_bnb_config_id VARCHAR, 
	lora_config_id VARCHAR, 
	training_arguments_config VARCHAR, 
	model_bnb_config VARCHAR, 
	adapter_bnb_config VARCHAR, 
	lora_config VARCHAR, 
	dataset_fraction DOUBLE, 
	train_test_split DOUBLE, 
	user_script VARCHAR, 
	user_config_id VARCHAR, 
	framework_type VARCHAR, 
	axolotl_config_id VARCHAR, 
	gpu_label_id INTEGER, 
	adapter_name VARCHAR, 
	user_config TEXT, 
	auto_add_adapter INTEGER, 
	status VARCHAR, 
	status_message TEXT, 
	created_at VARCHAR, 
	updated_at VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(base_model_id) REFERENCES models (id), 
	FOREIGN KEY(dataset_id) REFERENCES datasets (id), 
	FOREIGN KEY(prompt_id) REFERENCES prompts (id), 
	FOREIGN KEY(adapter_id) REFERENCES adapters (id), 
	FOREIGN KEY(training_arguments_config_id) REFERENCES configs (id), 
	FOREIGN KEY(model_bnb_config_id) REFERENCES configs (id), 
	FOREIGN KEY(adapter_bnb_config_id) REFERENCES configs (id), 
	FOREIGN KEY(lora_config_id) REFERENCES configs (id), 
	FOREIGN KEY(user_config_id) REFERENCES configs (id), 
	FOREIGN KEY(axolotl_config_id) REFERENCES configs (id)
)`);
    await q.query(`CREATE TABLE evaluation_jobs (
	id VARCHAR NOT NULL, 
	type VARCHAR, 
	cml_job_id VARCHAR, 
	parent_job_id VARCHAR, 
	base_model_id VARCHAR, 
	dataset_id VARCHAR, 
	prompt_id VARCHAR, 
	num_workers INTEGER, 
	adapter_id VARCHAR, 
	num_cpu INTEGER, 
	num_gpu INTEGER, 
	num_memory INTEGER, 
	evaluation_dir VARCHAR, 
	model_bnb_config_id VARCHAR, 
	adapter_bnb_config_id VARCHAR, 
	generation_config_id VARCHAR, 
	model_bnb_config VARCHAR, 
	adapter_bnb_config VARCHAR, 
	generation_config VARCHAR, 
	gpu_label_id INTEGER, 
	selected_features TEXT, 
	eval_dataset_fraction DOUBLE, 
	comparison_adapter_id VARCHAR, 
	run_number INTEGER, 
	status VARCHAR, 
	status_message TEXT, 
	created_at VARCHAR, 
	updated_at VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(base_model_id) REFERENCES models (id), 
	FOREIGN KEY(dataset_id) REFERENCES datasets (id), 
	FOREIGN KEY(prompt_id) REFERENCES prompts (id), 
	FOREIGN KEY(adapter_id) REFERENCES adapters (id), 
	FOREIGN KEY(model_bnb_config_id) REFERENCES configs (id), 
	FOREIGN KEY(adapter_bnb_config_id) REFERENCES configs (id), 
	FOREIGN KEY(generation_config_id) REFERENCES configs (id)
)`);
    await q.query(`CREATE TABLE configs (
	id VARCHAR NOT NULL, 
	type VARCHAR, 
	description VARCHAR, 
	config TEXT, 
	model_family VARCHAR, 
	is_default INTEGER, 
	created_at VARCHAR, 
	PRIMARY KEY (id)
)`);
    await q.query(`CREATE TABLE model_exports (
	id VARCHAR NOT NULL, 
	type VARCHAR, 
	base_model_id VARCHAR, 
	adapter_id VARCHAR, 
	model_name VARCHAR, 
	artifact_location TEXT, 
	model_description TEXT, 
	generation_config TEXT, 
	status VARCHAR, 
	status_message TEXT, 
	created_at VARCHAR, 
	updated_at VARCHAR, 
	PRIMARY KEY (id)
)`);
    await q.query(`CREATE INDEX datasets_name ON datasets (name)`);
    await q.query(`CREATE INDEX models_hf_name ON models (huggingface_model_name)`);
    await q.query(`CREATE INDEX prompts_name ON prompts (name)`);
    await q.query(`CREATE INDEX prompts_dataset ON prompts (dataset_id)`);
    await q.query(`CREATE INDEX adapters_name ON adapters (name)`);
    await q.query(`CREATE INDEX configs_type ON configs (type)`);
    await q.query(`CREATE INDEX fine_tuning_jobs_adapter_name ON fine_tuning_jobs (adapter_name)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['model_exports', 'configs', 'evaluation_jobs', 'fine_tuning_jobs', 'adapters', 'prompts', 'models', 'datasets', 'idempotency_keys', 'events']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
