#!/usr/bin/env bash
# Stops a cluster started by start-test-cluster.sh and removes its folder
# (kept with --keep, for reading the logs).
set -uo pipefail
dir=${1:?usage: stop-test-cluster.sh <dir> [--keep]}
[ -f "$dir/slurm.conf" ] || { echo "stop-test-cluster: $dir is not a test cluster folder" >&2; exit 1; }
export SLURM_CONF="$dir/slurm.conf"
# Every job of the cluster goes first, so no job process outlives it.
ids=$(squeue -h -o '%i' 2>/dev/null | tr '\n' ' ')
[ -n "${ids// /}" ] && scancel $ids >/dev/null 2>&1
for _ in $(seq 50); do [ -z "$(squeue -h -o '%i' 2>/dev/null)" ] && break; sleep 0.2; done
pids=()
for f in slurmd.bgpid slurmctld.bgpid munge/munged.pid; do
  [ -f "$dir/$f" ] && pids+=("$(cat "$dir/$f")")
done
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
for _ in $(seq 50); do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive -eq 0 ] && break
  sleep 0.1
done
for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
[ "${2:-}" = "--keep" ] || rm -rf "$dir"
