import { ApiExtension } from '@nestjs/swagger';
import type { ParameterObject } from '@nestjs/swagger';
import { DEFAULT_TAIL_LINES, MAX_TAIL_LINES } from '../../jobs/job-logs.handlers.js';
import { MAX_PREVIEW_ROWS } from '../../datasets/infra/dataset-rows.js';
import { MAX_ID_LENGTH, MAX_IDS } from '../ids-query.js';

/** The extension key that carries a route's contract from its decorator to the document (removed there). */
export const CONTRACT_EXTENSION = 'x-fts-contract';

const q = (name: string, schema: ParameterObject['schema'], description: string): ParameterObject => ({ name, in: 'query', required: false, schema, description });
const flag = (name: string, description: string) => q(name, { type: 'boolean', default: false }, `${description} (true/false or 1/0).`);

/** Query parameters (and the one header) the routes take, in named groups. */
export const QUERY_PARAMETERS = {
  page: [
    q('page_size', { type: 'integer', minimum: 0, maximum: 1_000_000 }, 'Rows per page; without page_size and page_token every row is returned.'),
    q('page_token', { type: 'string' }, 'The next_page_token of the previous page.'),
  ],
  configFilter: [
    q('type', { type: 'string' }, 'Only configs of this type (lora_config, bitsandbytes_config, training_arguments, generation_config, axolotl).'),
    q('model_id', { type: 'string' }, 'Only configs for this model.'),
    q('adapter_id', { type: 'string' }, 'Only configs for this adapter.'),
    q('fine_tuning_job_id', { type: 'string' }, 'Only configs of this fine-tuning job.'),
  ],
  promptFilter: [q('dataset_id', { type: 'string' }, "Only this dataset's prompts (an HTTP extension: a form's prompt select reads one dataset's).")],
  ids: [
    q(
      'ids',
      { type: 'array', items: { type: 'string', maxLength: MAX_ID_LENGTH }, maxItems: MAX_IDS },
      `Only the rows with these ids (repeated or comma-separated, at most ${MAX_IDS}; an HTTP extension: a page reads the names it shows in one request). Ids not found are left out; not with paging or the other filters.`,
    ),
  ],
  adapterFilter: [q('model_id', { type: 'string' }, "Only this base model's adapters (an HTTP extension: a form's adapter select reads one model's).")],
  eventFilter: [
    q('stream_id', { type: 'string' }, 'Only events of this stream.'),
    q('stream_type', { type: 'string' }, 'Only events of this stream type (dataset, fine_tuning_job, ...).'),
    q('type', { type: 'array', items: { type: 'string' } }, 'Only these event types: repeated or comma-separated.'),
  ],
  eventRange: [
    q('after_position', { type: 'integer', minimum: 0 }, 'Only events after this position.'),
    q('to_position', { type: 'integer', minimum: 0 }, 'Only events up to and including this position.'),
    q('from_time', { type: 'string' }, 'ISO-8601 lower bound on recorded_at.'),
    q('to_time', { type: 'string' }, 'ISO-8601 upper bound on recorded_at.'),
    q('limit', { type: 'integer', minimum: 0 }, 'At most this many events.'),
    q('before_position', { type: 'integer', minimum: 0 }, 'Only events before this position (with order=desc: the last_position of the previous page).'),
    q('order', { type: 'string', enum: ['asc', 'desc'], default: 'asc' }, 'desc: newest first (the most recent page of the log, then back with before_position).'),
  ],
  eventResume: [
    q('after_position', { type: 'integer', minimum: 0 }, 'Resume after this position.'),
    q('from', { type: 'string', enum: ['start', 'head'], default: 'start' }, "head: no history; the first frame is 'event: head' with the log's last position as its id, then only events recorded after it."),
    { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'integer', minimum: 0 }, description: 'An EventSource reconnecting: wins over after_position.' },
  ],
  sse: [q('access_token', { type: 'string' }, 'The token, for EventSource clients that cannot send headers (or sign in for a session cookie).')],
  previewLimit: [q('limit', { type: 'integer', minimum: 0, maximum: MAX_PREVIEW_ROWS, default: 20 }, 'How many rows.')],
  tailLines: [q('tail_lines', { type: 'integer', minimum: 0, maximum: MAX_TAIL_LINES, default: DEFAULT_TAIL_LINES }, 'How many of the last lines (0: the default).')],
  streamTailLines: [q('tail_lines', { type: 'integer', minimum: 0, maximum: MAX_TAIL_LINES, default: DEFAULT_TAIL_LINES }, 'How many of the last lines to send first.')],
  deleteFiles: [flag('delete_files', "Also delete the entity's folders inside the project that nothing else uses")],
  removePrompts: [flag('remove_prompts', "Also remove the dataset's prompts")],
  includeExtensions: [flag('include_extensions', "Also export this project's extra columns (job status, timestamps)")],
} satisfies Record<string, ParameterObject[]>;

export type QueryGroup = keyof typeof QUERY_PARAMETERS;

/** What a route takes and answers; schema names are components of the document (proto messages or http-schemas.ts). */
export interface RouteContract {
  /** The JSON request body. */
  body?: string;
  /** The body may be left out. */
  optionalBody?: boolean;
  /** Raw request body (not parsed as JSON by the route): `body` describes the document. */
  rawBody?: boolean;
  query?: QueryGroup[];
  /** The success answer's schema; null: an empty answer (204). */
  ok: string | null;
  /** The success status when Nest's default (200; 201 for POST; @HttpCode) is not it: routes that answer through @Res. */
  status?: number;
  /** sse: a text/event-stream, `ok` naming each event's data; download: a JSON file attachment. */
  as?: 'sse' | 'download';
  /** What the events of an SSE route are called (`event:` lines). */
  events?: string;
}

/** A route's request and response schemas, in one line on the route (applied when the document is built). */
export const ApiContract = (contract: RouteContract): MethodDecorator => ApiExtension(CONTRACT_EXTENSION, contract) as MethodDecorator;
