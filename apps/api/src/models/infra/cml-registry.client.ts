import { failedPrecondition, notFound, unavailable, type ModelSource } from '@fts/domain';
import type { AppConfig } from '../../platform/config/app-config.js';
import { HttpClient, HttpUnreachable } from '../../platform/http-client/http-client.js';

export const CML_MISSING_MESSAGE =
  'Model registry import needs the CML API: set CDSW_API_URL, CDSW_APIV2_KEY and CDSW_PROJECT_ID.';

interface RegisteredModel {
  name?: unknown;
  model_id?: unknown;
  model_versions?: { model_version_metadata?: { mlflow_metadata?: { experiment_id?: unknown; run_id?: unknown } } }[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/**
 * The CML model registry (`GET <CML host>/api/v2/registry/models/<id>`, bearer
 * CDSW_APIV2_KEY): what AddModel of type `model_registry` records.
 */
export class CmlRegistryClient {
  constructor(
    private readonly cml: AppConfig['cml'],
    private readonly timeoutMs = 10_000,
  ) {}

  async registeredModel(id: string): Promise<ModelSource & { name: string }> {
    if (!this.cml) throw failedPrecondition('CML.NOT_CONFIGURED', CML_MISSING_MESSAGE);
    let origin: string;
    try {
      origin = new URL(this.cml.apiUrl).origin;
    } catch {
      throw failedPrecondition('CML.NOT_CONFIGURED', `CDSW_API_URL '${this.cml.apiUrl}' is not a URL.`);
    }
    let res;
    try {
      const http = new HttpClient({ timeoutMs: this.timeoutMs, headers: { authorization: `Bearer ${this.cml.apiKey}` } });
      res = await http.json(`${origin}/api/v2/registry/models/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!(e instanceof HttpUnreachable)) throw e;
      throw unavailable('CML.UNREACHABLE', `The CML API at ${origin} could not be reached: ${e.reason}. Check CDSW_API_URL and the network.`);
    }
    if (!res.ok) {
      if (res.status === 404) throw notFound('MODEL.REGISTRY_NOT_FOUND', `Model '${id}' was not found in the model registry.`);
      if (res.status === 401 || res.status === 403) {
        throw failedPrecondition('CML.ACCESS_DENIED', `The CML API at ${origin} refused the request (HTTP ${res.status}): check CDSW_APIV2_KEY.`);
      }
      throw unavailable('CML.UNAVAILABLE', `The CML API at ${origin} answered HTTP ${res.status} for registered model '${id}'. Try again later.`);
    }
    const model = (res.body ?? {}) as RegisteredModel;
    const version = Array.isArray(model.model_versions) ? model.model_versions[0] : undefined;
    if (!version) {
      throw failedPrecondition('MODEL.REGISTRY_NO_VERSION', `Registered model '${id}' has no versions to import.`);
    }
    const mlflow = version.model_version_metadata?.mlflow_metadata ?? {};
    return {
      name: str(model.name) ?? id,
      cml_registered_model_id: str(model.model_id) ?? id,
      mlflow_experiment_id: str(mlflow.experiment_id),
      mlflow_run_id: str(mlflow.run_id),
    };
  }
}
