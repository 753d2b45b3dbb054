import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface PythonInfo {
  path: string;
  venv: boolean;
  packages: { torch: boolean; transformers: boolean; peft: boolean };
}

const SCRIPT =
  'import importlib.util, json, sys\n' +
  'print(json.dumps({"venv": sys.prefix != getattr(sys, "base_prefix", sys.prefix), ' +
  '"packages": {n: importlib.util.find_spec(n) is not None for n in ("torch", "transformers", "peft")}}))';

export const PROBE_TIMEOUT_MS = 5000;
export const PROBE_TTL_MS = 60_000;

/** Runs the job templates' python once with a find_spec script (no import): which packages are there, is it a venv. */
export function probePython(python: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<PythonInfo> {
  const none = { torch: false, transformers: false, peft: false };
  const venvByPath = fs.existsSync(path.join(path.dirname(python), '..', 'pyvenv.cfg'));
  return new Promise((resolve) => {
    execFile(python, ['-c', SCRIPT], { timeout: timeoutMs, maxBuffer: 64 * 1024 }, (err, stdout) => {
      if (err) return resolve({ path: python, venv: venvByPath, packages: none });
      try {
        const out = JSON.parse(String(stdout).trim()) as { venv?: boolean; packages?: Partial<PythonInfo['packages']> };
        resolve({
          path: python,
          venv: Boolean(out.venv) || venvByPath,
          packages: { torch: !!out.packages?.torch, transformers: !!out.packages?.transformers, peft: !!out.packages?.peft },
        });
      } catch {
        resolve({ path: python, venv: venvByPath, packages: none });
      }
    });
  });
}

/** At most one probe a minute; concurrent callers share the one in flight. */
export class CachedPythonProbe {
  private cached?: { at: number; info: Promise<PythonInfo> };

  constructor(
    private readonly python: string,
    private readonly probe: (python: string) => Promise<PythonInfo> = probePython,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<PythonInfo> {
    if (!this.cached || this.now() - this.cached.at >= PROBE_TTL_MS) {
      this.cached = { at: this.now(), info: this.probe(this.python) };
    }
    return this.cached.info;
  }
}
