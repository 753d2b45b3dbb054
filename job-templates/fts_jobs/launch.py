"""Build the multi-process launch command for fine-tuning (pure; tested without torch).

One process per GPU on each node through torchrun (`python -m torch.distributed.run`):
- gpus > 1, one node: `--standalone --nproc_per_node <gpus>`;
- num_workers (nodes) > 1: `--nnodes N --node_rank R --master_addr A --master_port P
  --nproc_per_node <gpus>`. Every node runs the same command with its own rank;
  starting the other nodes is the runner's job (on CML: workers launched with
  the same spec). Node rank and master address come from the environment:
  CML_FTS_JOB_NODE_RANK / NODE_RANK, CML_FTS_JOB_MASTER_IP / MASTER_ADDR / CDSW_IP_ADDRESS.
"""

from __future__ import annotations

from typing import List, Mapping, Optional

DEFAULT_MASTER_PORT = 29500
LAUNCHED_ENV = "FTS_JOBS_LAUNCHED"  # set on the children so they never re-launch


class LaunchError(ValueError):
    pass


def needs_launcher(gpus: int, num_workers: int) -> bool:
    return gpus > 1 or num_workers > 1


def already_launched(env: Mapping[str, str]) -> bool:
    return env.get(LAUNCHED_ENV) == "1" or "LOCAL_RANK" in env or "TORCHELASTIC_RUN_ID" in env


def _first(env: Mapping[str, str], *names: str) -> Optional[str]:
    for name in names:
        value = env.get(name)
        if value:
            return value
    return None


def build_launch_command(
    *,
    python: str,
    script: str,
    spec_path: str,
    events_path: str,
    gpus: int,
    num_workers: int,
    env: Mapping[str, str],
) -> Optional[List[str]]:
    """The command that runs `script` on every GPU of this node, or None when one process is enough."""
    if not needs_launcher(gpus, num_workers):
        return None
    nproc = max(1, gpus)
    nodes = max(1, num_workers)
    command = [python, "-m", "torch.distributed.run"]
    if nodes == 1:
        command += ["--standalone", "--nnodes", "1", "--nproc_per_node", str(nproc)]
    else:
        master = _first(env, "CML_FTS_JOB_MASTER_IP", "MASTER_ADDR", "CDSW_IP_ADDRESS")
        if not master:
            raise LaunchError(
                f"num_workers={nodes} needs a master address on every node: set CML_FTS_JOB_MASTER_IP or "
                "MASTER_ADDR (and NODE_RANK / CML_FTS_JOB_NODE_RANK on each worker)"
            )
        rank_text = _first(env, "CML_FTS_JOB_NODE_RANK", "NODE_RANK") or "0"
        try:
            rank = int(rank_text)
        except ValueError:
            raise LaunchError(f"node rank must be an integer, got {rank_text!r}") from None
        if not 0 <= rank < nodes:
            raise LaunchError(f"node rank {rank} is out of range for num_workers={nodes}")
        port = _first(env, "MASTER_PORT") or str(DEFAULT_MASTER_PORT)
        command += [
            "--nnodes", str(nodes),
            "--node_rank", str(rank),
            "--master_addr", master,
            "--master_port", port,
            "--nproc_per_node", str(nproc),
        ]
    command += [script, "--spec", spec_path, "--events", events_path]
    return command


def launch_env(env: Mapping[str, str]) -> dict:
    child = dict(env)
    child[LAUNCHED_ENV] = "1"
    return child
