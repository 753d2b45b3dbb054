#!/usr/bin/env bash
# The device check: the real templates end to end on this machine's GPU, nothing downloaded (gpu_check.py).
#   job-templates/gpu-check.sh OUT [--only CASE ...]
# OUT gets the project (tiny model, tokenizers, datasets) and one run folder per case (spec.json,
# events.jsonl, stdout.log). One summary line per case. Under 7 minutes on one H200.
# Uses job-templates/.venv when setup-python.sh created it, else $PYTHON or python3.
# Exit: 0 every case passed, 1 a case failed (named in the last line), 2 no OUT / torch / CUDA (nothing run).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: job-templates/gpu-check.sh OUT [--only CASE ...]   (OUT: folder for the run folders)"
  exit 2
fi
out="$1"
shift
if [[ -n "${PYTHON:-}" ]]; then
  py="$PYTHON"
elif [[ -x "$here/.venv/bin/python" ]]; then
  py="$here/.venv/bin/python"
else
  py="$(command -v python3 || true)"
fi
if [[ -z "$py" ]]; then
  echo "gpu-check: no python3 found (set PYTHON or run npm run setup:python)"
  exit 2
fi
mkdir -p "$out" || { echo "gpu-check: cannot create $out"; exit 2; }
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
exec "$py" "$here/gpu_check.py" --out "$out" --python "$py" "$@"
