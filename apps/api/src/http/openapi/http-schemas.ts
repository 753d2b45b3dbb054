import { ref, type Schemas } from './proto-schemas.js';

const str = (description?: string) => ({ type: 'string', ...(description ? { description } : {}) });
const int = (description?: string) => ({ type: 'integer', ...(description ? { description } : {}) });
const bool = (description?: string) => ({ type: 'boolean', ...(description ? { description } : {}) });
const listOf = (name: string) => ({ type: 'array', items: ref(name) });

/** A proto message in an HTTP list, with `file_missing` (see http/file-missing.ts). */
const withFileMissing = (message: string) => ({
  allOf: [
    ref(message),
    {
      type: 'object',
      properties: { file_missing: bool("Present (true) when the row's project file or folder is not there, e.g. an imported row.") },
    },
  ],
});

const slurmCounts = {
  type: 'object',
  required: ['allocated', 'idle', 'other', 'total'],
  properties: { allocated: int(), idle: int(), other: int(), total: int() },
};

/**
 * The answers and bodies of the HTTP API that are not proto messages: the
 * HTTP-only views (health, settings, the session, the dataset preview, the
 * event log as JSON objects, list rows with file_missing) and the error shape.
 */
export const HTTP_SCHEMAS: Schemas = {
  ErrorResponse: {
    type: 'object',
    description: 'Every error answer: the gRPC status name, the stable reason (e.g. DATASET.NOT_FOUND) and a message for people.',
    required: ['error'],
    properties: {
      error: { type: 'object', required: ['code', 'reason', 'message'], properties: { code: str('gRPC status name, e.g. NOT_FOUND'), reason: str(), message: str() } },
    },
  },
  Health: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded'] },
      reason: str('Why it is degraded (the database disk is full or nearly so).'),
      free_bytes: int('Free bytes on the database disk, when degraded.'),
    },
  },
  Settings: {
    type: 'object',
    description: 'What this server runs with (read-only).',
    required: ['runner', 'project_root', 'state_dir', 'db_path', 'templates_dir', 'python', 'versions', 'grpc_address', 'http_address', 'auth', 'slurm'],
    properties: {
      runner: str('local, slurm or cml'),
      gpu_slots: { type: 'integer', nullable: true, description: "The local runner's GPU slots; null for the others." },
      project_root: str(),
      state_dir: str(),
      db_path: str(),
      templates_dir: str(),
      python: ref('PythonInfo'),
      versions: { type: 'object', additionalProperties: { type: 'string' }, description: 'studio, node, nest, sqlite' },
      grpc_address: str(),
      http_address: str(),
      auth: bool('Whether the server requires tokens.'),
      slurm: {
        type: 'object',
        nullable: true,
        description: 'The Slurm cluster (sinfo); null when there is none to show.',
        required: ['partitions'],
        properties: { partitions: listOf('SlurmPartition'), error: str('Why sinfo gave no answer.') },
      },
    },
  },
  PythonInfo: {
    type: 'object',
    description: "The job templates' Python.",
    required: ['path', 'venv', 'packages'],
    properties: {
      path: str(),
      venv: bool(),
      packages: { type: 'object', additionalProperties: { type: 'boolean' }, description: 'torch, transformers, peft: whether each is importable.' },
    },
  },
  SlurmPartition: {
    type: 'object',
    required: ['name', 'default', 'available', 'nodes', 'cpus', 'timeLimit', 'gres'],
    properties: { name: str(), default: bool(), available: str(), nodes: slurmCounts, cpus: slurmCounts, timeLimit: str(), gres: str() },
  },
  AuthSession: {
    type: 'object',
    required: ['auth_required', 'principal'],
    properties: {
      auth_required: bool('Whether the server requires tokens.'),
      principal: {
        type: 'object',
        nullable: true,
        description: 'Who the token stands for; null without one (or when no token is required).',
        required: ['name', 'role'],
        properties: { name: str(), role: { type: 'string', enum: ['viewer', 'editor', 'admin'] } },
      },
    },
  },
  DatasetPreview: {
    type: 'object',
    description: "The dataset's first rows as read from its project file.",
    required: ['features', 'rows'],
    properties: { features: { type: 'array', items: { type: 'string' } }, rows: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  },
  DatasetListItem: withFileMissing('DatasetMetadata'),
  ModelListItem: withFileMissing('ModelMetadata'),
  AdapterListItem: withFileMissing('AdapterMetadata'),
  HttpListDatasetsResponse: { type: 'object', properties: { datasets: listOf('DatasetListItem'), next_page_token: str() } },
  HttpListModelsResponse: { type: 'object', properties: { models: listOf('ModelListItem'), next_page_token: str() } },
  HttpListAdaptersResponse: { type: 'object', properties: { adapters: listOf('AdapterListItem'), next_page_token: str() } },
  Event: {
    type: 'object',
    description: 'A recorded event, as EventRecord but with data and metadata as JSON objects.',
    required: ['position', 'stream_id', 'stream_type', 'stream_version', 'type', 'schema_version', 'data', 'metadata', 'recorded_at'],
    properties: {
      position: int(),
      stream_id: str(),
      stream_type: str(),
      stream_version: int(),
      type: str(),
      schema_version: int(),
      data: { type: 'object', additionalProperties: true },
      metadata: { type: 'object', additionalProperties: true, description: 'correlation_id, causation_id, idempotency_key, actor, transport, client' },
      recorded_at: str(),
    },
  },
  EventList: {
    type: 'object',
    required: ['events', 'last_position'],
    properties: { events: listOf('Event'), last_position: int('Position of the last event returned (else after_position); pass it as after_position to go on.') },
  },
  HttpImportDatabaseResponse: { type: 'object', required: ['report'], properties: { report: ref('HttpImportReport') } },
  HttpImportReport: {
    type: 'object',
    description: 'ImportReport, each table with the rows already there unchanged and one problem per row not imported.',
    required: ['tables', 'warnings'],
    properties: { tables: listOf('HttpImportTableReport'), warnings: { type: 'array', items: { type: 'string' } } },
  },
  HttpImportTableReport: {
    allOf: [
      ref('ImportTableReport'),
      {
        type: 'object',
        required: ['unchanged', 'problems'],
        properties: {
          unchanged: int('Rows already there with the same values.'),
          problems: { type: 'array', items: ref('ImportProblem') },
        },
      },
    ],
  },
  ImportProblem: {
    type: 'object',
    description: 'A row not imported, and why.',
    required: ['entity', 'id', 'name', 'reason'],
    properties: { entity: str(), id: str(), name: str(), reason: str() },
  },
  ResumeFineTuningJobBody: {
    type: 'object',
    description: 'Optional; without checkpoint_step, the newest checkpoint.',
    properties: { checkpoint_step: int('The step of the checkpoint to resume from; 0: the newest.') },
  },
  DatabaseExport: {
    type: 'object',
    description: 'The export document: per table, its schema and rows (as ExportDatabase writes it).',
    additionalProperties: true,
  },
  ServerSentEvents: {
    type: 'string',
    description: 'A text/event-stream: `id:`, `event:` and `data:` lines, data being one JSON object; comment lines keep the connection alive.',
  },
};
