/**
 * A fake Hugging Face Hub on 127.0.0.1:<random port>. It answers the two
 * metadata endpoints the server uses and 404s everything else:
 *
 *   GET /api/datasets/<owner>/<name>  → { id, description, cardData: { dataset_info: { features: [{ name, dtype }] } } }
 *   GET /api/models/<owner>/<name>    → { id, modelId, config: { architectures: [...] } }
 *
 * Names can be added while it runs; every request is recorded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubDataset {
  features: string[];
  description?: string;
}
export interface HubModel {
  architectures: string[];
}

/** The Hub entries the project defaults (behaviour.md §4) refer to, plus a few for tests. */
export const DEFAULT_HUB_DATASETS: Record<string, HubDataset> = {
  'philschmid/sql-create-context-copy': { features: ['question', 'answer', 'context'], description: '' },
  'test-org/tiny-instructions': { features: ['instruction', 'response'], description: 'A tiny dataset for tests.' },
};
export const DEFAULT_HUB_MODELS: Record<string, HubModel> = {
  'bigscience/bloom-1b1': { architectures: ['BloomForCausalLM'] },
  'NousResearch/Llama-2-7b-hf': { architectures: ['LlamaForCausalLM'] },
  'unsloth/mistral-7b-instruct-v0.3': { architectures: ['MistralForCausalLM'] },
  'test-org/tiny-llama': { architectures: ['LlamaForCausalLM'] },
};

export interface FakeHub {
  url: string;
  port: number;
  datasets: Map<string, HubDataset>;
  models: Map<string, HubModel>;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeHub(
  opts: { datasets?: Record<string, HubDataset>; models?: Record<string, HubModel> } = {},
): Promise<FakeHub> {
  const datasets = new Map(Object.entries({ ...DEFAULT_HUB_DATASETS, ...(opts.datasets ?? {}) }));
  const models = new Map(Object.entries({ ...DEFAULT_HUB_MODELS, ...(opts.models ?? {}) }));
  const requests: string[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    // The Hub accepts a trailing revision (/revision/main) on both; strip it.
    const path = decodeURIComponent(url.pathname).replace(/\/revision\/[^/]+$/, '');
    let m = /^\/api\/datasets\/(.+)$/.exec(path);
    if (m && req.method === 'GET') {
      const d = datasets.get(m[1]);
      if (d) {
        return send(200, {
          id: m[1],
          description: d.description ?? '',
          cardData: { dataset_info: { features: d.features.map((name) => ({ name, dtype: 'string' })) } },
        });
      }
      return send(404, { error: 'Dataset not found' });
    }
    m = /^\/api\/models\/(.+)$/.exec(path);
    if (m && req.method === 'GET') {
      const model = models.get(m[1]);
      if (model) return send(200, { id: m[1], modelId: m[1], config: { architectures: model.architectures } });
      return send(404, { error: 'Repository not found' });
    }
    send(404, { error: 'Not found' });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    datasets,
    models,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
