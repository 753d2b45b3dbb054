"""cml_launcher.py: the script each CML job runs. A fake launch.json runs a tiny Python command; the multi-node
path runs against a stand-in `cml.workers_v1` package written into the test's folder."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import PYTHON, TEMPLATES, load_entry

LAUNCHER = os.path.join(TEMPLATES, "cml_launcher.py")
RUN = ".app/job_runs/job-1"

CHILD = """
import json, os, signal, sys, time
args = sys.argv[1:]
spec = json.load(open(args[args.index("--spec") + 1]))
print("hello from the job", flush=True)
print("a warning on stderr", file=sys.stderr, flush=True)
print("rank=" + os.environ.get("CML_FTS_JOB_NODE_RANK", "-") + " master=" + os.environ.get("CML_FTS_JOB_MASTER_IP", "-"), flush=True)
mode = spec.get("mode", "exit")
if mode == "wait":
    def stop(signum, frame):
        print("got SIGTERM", flush=True)
        sys.exit(143)
    signal.signal(signal.SIGTERM, stop)
if mode == "stubborn":
    signal.signal(signal.SIGTERM, lambda s, f: print("ignoring SIGTERM", flush=True))
if mode in ("wait", "stubborn"):
    open(os.path.join(os.path.dirname(args[args.index("--spec") + 1]), "ready"), "w").close()
    while True:
        time.sleep(0.05)
sys.exit(spec.get("exit_code", 0))
"""

FAKE_WORKERS = """
import json, os

def _log(**entry):
    with open(os.environ["FAKE_CML_LOG"], "a") as handle:
        handle.write(json.dumps(entry) + "\\n")

def launch_workers(**kwargs):
    _log(call="launch_workers", kwargs=kwargs)
    return [{"id": "w-" + kwargs["env"]["CML_FTS_JOB_NODE_RANK"]}]

def await_workers(ids, wait_for_completion=True, timeout_seconds=None):
    _log(call="await_workers", ids=ids, wait_for_completion=wait_for_completion)
    failed = os.environ.get("FAKE_CML_FAIL")
    return {"workers": [], "failures": [{"id": failed}] if failed else []}

def stop_workers(*ids):
    _log(call="stop_workers", ids=list(ids))
"""


def project(tmp_path, spec=None, num_workers=1, command=None, **launch_extra):
    run = tmp_path / RUN
    run.mkdir(parents=True, exist_ok=True)
    (tmp_path / "scripts").mkdir(exist_ok=True)
    (tmp_path / "scripts" / "child.py").write_text(CHILD)
    (run / "spec.json").write_text(json.dumps(spec or {}))
    launch = {
        "runner": "cml",
        "job_id": "job-1",
        "kind": "fine_tune",
        # The server's interpreter path does not exist here: the launcher falls back to its own Python.
        "command": command or ["/no/such/server/python3", "scripts/child.py"],
        "args": ["--spec", f"{RUN}/spec.json", "--events", f"{RUN}/events.jsonl"],
        "stdout": f"{RUN}/stdout.log",
        "exit": f"{RUN}/exit.json",
        "resources": {"cpu": 4, "memoryGb": 16, "gpus": 2, "gpuLabelId": 7, "numWorkers": num_workers},
        "num_workers": num_workers,
        **launch_extra,
    }
    (run / "launch.json").write_text(json.dumps(launch))
    return run


def launcher_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FTS_", "CML_FTS_", "CDSW_")) and k not in ("JOB_ARGUMENTS", "PYTHONPATH")}
    env["JOB_ARGUMENTS"] = f"--run-dir {RUN}"
    env.update(extra)
    return env


def run_launcher(tmp_path, env, args=(), timeout=30):
    return subprocess.run([PYTHON, LAUNCHER, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout)


def read_exit(run):
    return json.loads((run / "exit.json").read_text())


# ---------------------------------------------------------------------------- one node


@pytest.mark.parametrize("code", [0, 3])
def test_runs_the_command_records_its_exit_and_captures_its_output(tmp_path, code):
    run = project(tmp_path, spec={"exit_code": code})
    proc = run_launcher(tmp_path, launcher_env(tmp_path))
    assert proc.returncode == code, proc.stdout + proc.stderr
    record = read_exit(run)
    assert record["code"] == code and record["signal"] is None and record["recorded_by"] == "launcher"
    assert record["finished_at"].endswith("Z")
    log = (run / "stdout.log").read_text()
    assert "hello from the job" in log and "a warning on stderr" in log and "rank=- master=-" in log
    assert "hello from the job" not in proc.stdout  # the job's output goes to the run folder
    assert not list(run.glob("*.tmp"))


def test_finds_the_run_folder_from_argv_job_arguments_or_fts_run_dir(tmp_path):
    spaced = ".app/job runs/job 1"
    project(tmp_path)
    os.makedirs(tmp_path / ".app" / "job runs", exist_ok=True)
    os.rename(tmp_path / RUN, tmp_path / spaced)
    launch = json.loads((tmp_path / spaced / "launch.json").read_text())
    launch.update(args=["--spec", f"{spaced}/spec.json", "--events", f"{spaced}/events.jsonl"], stdout=f"{spaced}/stdout.log",
                  exit=f"{spaced}/exit.json")
    (tmp_path / spaced / "launch.json").write_text(json.dumps(launch))
    env = launcher_env(tmp_path, JOB_ARGUMENTS="--run-dir '.app/job runs/job 1'")
    assert run_launcher(tmp_path, env).returncode == 0
    assert read_exit(tmp_path / spaced)["code"] == 0

    env = launcher_env(tmp_path, JOB_ARGUMENTS="", FTS_RUN_DIR=spaced)
    assert run_launcher(tmp_path, env).returncode == 0
    env = launcher_env(tmp_path, JOB_ARGUMENTS="")
    assert run_launcher(tmp_path, env, args=["--run-dir", spaced]).returncode == 0
    assert (tmp_path / spaced / "stdout.log").read_text().count("hello from the job") == 3


def test_forwards_sigterm_to_the_command_and_records_it(tmp_path):
    run = project(tmp_path, spec={"mode": "wait"})
    proc = subprocess.Popen([PYTHON, LAUNCHER], cwd=tmp_path, env=launcher_env(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (run / "ready").exists():
            assert time.monotonic() < deadline, "the command never started"
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 143
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert read_exit(run)["code"] == 143 and read_exit(run)["signal"] == "SIGTERM"
    assert "got SIGTERM" in (run / "stdout.log").read_text()


def test_kills_a_command_that_ignores_sigterm_after_the_grace_period(tmp_path):
    run = project(tmp_path, spec={"mode": "stubborn"})
    proc = subprocess.Popen([PYTHON, LAUNCHER], cwd=tmp_path, env=launcher_env(tmp_path, FTS_LAUNCHER_GRACE_S="0.3"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (run / "ready").exists():
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 137
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert read_exit(run)["signal"] == "SIGKILL"
    assert "ignoring SIGTERM" in (run / "stdout.log").read_text()


def test_an_unusable_launch_json_exits_2_and_says_why_in_the_run_folder(tmp_path):
    run = project(tmp_path)
    (run / "launch.json").write_text("{not json")
    proc = run_launcher(tmp_path, launcher_env(tmp_path))
    assert proc.returncode == 2
    assert "launch.json is not valid JSON" in proc.stdout
    assert read_exit(run)["code"] == 2
    assert "cannot start" in (run / "stdout.log").read_text()
    proc = run_launcher(tmp_path, launcher_env(tmp_path, JOB_ARGUMENTS=""))
    assert proc.returncode == 2 and "no run folder" in proc.stdout


# ---------------------------------------------------------------------------- several nodes


def test_several_workers_without_cml_fail_at_once_with_a_clear_message(tmp_path):
    run = project(tmp_path, num_workers=3)
    proc = run_launcher(tmp_path, launcher_env(tmp_path, FTS_NUM_WORKERS="3"))
    assert proc.returncode == 1
    log = (run / "stdout.log").read_text()
    assert "could not start the other 2 worker(s)" in log and "cml.workers_v1" in log
    assert "hello from the job" not in log
    assert read_exit(run)["code"] == 1


def fake_cml(tmp_path):
    package = tmp_path / "fake_cml" / "cml"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "workers_v1.py").write_text(textwrap.dedent(FAKE_WORKERS))
    return str(tmp_path / "fake_cml")


def cml_calls(tmp_path):
    return [json.loads(line) for line in (tmp_path / "cml.jsonl").read_text().splitlines()]


def test_the_master_starts_one_worker_per_other_node_runs_rank_0_and_waits(tmp_path):
    run = project(tmp_path, num_workers=3)
    env = launcher_env(tmp_path, FTS_NUM_WORKERS="3", FTS_RUN_DIR=RUN, FTS_JOB_ID="job-1", CDSW_IP_ADDRESS="10.0.0.5",
                       PYTHONPATH=fake_cml(tmp_path), FAKE_CML_LOG=str(tmp_path / "cml.jsonl"), HF_TOKEN="hf-x")
    proc = run_launcher(tmp_path, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    calls = cml_calls(tmp_path)
    assert [c["call"] for c in calls] == ["launch_workers", "launch_workers", "await_workers"]
    first = calls[0]["kwargs"]
    assert {k: v for k, v in first.items() if k != "env"} == {
        "n": 1, "cpu": 4, "memory": 16, "nvidia_gpu": 2, "script": LAUNCHER, "accelerator_label_id": 7}
    assert first["env"] == {"CML_FTS_JOB_MASTER_IP": "10.0.0.5", "CML_FTS_JOB_NODE_RANK": "1", "FTS_NUM_WORKERS": "3",
                            "FTS_RUN_DIR": RUN, "FTS_JOB_ID": "job-1", "JOB_ARGUMENTS": f"--run-dir {RUN}", "HF_TOKEN": "hf-x"}
    assert calls[1]["kwargs"]["env"]["CML_FTS_JOB_NODE_RANK"] == "2"
    assert calls[2]["ids"] == ["w-1", "w-2"] and calls[2]["wait_for_completion"] is True
    assert "rank=0 master=10.0.0.5" in (run / "stdout.log").read_text()
    assert read_exit(run)["code"] == 0


def test_a_failed_worker_fails_the_run(tmp_path):
    run = project(tmp_path, num_workers=2)
    env = launcher_env(tmp_path, FTS_NUM_WORKERS="2", CDSW_IP_ADDRESS="10.0.0.5", PYTHONPATH=fake_cml(tmp_path),
                       FAKE_CML_LOG=str(tmp_path / "cml.jsonl"), FAKE_CML_FAIL="w-1")
    proc = run_launcher(tmp_path, env)
    assert proc.returncode == 1
    assert "A worker failed" in (run / "stdout.log").read_text()
    assert read_exit(run)["code"] == 1


def test_a_failed_master_stops_the_workers_instead_of_waiting(tmp_path):
    run = project(tmp_path, spec={"exit_code": 4}, num_workers=2)
    env = launcher_env(tmp_path, FTS_NUM_WORKERS="2", CDSW_IP_ADDRESS="10.0.0.5", PYTHONPATH=fake_cml(tmp_path),
                       FAKE_CML_LOG=str(tmp_path / "cml.jsonl"))
    assert run_launcher(tmp_path, env).returncode == 4
    assert [c["call"] for c in cml_calls(tmp_path)] == ["launch_workers", "stop_workers"]
    assert read_exit(run)["code"] == 4


def test_a_worker_node_runs_the_command_into_its_own_log_and_writes_no_exit_record(tmp_path):
    run = project(tmp_path, spec={"exit_code": 0}, num_workers=2)
    env = launcher_env(tmp_path, FTS_NUM_WORKERS="2", CML_FTS_JOB_NODE_RANK="1", CML_FTS_JOB_MASTER_IP="10.0.0.5")
    assert run_launcher(tmp_path, env).returncode == 0
    assert "rank=1 master=10.0.0.5" in (run / "stdout.worker-1.log").read_text()
    assert not (run / "exit.json").exists() and not (run / "stdout.log").exists()


# ---------------------------------------------------------------------------- pure parts


def test_pure_parts():
    launcher = load_entry("cml_launcher")
    assert launcher.run_dir_argument([], {"JOB_ARGUMENTS": "--run-dir 'a b/c' --other x"}) == "a b/c"
    assert launcher.run_dir_argument(["--run-dir", "x"], {"JOB_ARGUMENTS": "--run-dir y"}) == "x"
    with pytest.raises(launcher.LaunchError):
        launcher.run_dir_argument([], {})
    assert launcher.exit_record(-15, now=0) == {"code": 143, "signal": "SIGTERM", "finished_at": "1970-01-01T00:00:00Z",
                                                "recorded_by": "launcher"}
    assert launcher.exit_record(3, now=0)["signal"] is None
    assert launcher.resolve_command(["/no/python3.10", "job-templates/x.py"], "/proj", python="/py") == ["/py", "job-templates/x.py"]
    assert launcher.resolve_command(["bash", "-c", "true"], "/proj")[0] == "bash"
    assert launcher.launch_workers_kwargs({"cpu": 2, "memoryGb": 8, "gpus": 1, "gpuLabelId": 0}, "s.py", {}) == {
        "n": 1, "cpu": 2, "memory": 8, "nvidia_gpu": 1, "script": "s.py", "env": {}}
    assert launcher.node_rank({"CML_FTS_JOB_NODE_RANK": "2"}) == 2 and launcher.node_rank({}) == 0


def test_imports_without_cml_or_torch():
    before = set(sys.modules)
    load_entry("cml_launcher")
    assert not {"cml", "torch"} & (set(sys.modules) - before)
