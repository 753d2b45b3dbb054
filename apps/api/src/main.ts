import 'reflect-metadata';
// First: one server per state folder, and a database this build can use (exits with one sentence otherwise).
import './platform/database/claim-state.js';
// Then: the process that forks imports, started while this one is small (database/import-launcher.ts).
import './database/start-import-launcher.js';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { APP_CONFIG, processConfig, type AppConfig } from './platform/config/app-config.js';
import { grpcOptions } from './platform/transport/grpc-options.js';
import { grpcAuthInterceptor } from './platform/transport/grpc-auth.interceptor.js';
import { messageLimitInterceptor } from './platform/transport/message-limits.js';
import { TokenTable } from './platform/auth/token-table.js';
import { exposureWarning } from './platform/auth/access-policy.js';
import { setupHttp } from './http/setup-http.js';
import { reportLoopDelay } from './platform/loop-delay.js';
import { setStallLimitMs } from './platform/transport/flow.js';

/** One process: gRPC on FTS_GRPC_HOST:FTS_GRPC_PORT (127.0.0.1:50051), HTTP on FTS_HTTP_HOST:FTS_HTTP_PORT (127.0.0.1:8080). */
async function bootstrap() {
  reportLoopDelay(processConfig().loopDelayReport);
  // bodyParser off: setupHttp installs bounded parsers whose errors answer in the API's error shape.
  // forceCloseConnections: at shutdown every socket is closed, a client that stopped reading included.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error', 'warn', 'log'], bodyParser: false, forceCloseConnections: true });
  const config = app.get<AppConfig>(APP_CONFIG);
  const tokens = new TokenTable(config.authTokens);
  app.enableShutdownHooks();
  exitWithin(SHUTDOWN_DEADLINE_MS);
  setStallLimitMs(config.streamStallMs);
  setupHttp(app, tokens, config.webDir);
  app.connectMicroservice(grpcOptions(`${config.grpcHost}:${config.grpcPort}`, [messageLimitInterceptor(), grpcAuthInterceptor(tokens)]), { inheritAppConfig: true });
  // Lifecycle hooks (the job supervisor's reconciliation) run before any request is accepted.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.httpHost);
  const logger = new Logger('FineTuningStudio');
  const exposed = exposureWarning([{ name: 'gRPC', host: config.grpcHost }, { name: 'HTTP', host: config.httpHost }], tokens.enabled);
  if (exposed) logger.warn(exposed);
  logger.log(
    `gRPC on ${config.grpcHost}:${config.grpcPort}, HTTP on http://${config.httpHost}:${config.httpPort}, state in ${config.dbPath}`,
  );
}

/** SIGINT/SIGTERM close everything (streams end, the supervisor stops, runs keep going); if that hangs, exit anyway. */
const SHUTDOWN_DEADLINE_MS = 4000;
function exitWithin(ms: number) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`Shutdown took longer than ${ms} ms; exiting now.`);
        process.exit(1);
      }, ms).unref();
    });
  }
}

bootstrap().catch((e) => {
  console.error(e);
  process.exit(1);
});
