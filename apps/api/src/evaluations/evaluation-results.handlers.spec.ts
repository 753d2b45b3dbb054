import fs from 'node:fs';
import path from 'node:path';
import { EvaluationResultsHandlers, MAX_RESULT_ROWS } from './evaluation-results.handlers.js';
import { lifecycle, openKit, queued, rejectionOf, type Kit } from '../../test/support/job-test-kit.js';

const EV = 'evaluation_job' as const;

const row = (i: number) => ({
  input: `question ${i}`,
  expected: 'yes',
  output: i % 2 ? 'yes' : 'no',
  exact_match: i % 2 ? 1 : 0,
  rouge1: 0.5,
  rouge2: 0.25,
  rougeL: 0.5,
  bleu: 0.1,
  latency_s: 0.2,
  features: { intent: 'x' },
});
const AGGREGATE = { exact_match: 0.5, rouge1: 0.5, latency_mean_s: 0.2, rows: 2 };

describe('EvaluationResultsHandlers', () => {
  let kit: Kit;
  let handlers: EvaluationResultsHandlers;

  beforeEach(async () => {
    kit = await openKit();
    handlers = new EvaluationResultsHandlers(kit.reader, kit.paths);
    kit.append(
      queued(EV, 'e1', { parent_job_id: 'p1', adapter_id: '' }),
      queued(EV, 'e2', { parent_job_id: 'p1', adapter_id: 'a1' }),
      queued(EV, 'e3', { parent_job_id: 'p2' }),
    );
  });
  afterEach(() => kit.close());

  /** What the evaluate template leaves behind: results.json and the `result` line. */
  function finish(id: string, rows: unknown[], resultsPath = `mlflow_results/${id}/results.json`) {
    const abs = path.resolve(kit.root, resultsPath);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, JSON.stringify({ job_id: id, rows, aggregate: AGGREGATE }));
    kit.append(
      lifecycle(EV, id, 'JobResultRecorded', { result: { aggregate: { ...AGGREGATE, note: 'text is left out' }, results_path: abs, adapter_id: null }, artifacts: [] }),
      lifecycle(EV, id, 'JobSucceeded', { message: 'Finished.' }),
    );
  }

  it('answers every run of a parent id, in order, with status and, once recorded, aggregate and rows', async () => {
    finish('e2', [row(1), row(2)]);
    const runs = await handlers.results('p1');
    expect(runs.map((r) => [r.evaluation_job_id, r.adapter_id, r.status])).toEqual([
      ['e1', '', 'queued'],
      ['e2', 'a1', 'succeeded'],
    ]);
    expect(runs[0]).toMatchObject({ aggregate: {}, rows: [] });
    expect(runs[1]!.aggregate).toEqual(AGGREGATE);
    expect(runs[1]!.rows).toEqual([
      { input: 'question 1', expected: 'yes', output: 'yes', exact_match: 1, rouge1: 0.5, rouge2: 0.25, rougeL: 0.5, bleu: 0.1, latency_s: 0.2 },
      { input: 'question 2', expected: 'yes', output: 'no', exact_match: 0, rouge1: 0.5, rouge2: 0.25, rougeL: 0.5, bleu: 0.1, latency_s: 0.2 },
    ]);
  });

  it('answers one run for an evaluation job id', async () => {
    finish('e3', [row(1)]);
    const runs = await handlers.results('e3');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ evaluation_job_id: 'e3', base_model_id: 'm1', status: 'succeeded' });
    expect(runs[0]!.rows).toHaveLength(1);
  });

  it('still answers the aggregate when results.json is missing, broken or outside the project', async () => {
    finish('e1', [row(1)]);
    fs.rmSync(path.join(kit.root, 'mlflow_results/e1/results.json'));
    expect((await handlers.results('e1'))[0]).toMatchObject({ aggregate: AGGREGATE, rows: [] });

    finish('e2', [row(1)]);
    fs.writeFileSync(path.join(kit.root, 'mlflow_results/e2/results.json'), '{"rows": [');
    expect((await handlers.results('e2'))[0]).toMatchObject({ aggregate: AGGREGATE, rows: [] });

    kit.append(lifecycle(EV, 'e3', 'JobResultRecorded', { result: { aggregate: AGGREGATE, results_path: '/etc/passwd' }, artifacts: [] }));
    expect((await handlers.results('e3'))[0]).toMatchObject({ aggregate: AGGREGATE, rows: [] });
  });

  it(`returns at most ${MAX_RESULT_ROWS} rows per response`, async () => {
    finish('e3', Array.from({ length: MAX_RESULT_ROWS + 5 }, (_, i) => row(i)));
    expect((await handlers.results('e3'))[0]!.rows).toHaveLength(MAX_RESULT_ROWS);
  });

  it('refuses an unknown id (NOT_FOUND) and a missing one (INVALID_ARGUMENT)', async () => {
    expect(await rejectionOf(handlers.results('ghost'))).toMatchObject({
      kind: 'not_found',
      message: "Evaluation Job with ID 'ghost' does not exist.",
    });
    expect(await rejectionOf(handlers.results(''))).toMatchObject({
      kind: 'invalid_argument',
      message: "Field 'id' is required in GetEvaluationResultsRequest.",
    });
  });
});
