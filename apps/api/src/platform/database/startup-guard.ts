import type { AppConfig } from '../config/app-config.js';
import { checkStateDatabase } from './database-check.js';
import { acquireStateLock, lockTargets, type StateLock } from './state-lock.js';

/**
 * Runs before Nest opens the database: claims the state for this process,
 * then checks the database file. Either throws a StartupRefusal (one sentence).
 */
export function guardStartup(config: Pick<AppConfig, 'stateDir' | 'dbPath'>): StateLock {
  const lock = acquireStateLock(lockTargets(config.stateDir, config.dbPath));
  try {
    checkStateDatabase(config.dbPath);
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}
