import { Initial1764201600000 } from './1764201600000-initial.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [Initial1764201600000];
