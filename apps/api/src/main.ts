import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { APP_CONFIG, type AppConfig } from './platform/config/app-config.js';
import { grpcOptions } from './platform/transport/grpc-options.js';

/** One process: gRPC on FTS_GRPC_HOST:FTS_GRPC_PORT (127.0.0.1:50051), HTTP on FTS_HTTP_HOST:FTS_HTTP_PORT (127.0.0.1:8080). */
async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn', 'log'] });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.enableShutdownHooks();
  app.connectMicroservice(grpcOptions(`${config.grpcHost}:${config.grpcPort}`), { inheritAppConfig: true });
  // Lifecycle hooks (the job supervisor's reconciliation) run before any request is accepted.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.httpHost);
  new Logger('FineTuningStudio').log(
    `gRPC on ${config.grpcHost}:${config.grpcPort}, HTTP on http://${config.httpHost}:${config.httpPort}, state in ${config.dbPath}`,
  );
}

bootstrap().catch((e) => {
  console.error(e);
  process.exit(1);
});
