import { Initial1764201600000 } from './1764201600000-initial.js';
import { JobLifecycle1764288000000 } from './1764288000000-job-lifecycle.js';
import { IdempotencyRequestHash1764460800000 } from './1764460800000-idempotency-request-hash.js';
import { ClusterRunner1765152000000 } from './1765152000000-cluster-runner.js';
import { Checkpoints1765324800000 } from './1765324800000-checkpoints.js';
import { ConfigContentKeys1765411200000 } from './1765411200000-config-content-keys.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [Initial1764201600000, JobLifecycle1764288000000, IdempotencyRequestHash1764460800000, ClusterRunner1765152000000, Checkpoints1765324800000, ConfigContentKeys1765411200000];
