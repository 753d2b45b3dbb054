#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, builds, and runs every suite.
# The README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# slurm-wlm + munge: apps/api/test/slurm.spec.ts and e2e/slurm.e2e.mjs start a real single-node Slurm (scripts/slurm/).
# python3-yaml: libs/py-compat/src/golden.spec.ts regenerates its golden file with PyYAML.
# python3-jinja2: apps/api/test/plan.spec.ts renders a chat template with the job templates' own code (fts_jobs/chat.py).
for pkg in python3-grpcio python3-protobuf python3-grpc-tools python3-pytest protobuf-compiler python3-venv python3-setuptools python3-wheel python3-yaml python3-jinja2 slurm-wlm munge; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "== npm ci"
npm ci --no-audit --no-fund --loglevel=error

echo "== build"
npm run build

echo "== lint: dependency rules (.dependency-cruiser.cjs) and a type-check of every spec"
npm run lint

echo "== wire contract"
if [ -f ../shared/tools/check-wire.py ]; then
  /usr/bin/python3 ../shared/tools/check-wire.py libs/proto/fine_tuning_studio.proto
else
  echo "../shared/tools/check-wire.py not found; the pytest suite checks the proto against its own copy of the contract"
fi

echo "== jest (unit + integration)"
NODE_OPTIONS=--experimental-vm-modules npx jest --ci --runInBand --json --outputFile=.jest-results.json
node -e 'const r=require("./.jest-results.json");console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'

echo "== pytest: the original Python client against the server"
/usr/bin/python3 -m pytest -q tests/python

echo "== pytest: job templates (pure logic, test template, launcher)"
/usr/bin/python3 -m pytest -q job-templates/tests

echo "== client libraries: type-check the @fts/client tests (Jest above ran them)"
npx tsc -p clients/typescript/test

echo "== pytest: the Python client package (clients/python: installed into a throwaway venv, against the server)"
/usr/bin/python3 -m pytest -q clients/python/tests

echo "== web console: unit tests, build (npm ci installed apps/web through postinstall)"
(cd apps/web && npx ng test --watch=false)
npm run build:web

echo "== web console: end-to-end (playwright-core + Debian chromium, real server)"
if [ ! -x /usr/bin/chromium ]; then
  echo "== apt-get install chromium"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
node e2e/run.mjs
# Further e2e suites, one per area (each prints "N passed, N failed" and exits non-zero on failure).
for suite in e2e/*.e2e.mjs; do
  [ -e "$suite" ] || continue
  echo "== e2e: $suite"
  node "$suite"
done
