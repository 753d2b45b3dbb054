#!/usr/bin/env bash
# Starts a throwaway single-node Slurm cluster for the tests, as root:
# its own munged (own key and socket), slurmctld and slurmd, every file under
# one folder. Prints the folder's env file lines on stdout:
#   SLURM_CONF=<dir>/slurm.conf
#   FTS_SLURM_TEST_DIR=<dir>
# Stop it with scripts/slurm/stop-test-cluster.sh <dir>.
# Installs slurm-wlm and munge with apt-get when they are missing.
set -euo pipefail

dir=${1:-$(mktemp -d /tmp/fts-slurm.XXXXXX)}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
log() { echo "start-test-cluster: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (slurmd and munged need it)"; exit 1
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# munge: a private key and socket, run as the munge user.
mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
chmod 700 "$dir/munge"
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 status=none
chmod 400 "$dir/munge/munge.key"
chown -R munge:munge "$dir/munge"
chmod 755 "$dir"
runuser -u munge -- /usr/sbin/munged --force \
  --key-file="$dir/munge/munge.key" \
  --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" \
  --log-file="$dir/munge/munged.log" \
  --seed-file="$dir/munge/munged.seed"
for _ in $(seq 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$dir/munge/munge.socket" ] || { log "munged did not start; see $dir/munge/munged.log"; exit 1; }

host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
cat > "$dir/slurm.conf" <<CONF
ClusterName=fts-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Quick cancels and timeouts in tests; finished jobs stay visible to squeue for 5 minutes.
KillWait=3
OverTimeLimit=0
MinJobAge=300
SlurmdTimeout=30
NodeName=ftsnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$dir/slurm.conf"
/usr/sbin/slurmctld -D -i -f "$SLURM_CONF" >>"$dir/slurmctld.out" 2>&1 &
echo $! > "$dir/slurmctld.bgpid"
/usr/sbin/slurmd -D -N ftsnode -f "$SLURM_CONF" >>"$dir/slurmd.out" 2>&1 &
echo $! > "$dir/slurmd.bgpid"

for _ in $(seq 150); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)
  [ "$state" = "idle" ] && break
  sleep 0.2
done
if [ "$state" != "idle" ]; then
  log "the node did not become idle (state '${state:-none}'); logs in $dir"
  tail -n 20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  "$(dirname "$0")/stop-test-cluster.sh" "$dir" --keep
  exit 1
fi
echo "SLURM_CONF=$SLURM_CONF"
echo "FTS_SLURM_TEST_DIR=$dir"
