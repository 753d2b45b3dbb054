#!/usr/bin/env bash
# Run the real templates end to end on this machine's GPU (see gpu_check.py).
# Uses job-templates/.venv when setup-python.sh created it, else $PYTHON or python3.
# Exit: 0 all passed, 1 a check failed, 2 no torch/CUDA/packages (nothing run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -n "${PYTHON:-}" ]]; then
  py="$PYTHON"
elif [[ -x "$here/.venv/bin/python" ]]; then
  py="$here/.venv/bin/python"
else
  py="$(command -v python3 || true)"
fi
if [[ -z "$py" ]]; then
  echo "gpu-check: no python3 found (set PYTHON or run job-templates/setup-python.sh)"
  exit 2
fi
exec "$py" "$here/gpu_check.py" --python "$py" "$@"
