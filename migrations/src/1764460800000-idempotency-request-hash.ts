import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fingerprint of the request an idempotency key was first used with, so a
 * different request under the same key is refused instead of answered with the
 * first result. Rows recorded before this migration have none (and replay as before).
 * Frozen once landed.
 */
export class IdempotencyRequestHash1764460800000 implements MigrationInterface {
  name = 'IdempotencyRequestHash1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys ADD COLUMN request_hash VARCHAR');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN request_hash');
  }
}
