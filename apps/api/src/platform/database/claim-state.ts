/**
 * Imported first by main.ts, for its side effect: the state folder is claimed
 * and the database checked while ES modules evaluate, before the rest of the
 * application (Nest, TypeORM, every handler) is evaluated, so a refused start
 * ends in about a second instead of after the whole app has loaded.
 */
import { ConfigError, processConfig } from '../config/app-config.js';
import { guardStartup } from './startup-guard.js';
import { StartupRefusal } from './startup-refusal.js';

try {
  guardStartup(processConfig());
} catch (e) {
  if (!(e instanceof StartupRefusal) && !(e instanceof ConfigError)) throw e;
  console.error(`Cannot start: ${e.message}`);
  process.exit(1);
}
