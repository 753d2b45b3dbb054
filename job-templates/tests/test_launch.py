import os
import subprocess

import pytest
from conftest import PYTHON, TEMPLATES, base_spec, write_spec

from fts_jobs.launch import LaunchError, already_launched, build_launch_command, launch_env, needs_launcher

COMMON = dict(python="/py", script="/t/fine_tune.py", spec_path="/r/spec.json", events_path="/r/events.jsonl")
TAIL = ["/t/fine_tune.py", "--spec", "/r/spec.json", "--events", "/r/events.jsonl"]


def test_single_process_needs_no_launcher():
    assert not needs_launcher(1, 1) and not needs_launcher(0, 0)
    assert build_launch_command(gpus=1, num_workers=1, env={}, **COMMON) is None


def test_one_node_many_gpus_is_standalone_torchrun():
    assert build_launch_command(gpus=4, num_workers=1, env={}, **COMMON) == [
        "/py", "-m", "torch.distributed.run", "--standalone", "--nnodes", "1", "--nproc_per_node", "4", *TAIL]


def test_multi_node_reads_rank_and_master_from_the_environment():
    env = {"CML_FTS_JOB_MASTER_IP": "10.0.0.5", "CML_FTS_JOB_NODE_RANK": "2", "MASTER_PORT": "30000"}
    assert build_launch_command(gpus=2, num_workers=3, env=env, **COMMON) == [
        "/py", "-m", "torch.distributed.run", "--nnodes", "3", "--node_rank", "2", "--master_addr", "10.0.0.5",
        "--master_port", "30000", "--nproc_per_node", "2", *TAIL]
    # fallbacks: MASTER_ADDR / CDSW_IP_ADDRESS, NODE_RANK, default rank 0 and port 29500
    command = build_launch_command(gpus=1, num_workers=2, env={"CDSW_IP_ADDRESS": "10.1.1.1"}, **COMMON)
    assert command[3:13] == ["--nnodes", "2", "--node_rank", "0", "--master_addr", "10.1.1.1", "--master_port",
                             "29500", "--nproc_per_node", "1"]


@pytest.mark.parametrize("env, message", [
    ({}, "needs a master address"),
    ({"MASTER_ADDR": "h", "NODE_RANK": "5"}, "out of range"),
    ({"MASTER_ADDR": "h", "NODE_RANK": "x"}, "must be an integer"),
])
def test_multi_node_errors(env, message):
    with pytest.raises(LaunchError, match=message):
        build_launch_command(gpus=1, num_workers=2, env=env, **COMMON)


def test_children_are_never_relaunched():
    assert already_launched(launch_env({}))
    assert already_launched({"LOCAL_RANK": "0"})
    assert not already_launched({})


def test_launch_cli_prints_the_command(tmp_path):
    spec_path, events_path = write_spec(tmp_path, base_spec(tmp_path, gpus=2))
    proc = subprocess.run([PYTHON, os.path.join(TEMPLATES, "launch.py"), "--spec", str(spec_path), "--events",
                           str(events_path), "--python", "python3"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("python3 -m torch.distributed.run --standalone --nnodes 1 --nproc_per_node 2 ")
    assert proc.stdout.strip().endswith(f"--events {events_path}")
