import { DomainError, failedPrecondition, invalidArgument, notFound, unavailable } from '@fts/domain';
import { HttpClient, HttpUnreachable } from '../../platform/http-client/http-client.js';

export interface HfHubOptions {
  /** HF_ENDPOINT, without a trailing slash (https://huggingface.co). */
  endpoint: string;
  /** HUGGINGFACE_ACCESS_TOKEN, sent as a bearer token when set. */
  token?: string;
  timeoutMs: number;
}

export interface HfDatasetInfo {
  id: string;
  /** Column names from the card's `dataset_info` (the first config when there are several); [] when the card has none. */
  features: string[];
  description: string | null;
}

export interface HfModelInfo {
  id: string;
  /** `config.architectures[0]`, e.g. LlamaForCausalLM, when the Hub knows it. */
  modelFamily: string | null;
}

type Kind = 'dataset' | 'model';

/**
 * Reads dataset and model metadata from the Hugging Face Hub HTTP API
 * (`/api/datasets/<id>`, `/api/models/<id>`), never downloading the data.
 * Every failure is a DomainError: NOT_FOUND, FAILED_PRECONDITION (access),
 * INVALID_ARGUMENT (a name the Hub rejects) or UNAVAILABLE.
 */
export class HfHubClient {
  private readonly http: HttpClient;

  constructor(private readonly options: HfHubOptions) {
    this.http = new HttpClient({ timeoutMs: options.timeoutMs, headers: options.token ? { authorization: `Bearer ${options.token}` } : {} });
  }

  async datasetInfo(name: string): Promise<HfDatasetInfo> {
    const info = (await this.get('dataset', name)) as Record<string, unknown>;
    const card = asObject(info.cardData);
    return {
      id: typeof info.id === 'string' ? info.id : name,
      features: featuresOf(card?.dataset_info),
      description: firstString(card?.description, info.description),
    };
  }

  async modelInfo(name: string): Promise<HfModelInfo> {
    const info = (await this.get('model', name)) as Record<string, unknown>;
    const architectures = asObject(info.config)?.architectures;
    const first = Array.isArray(architectures) ? architectures[0] : undefined;
    return { id: typeof info.id === 'string' ? info.id : name, modelFamily: typeof first === 'string' && first ? first : null };
  }

  /** The original's message prefixes, which users of its client match on. */
  private static readonly PREFIX: Record<Kind, string> = {
    dataset: 'Failed to add dataset. ',
    model: 'ERROR: Failed to load Hugging Face model. ',
  };

  private async get(kind: Kind, name: string): Promise<unknown> {
    try {
      return await this.fetchInfo(kind, name);
    } catch (e) {
      if (e instanceof DomainError) throw new DomainError(e.kind, e.code, HfHubClient.PREFIX[kind] + e.message);
      throw e;
    }
  }

  private async fetchInfo(kind: Kind, name: string): Promise<unknown> {
    const { endpoint, token } = this.options;
    const url = `${endpoint}/api/${kind}s/${name.split('/').map(encodeURIComponent).join('/')}`;
    const What = kind === 'dataset' ? 'Dataset' : 'Model';
    const CODE = kind === 'dataset' ? 'DATASET' : 'MODEL';
    let res;
    try {
      res = await this.http.json(url);
    } catch (e) {
      if (!(e instanceof HttpUnreachable)) throw e;
      throw unavailable(
        'HF.UNREACHABLE',
        `The Hugging Face Hub at ${endpoint} could not be reached: ${e.reason}. Check HF_ENDPOINT and the network.`,
      );
    }
    if (res.ok) {
      if (!asObject(res.body)) {
        throw unavailable('HF.UNREACHABLE', `The Hugging Face Hub at ${endpoint} gave an answer for ${kind} '${name}' that is not an object. Check HF_ENDPOINT.`);
      }
      return res.body;
    }
    switch (res.status) {
      case 404:
        throw notFound(`${CODE}.HF_NOT_FOUND`, `${What} '${name}' was not found on the Hugging Face Hub.`);
      case 401:
      case 403:
        throw failedPrecondition(
          'HF.ACCESS_DENIED',
          token
            ? `The Hugging Face Hub refused access to ${kind} '${name}' (HTTP ${res.status}): it may be gated, private or missing. Check that the token in HUGGINGFACE_ACCESS_TOKEN can read it.`
            : `The Hugging Face Hub refused access to ${kind} '${name}' (HTTP ${res.status}): it may be gated, private or missing. Set HUGGINGFACE_ACCESS_TOKEN to a token that can read it.`,
        );
      case 400:
      case 422:
        throw invalidArgument(`${CODE}.HF_NAME_INVALID`, `The Hugging Face Hub rejected the ${kind} name '${name}' (HTTP ${res.status}).`);
      default:
        throw unavailable(
          'HF.UNAVAILABLE',
          `The Hugging Face Hub at ${endpoint} answered HTTP ${res.status} for ${kind} '${name}'. Try again later, or check HF_ENDPOINT.`,
        );
    }
  }
}

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const firstString = (...vs: unknown[]): string | null => {
  for (const v of vs) if (typeof v === 'string' && v.trim() !== '') return v;
  return null;
};

/**
 * `cardData.dataset_info.features`: a list of `{name, dtype}` (the README
 * YAML's form) or a mapping name → type; `dataset_info` itself is a list of
 * configs when the dataset has several, and the first one is used.
 */
export function featuresOf(datasetInfo: unknown): string[] {
  const info = Array.isArray(datasetInfo) ? asObject(datasetInfo[0]) : asObject(datasetInfo);
  const features = info?.features;
  if (Array.isArray(features)) {
    return features.map((f) => asObject(f)?.name).filter((n): n is string => typeof n === 'string' && n !== '');
  }
  const mapping = asObject(features);
  return mapping ? Object.keys(mapping) : [];
}
