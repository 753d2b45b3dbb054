import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AddConfig's index: one row per config with its type, model family and the
 * key of its parsed content (NULL until the server computes it: the key needs
 * the config parsers, so start-up fills the rows this migration adds for an
 * existing database, and the catalog reader fills new ones before a lookup).
 * Triggers keep it beside `configs` whoever writes that table. Frozen once landed.
 */
export class ConfigContentKeys1765411200000 implements MigrationInterface {
  name = 'ConfigContentKeys1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE config_content_keys (
      id VARCHAR NOT NULL,
      type VARCHAR,
      model_family VARCHAR,
      content_key VARCHAR,
      PRIMARY KEY (id)
    )`);
    await q.query(`CREATE INDEX config_content_keys_lookup ON config_content_keys (type, model_family, content_key)`);
    await q.query(`CREATE INDEX config_content_keys_pending ON config_content_keys (id) WHERE content_key IS NULL`);
    await q.query(`CREATE TRIGGER configs_content_key_insert AFTER INSERT ON configs BEGIN
      INSERT OR REPLACE INTO config_content_keys (id, type, model_family, content_key) VALUES (NEW.id, NEW.type, NEW.model_family, NULL);
    END`);
    await q.query(`CREATE TRIGGER configs_content_key_update AFTER UPDATE ON configs BEGIN
      DELETE FROM config_content_keys WHERE id = OLD.id;
      INSERT OR REPLACE INTO config_content_keys (id, type, model_family, content_key) VALUES (NEW.id, NEW.type, NEW.model_family, NULL);
    END`);
    await q.query(`CREATE TRIGGER configs_content_key_delete AFTER DELETE ON configs BEGIN
      DELETE FROM config_content_keys WHERE id = OLD.id;
    END`);
    await q.query(`INSERT INTO config_content_keys (id, type, model_family, content_key) SELECT id, type, model_family, NULL FROM configs`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['configs_content_key_insert', 'configs_content_key_update', 'configs_content_key_delete']) await q.query(`DROP TRIGGER IF EXISTS ${t}`);
    await q.query(`DROP TABLE config_content_keys`);
  }
}
