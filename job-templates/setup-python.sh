#!/usr/bin/env bash
# Create job-templates/.venv (system python, --system-site-packages so a runtime's torch/CUDA
# build is reused) and install job-templates/requirements.txt into it.
#   PYTHON=/path/to/python3   interpreter to base the venv on (default /usr/bin/python3, else python3)
#   FTS_SKIP_INDEX_CHECK=1    skip the reachability probe (offline wheelhouse via PIP_FIND_LINKS, ...)
# Exit: 0 ok, 1 venv creation or pip failed, 4 package index unreachable.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"

py="${PYTHON:-}"
if [[ -z "$py" ]]; then
  if [[ -x /usr/bin/python3 ]]; then py=/usr/bin/python3; else py="$(command -v python3 || true)"; fi
fi
if [[ -z "$py" ]]; then
  echo "setup-python: no python3 found; set PYTHON=/path/to/python3" >&2
  exit 1
fi

if [[ ! -x "$venv/bin/python" ]]; then
  echo "setup-python: creating $venv with $py ($("$py" --version 2>&1))"
  if ! "$py" -m venv --system-site-packages "$venv"; then
    rm -rf "$venv"
    echo "setup-python: could not create the venv; on Debian/Ubuntu install python3-venv (apt-get install python3-venv)" >&2
    exit 1
  fi
fi
vpy="$venv/bin/python"

index="${PIP_INDEX_URL:-}"
if [[ -z "$index" ]]; then
  index="$("$vpy" -m pip config get global.index-url 2>/dev/null || true)"
fi
index="${index:-https://pypi.org/simple}"

if [[ "${FTS_SKIP_INDEX_CHECK:-0}" != "1" ]]; then
  if ! problem="$("$vpy" - "$index" 2>&1 <<'PY'
import sys
import urllib.error
import urllib.request

url = sys.argv[1].rstrip("/") + "/pip/"
try:
    urllib.request.urlopen(url, timeout=10)
except urllib.error.HTTPError:
    pass  # the server answered: reachable
except Exception as error:  # DNS, refused, timeout, TLS
    print(f"{type(error).__name__}: {getattr(error, 'reason', error)}")
    sys.exit(1)
PY
)"; then
    echo "setup-python: the package index $index is unreachable ($problem)." >&2
    echo "setup-python: nothing installed. Set PIP_INDEX_URL to a reachable mirror, or install from a wheelhouse" >&2
    echo "setup-python: with PIP_FIND_LINKS=/path/to/wheels PIP_NO_INDEX=1 FTS_SKIP_INDEX_CHECK=1 $0" >&2
    exit 4
  fi
fi

echo "setup-python: installing job-templates/requirements.txt from $index"
if ! "$vpy" -m pip install --disable-pip-version-check -r "$here/requirements.txt"; then
  echo "setup-python: pip install failed (see above)" >&2
  exit 1
fi
echo "setup-python: done. Templates run with: $vpy job-templates/<entry>.py --spec ... --events ..."
