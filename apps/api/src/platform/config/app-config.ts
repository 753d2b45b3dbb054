import path from 'node:path';
import { authTokensFromEnv, type TokenEntry } from '../auth/token-list.js';

/** Everything the process reads from its environment, resolved once at start-up. */
export interface AppConfig {
  /** Every path from a request must resolve inside this folder. */
  projectRoot: string;
  stateDir: string;
  dbPath: string;
  grpcHost: string;
  grpcPort: number;
  httpHost: string;
  httpPort: number;
  /** FTS_AUTH_TOKENS and FTS_AUTH_TOKEN: every token the server accepts, with its name and role; empty when auth is off. */
  authTokens: TokenEntry[];
  hfEndpoint: string;
  hfToken?: string;
  /** Seconds before a Hugging Face Hub call gives up. */
  hfTimeoutMs: number;
  cml?: { apiUrl: string; apiKey: string; projectId: string };
  /** Seed the defaults into an empty database at start-up. */
  seed: boolean;
  /** MLFLOW_TRACKING_URI: where model_registry exports log and register the merged model. */
  mlflowTrackingUri?: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const projectRoot = path.resolve(env.FTS_PROJECT_ROOT ?? cwd);
  const stateDir = path.resolve(projectRoot, env.FTS_STATE_DIR ?? '.app');
  const dbPath = path.resolve(projectRoot, env.FINE_TUNING_STUDIO_SQLITE_DB ?? path.join(stateDir, 'state.db'));
  const cml =
    env.CDSW_API_URL && env.CDSW_APIV2_KEY && env.CDSW_PROJECT_ID
      ? { apiUrl: env.CDSW_API_URL, apiKey: env.CDSW_APIV2_KEY, projectId: env.CDSW_PROJECT_ID }
      : undefined;
  return {
    projectRoot,
    stateDir,
    dbPath,
    grpcHost: env.FTS_GRPC_HOST ?? '127.0.0.1',
    grpcPort: Number(env.FTS_GRPC_PORT ?? env.FINE_TUNING_SERVICE_PORT ?? 50051),
    httpHost: env.FTS_HTTP_HOST ?? '127.0.0.1',
    httpPort: Number(env.FTS_HTTP_PORT ?? 8080),
    authTokens: authTokensFromEnv(env, cwd),
    hfEndpoint: (env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, ''),
    hfToken: env.HUGGINGFACE_ACCESS_TOKEN || env.HF_TOKEN || undefined,
    hfTimeoutMs: Number(env.FTS_HF_TIMEOUT_MS ?? 10000),
    cml,
    seed: env.FTS_SEED !== '0',
    mlflowTrackingUri: env.MLFLOW_TRACKING_URI?.trim() || undefined,
  };
}
