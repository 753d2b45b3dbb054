/** How long a running job has to stop after a cancel before the supervisor forces it (ms): the config's supervisor.cancelGraceMs (FTS_CANCEL_GRACE_MS). */
export const CANCEL_GRACE_MS = Symbol('CANCEL_GRACE_MS');
