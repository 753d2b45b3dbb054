import { Injectable, Inject } from '@nestjs/common';
import { getAdapterComparison, startAdapterComparison, type StartAdapterComparison, type CatalogReader } from '@fts/domain';
import type { AdapterComparison } from '@fts/proto';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { toAdapterComparisonMessage } from './comparison-messages.js';

/** StartAdapterComparison (recorded `queued`; the supervisor runs it like any job) and GetAdapterComparison. */
@Injectable()
export class AdapterComparisonsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
  ) {}

  start(cmd: StartAdapterComparison, call: CallContext): AdapterComparison {
    const row = this.runner.run('StartAdapterComparison', (ctx) => startAdapterComparison(cmd, ctx), call);
    return toAdapterComparisonMessage(row);
  }

  get(id: string): AdapterComparison {
    const row = getAdapterComparison(this.reader, id);
    return toAdapterComparisonMessage(row, this.reader.get('job_results', row.id));
  }
}
