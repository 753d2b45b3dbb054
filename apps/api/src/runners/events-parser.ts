import type { CheckpointOutput, ProgressPoint, RunOutput } from './job-runner.js';

/**
 * Turns one line of `events.jsonl` into a RunOutput. Pure.
 *
 * The templates write flat objects (job-templates/fts_jobs/events.py):
 *   {"type":"progress","step":3,"total_steps":10,"loss":1.2,"ts":1767225600.5}
 *   {"type":"log","level":"error","message":"...","ts":...}
 *   {"type":"artifact","kind":"adapter","path":"data/adapters/x","ts":...}
 *   {"type":"result", ...anything..., "ts":...}
 *   {"type":"checkpoint","step":5,"epoch":0.25,"loss":0.6,"eval_loss":0.7,"path":"/…/checkpoint-5","ts":...}
 * A `data` object instead of flat fields is accepted too. A line that is not
 * a JSON object, or has an unknown type, becomes a warning `log` output (the
 * offset still advances, so one bad line never blocks the rest).
 */
export function parseEventLine(line: string, offset: number, now: number): RunOutput {
  const parsed = parseLenient(line);
  if (!isObject(parsed)) {
    return warning(offset, 'A line in events.jsonl is not a JSON object; it was skipped.', { line: clip(line) });
  }
  const type = typeof parsed.type === 'string' ? parsed.type : typeof parsed.event === 'string' ? parsed.event : undefined;
  const { type: _t, event: _e, data, ...flat } = parsed;
  const body: Record<string, unknown> = isObject(data) ? { ...flat, ...data } : flat;
  const ts = toEpochMs(parsed.ts ?? body.ts) ?? now;

  switch (type) {
    case 'progress': {
      const step = num(body.step ?? body.global_step);
      if (step === undefined) {
        return warning(offset, 'A progress event in events.jsonl has no numeric step; it was skipped.', { event: parsed });
      }
      const point: ProgressPoint = { step, ts };
      const set = (key: Exclude<keyof ProgressPoint, 'step' | 'ts'>, v: unknown) => {
        const n = num(v);
        if (n !== undefined) point[key] = n;
      };
      set('epoch', body.epoch);
      set('loss', body.loss);
      set('eval_loss', body.eval_loss);
      set('learning_rate', body.learning_rate);
      set('grad_norm', body.grad_norm);
      set('total_steps', body.total_steps ?? body.max_steps);
      return { type: 'progress', point, offset };
    }
    case 'checkpoint': {
      const step = num(body.step ?? body.global_step);
      if (step === undefined || typeof body.path !== 'string' || body.path === '') {
        return warning(offset, 'A checkpoint event in events.jsonl has no numeric step or no path; it was skipped.', { event: parsed });
      }
      const checkpoint: CheckpointOutput = { step, path: body.path, ts };
      for (const key of ['epoch', 'loss', 'eval_loss'] as const) {
        const n = num(body[key]);
        if (n !== undefined) checkpoint[key] = n;
      }
      return { type: 'checkpoint', checkpoint, offset };
    }
    case 'log':
    case 'artifact':
    case 'result':
      return { type, data: { ...body, ts }, offset };
    default:
      return warning(offset, `events.jsonl has an event of unknown type '${String(type)}'; it was skipped.`, { event: parsed });
  }
}

/**
 * JSON.parse, and on failure once more with bare NaN/Infinity (what Python's
 * json.dumps writes by default) replaced by null.
 */
function parseLenient(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    try {
      return JSON.parse(line.replace(/([:[,]\s*)-?(?:NaN|Infinity)(?=\s*[,\]}])/g, '$1null'));
    } catch {
      return undefined;
    }
  }
}

/** Unix seconds (number < 1e12), epoch ms, or an ISO string → epoch ms. */
export function toEpochMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e12 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return toEpochMs(n);
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const clip = (s: string, max = 500) => (s.length > max ? `${s.slice(0, max)}…` : s);

const warning = (offset: number, message: string, extra: Record<string, unknown>): RunOutput => ({
  type: 'log',
  data: { level: 'warning', message, source: 'runner', ...extra },
  offset,
});
