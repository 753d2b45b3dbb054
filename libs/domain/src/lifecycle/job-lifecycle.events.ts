import type { EventOf } from '../shared/event.js';

/**
 * Events on a job's stream after it was queued. The stream type says which
 * table the job lives in (fine_tuning_job, evaluation_job, adapter_comparison,
 * model_export); the events are the same for every kind of job.
 */
export const JOB_STREAM_TYPES = ['fine_tuning_job', 'evaluation_job', 'adapter_comparison', 'model_export'] as const;
export type JobStreamType = (typeof JOB_STREAM_TYPES)[number];

export interface JobRef {
  streamType: JobStreamType;
  id: string;
}

export interface JobDispatched {
  id: string;
  runner: string;
}
export interface JobRunSubmitted {
  id: string;
  /** The runner's handle, plain JSON, given back to the runner after a restart. */
  handle: Record<string, unknown>;
  cml_job_id?: string;
}
export interface JobStatusRecorded {
  id: string;
  message: string;
}
export interface JobCancelRequested {
  id: string;
  /** When the runner must have confirmed the stop; the supervisor forces it after. */
  deadline_at: string;
}
export interface MetricPoint {
  step: number;
  total_steps?: number;
  epoch?: number;
  loss?: number;
  eval_loss?: number;
  learning_rate?: number;
  grad_norm?: number;
  /** ISO-8601: when the template wrote it. */
  at: string;
  /** The attempt (run) that reported it; 1 when absent. */
  attempt?: number;
}
/** A checkpoint the run saved, as the template reported it; `path` is project-relative. */
export interface CheckpointReport {
  step: number;
  epoch?: number;
  loss?: number;
  eval_loss?: number;
  path: string;
  at: string;
}
export interface JobCheckpointRecorded {
  id: string;
  attempt: number;
  checkpoint: CheckpointReport;
}
/**
 * The job will run again under the same id: automatically (its run died for a
 * reason outside the user's control) or because a user asked to resume it.
 */
export interface JobRetryScheduled {
  id: string;
  /** The attempt that will run (2 for the first retry). */
  attempt: number;
  /** Project-relative checkpoint folder to resume from; null: from the start. */
  resume_from: string | null;
  resume_step: number | null;
  /** Steps up to here were already recorded: the new run's points for them are not recorded again. */
  replay_until_step: number;
  /** Not dispatched before this time (backoff). */
  retry_at: string;
  by: 'supervisor' | 'user';
  message: string;
}
export interface JobProgressRecorded {
  id: string;
  /** Sequence number of the first point (points are numbered per job from 1). */
  first_seq: number;
  points: MetricPoint[];
  /** Byte offset in the run's events.jsonl after the last line read. */
  next_offset: number;
}
export interface JobResultRecorded {
  id: string;
  result: Record<string, unknown>;
  artifacts: Record<string, unknown>[];
}
export interface JobAdapterRegistered {
  id: string;
  adapter_id: string;
}
/** Columns the job's own table gains from its run (CML ids of an export, comparison outputs…). */
export interface JobDetailsRecorded {
  id: string;
  set: Record<string, string | number | null>;
}

/** Most lifecycle events may carry the job's new status message. */
type WithMessage<D> = D & { message?: string };

/** Every event of a job's stream after it was queued, whatever the kind of job; a switch on `type` is exhaustive over it. */
export type JobLifecycleEvent =
  | EventOf<'JobDispatched', WithMessage<JobDispatched>>
  | EventOf<'JobRunSubmitted', WithMessage<JobRunSubmitted>>
  | EventOf<'JobStarted', JobStatusRecorded>
  | EventOf<'JobSucceeded', JobStatusRecorded>
  | EventOf<'JobFailed', JobStatusRecorded>
  | EventOf<'JobCancelRequested', WithMessage<JobCancelRequested>>
  | EventOf<'JobCancelled', JobStatusRecorded>
  | EventOf<'JobProgressRecorded', JobProgressRecorded>
  | EventOf<'JobResultRecorded', JobResultRecorded>
  | EventOf<'JobAdapterRegistered', JobAdapterRegistered>
  | EventOf<'JobDetailsRecorded', JobDetailsRecorded>
  | EventOf<'JobCheckpointRecorded', JobCheckpointRecorded>
  | EventOf<'JobRetryScheduled', JobRetryScheduled>;

export type JobLifecycleEventType = JobLifecycleEvent['type'];
/** The payload of lifecycle event `T`, less the job id the decider adds. */
export type JobLifecycleData<T extends JobLifecycleEventType> = Omit<Extract<JobLifecycleEvent, { type: T }>['data'], 'id'>;
