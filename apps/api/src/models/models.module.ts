import { Module } from '@nestjs/common';
import { ModelsHttp } from './models.http.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { ModelsGrpc } from './models.grpc.js';
import { ModelsHandlers } from './models.handlers.js';
import { CmlRegistryClient } from './infra/cml-registry.client.js';

/** Base models: from the Hugging Face Hub (client from DatasetsModule), a project folder, or the CML model registry. */
@Module({
  imports: [DatasetsModule],
  controllers: [ModelsGrpc, ModelsHttp],
  providers: [
    ModelsHandlers,
    { provide: CmlRegistryClient, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new CmlRegistryClient(c.cml, c.hfTimeoutMs) },
  ],
  exports: [ModelsHandlers],
})
export class ModelsModule {}
