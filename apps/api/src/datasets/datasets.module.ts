import { Module } from '@nestjs/common';
import { DatasetsHttp } from './datasets.http.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { DatasetsGrpc } from './datasets.grpc.js';
import { DatasetsHandlers } from './datasets.handlers.js';
import { HfHubClient } from './infra/hf-hub.client.js';

/** Datasets, and the Hugging Face Hub client that models (and configs) reuse. */
@Module({
  controllers: [DatasetsGrpc, DatasetsHttp],
  providers: [
    DatasetsHandlers,
    {
      provide: HfHubClient,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new HfHubClient({ endpoint: c.hfEndpoint, token: c.hfToken, timeoutMs: c.hfTimeoutMs }),
    },
  ],
  exports: [DatasetsHandlers, HfHubClient],
})
export class DatasetsModule {}
