import type { WireFields } from '../platform/transport/wire-fields.js';
import type { LogsRequest } from './job-logs.handlers.js';

/**
 * GetJobLogsRequest: the gRPC message, or HTTP's query (`tail_lines`) with the
 * path id and the route's `follow` (/logs: no, /logs/stream: yes). A missing
 * or 0 `tail_lines` is the handler's default (the last 100 lines) on both.
 */
export function getJobLogsRequest(f: WireFields, route: Partial<Pick<LogsRequest, 'job_id' | 'follow'>> = {}): LogsRequest {
  return {
    job_id: route.job_id ?? f.str('job_id'),
    tail_lines: f.num('tail_lines'),
    follow: route.follow ?? f.bool('follow'),
  };
}
