import type { StartAdapterComparison } from '@fts/domain';
import type { StartAdapterComparisonResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import type { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';

/** StartAdapterComparisonRequest (gRPC message or the JSON body of POST /api/comparisons) → the command. */
export function startAdapterComparisonRequest(f: WireFields): StartAdapterComparison {
  return {
    base_model_id: f.str('base_model_id'),
    adapter_ids: f.strList('adapter_ids'),
    input_text: f.str('input_text'),
    generation_config: f.str('generation_config'),
    cpu: f.num('cpu'),
    gpu: f.num('gpu'),
    memory: f.num('memory'),
    gpu_label_id: f.num('gpu_label_id'),
  };
}

export function startAdapterComparison(comparisons: AdapterComparisonsHandlers, f: WireFields, call: CallContext): StartAdapterComparisonResponse {
  return { comparison: comparisons.start(startAdapterComparisonRequest(f), call) };
}
