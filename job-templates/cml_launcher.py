#!/usr/bin/env python3
"""The script every CML job created by the control plane runs (apps/api/src/runners/cml/cml-runner.ts).

    JOB_ARGUMENTS="--run-dir .app/job_runs/<job_id>"   (or FTS_RUN_DIR=...)

It reads `<run dir>/launch.json` (written by the runner): `command` (project-relative paths), `args`
(`--spec …/spec.json --events …/events.jsonl`), `stdout`, `exit`, `resources`, `num_workers`; runs
command + args in the project folder with stdout and stderr appended to stdout.log; writes exit.json
(`{code, signal, finished_at, recorded_by}`, like the local runner's wrapper, write-then-rename) and
exits with the command's code. SIGTERM/SIGINT/SIGHUP (a CML stop) are forwarded to the command's
process group; it is killed if it has not stopped 30 s later (FTS_LAUNCHER_GRACE_S).

Multi-node (FTS_NUM_WORKERS or launch.json num_workers > 1): the master (node rank 0) starts one CML
worker per other node with `cml.workers_v1.launch_workers` (same cpu / memory / nvidia_gpu, and the
accelerator label when there is one) running this same script with CML_FTS_JOB_NODE_RANK=<rank> and
CML_FTS_JOB_MASTER_IP=<master IP>, which fine_tune.py's torchrun path reads; it then runs rank 0
itself and waits for the workers. A worker runs the same command into stdout.worker-<rank>.log and
writes no exit.json. cml.workers_v1 exists only in CML runtimes: without it a multi-node run fails at
once with a clear message. Stdlib only.

Exit codes: the command's; 2 when the run folder or launch.json is unusable; 1 when the workers could
not be started or one failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence

EXIT_BAD_LAUNCH = 2
EXIT_FAILED = 1
DEFAULT_GRACE_S = 30.0
FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class LaunchError(Exception):
    """The run folder or launch.json cannot be used (exit 2)."""


class Launch(NamedTuple):
    run_dir: str
    command: List[str]
    stdout: str
    exit: str
    num_workers: int
    resources: Dict[str, Any]


# ---------------------------------------------------------------------------------- pure parts


def run_dir_argument(argv: Sequence[str], env: Mapping[str, str]) -> str:
    """`--run-dir` from the command line, else from JOB_ARGUMENTS (shlex), else FTS_RUN_DIR."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--run-dir")
    for tokens in (list(argv), shlex.split(env.get("JOB_ARGUMENTS", ""))):
        known, _ = parser.parse_known_args(tokens)
        if known.run_dir:
            return known.run_dir
    value = env.get("FTS_RUN_DIR", "")
    if not value:
        raise LaunchError("no run folder: pass --run-dir <path> (JOB_ARGUMENTS) or set FTS_RUN_DIR")
    return value


def project_root(env: Mapping[str, str], cwd: str) -> str:
    """Where project-relative paths start: FTS_PROJECT_ROOT, else the job's working folder (/home/cdsw on CML)."""
    return os.path.abspath(env.get("FTS_PROJECT_ROOT") or cwd)


def _in_project(root: str, path: str) -> str:
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(root, path))


def resolve_command(command: Sequence[str], root: str, python: str = sys.executable) -> List[str]:
    """The command with project-relative paths made absolute; an interpreter path that does not exist on this
    machine (the server's /usr/bin/python3) becomes this launcher's own Python."""
    resolved: List[str] = []
    for index, arg in enumerate(command):
        candidate = _in_project(root, arg)
        if index == 0:
            if os.path.exists(candidate):
                resolved.append(candidate)
            elif os.path.basename(arg).startswith("python"):
                resolved.append(python)
            else:
                resolved.append(arg)  # a program name found on PATH
        elif not os.path.isabs(arg) and os.path.exists(candidate):
            resolved.append(candidate)
        else:
            resolved.append(arg)
    return resolved


def load_launch(run_dir: str, root: str, env: Mapping[str, str], python: str = sys.executable) -> Launch:
    folder = _in_project(root, run_dir)
    path = os.path.join(folder, "launch.json")
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except OSError as error:
        raise LaunchError(f"cannot read {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise LaunchError(f"{path} is not valid JSON ({error.msg})") from None
    if not isinstance(raw, dict):
        raise LaunchError(f"{path} must hold a JSON object")
    command = raw.get("command")
    if not isinstance(command, list) or not command or not all(isinstance(a, str) and a for a in command):
        raise LaunchError(f'{path}: "command" must be a non-empty list of strings')
    args = raw.get("args") or []
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise LaunchError(f'{path}: "args" must be a list of strings')
    workers_text = env.get("FTS_NUM_WORKERS") or raw.get("num_workers") or 1
    try:
        num_workers = max(1, int(workers_text))
    except (TypeError, ValueError):
        raise LaunchError(f"the number of workers must be a whole number, got {workers_text!r}") from None
    resources = raw.get("resources") if isinstance(raw.get("resources"), dict) else {}
    return Launch(
        run_dir=folder,
        command=resolve_command(command, root, python) + list(args),  # args stay project-relative: the command runs in root
        stdout=_in_project(root, raw.get("stdout") or os.path.join(folder, "stdout.log")),
        exit=_in_project(root, raw.get("exit") or os.path.join(folder, "exit.json")),
        num_workers=num_workers,
        resources=resources,
    )


def node_rank(env: Mapping[str, str]) -> int:
    """This node's rank: CML_FTS_JOB_NODE_RANK (set on the workers this launcher starts), else 0."""
    try:
        return int(env.get("CML_FTS_JOB_NODE_RANK") or "0")
    except ValueError:
        return 0


def exit_record(returncode: int, now: Optional[float] = None) -> Dict[str, Any]:
    """exit.json as the local runner's wrapper writes it: a signal death is 128 + n, with the signal's name."""
    code = 128 - returncode if returncode < 0 else returncode
    name = None
    if code > 128:
        try:
            name = signal.Signals(code - 128).name
        except ValueError:
            name = None
    finished = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now if now is not None else time.time()))
    return {"code": code, "signal": name, "finished_at": finished, "recorded_by": "launcher"}


def worker_env(rank: int, master_ip: str, env: Mapping[str, str]) -> Dict[str, str]:
    """The environment of worker `rank`: what this node was given, plus the master and its rank."""
    keep = ("FTS_RUN_DIR", "FTS_JOB_ID", "FTS_JOB_KIND", "FTS_NUM_WORKERS", "FTS_PROJECT_ROOT", "JOB_ARGUMENTS",
            "HF_HOME", "HF_TOKEN", "HUGGINGFACE_ACCESS_TOKEN", "PYTORCH_CUDA_ALLOC_CONF", "MLFLOW_FLATTEN_PARAMS")
    out = {k: env[k] for k in keep if env.get(k)}
    out.update({"CML_FTS_JOB_MASTER_IP": master_ip, "CML_FTS_JOB_NODE_RANK": str(rank)})
    return out


def launch_workers_kwargs(resources: Mapping[str, Any], script: str, env: Mapping[str, str]) -> Dict[str, Any]:
    """cml.workers_v1.launch_workers keywords for one worker with this job's unit of resources."""
    kwargs: Dict[str, Any] = {
        "n": 1,
        "cpu": resources.get("cpu") or 2,
        "memory": resources.get("memoryGb") or 8,
        "nvidia_gpu": int(resources.get("gpus") or 0),
        "script": script,
        "env": dict(env),
    }
    label = resources.get("gpuLabelId")
    if isinstance(label, int) and label > 0:
        kwargs["accelerator_label_id"] = label
    return kwargs


# ---------------------------------------------------------------------------------- effects


def _say(message: str) -> None:
    print(f"[cml_launcher] {message}", flush=True)


def _append_line(path: str, message: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(message + "\n")


def write_exit(path: str, record: Mapping[str, Any]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(record, handle)
        handle.write("\n")
    os.replace(tmp, path)


def import_workers():
    """cml.workers_v1, or a LaunchError-free RuntimeError saying it is only in CML runtimes."""
    try:
        from cml import workers_v1  # type: ignore
    except Exception as error:  # ImportError, or the SDK failing outside a CML session
        raise RuntimeError(
            "multi-node runs need CML's cml.workers_v1 module (present in CML runtimes only) to start the other "
            f"workers; it could not be imported ({type(error).__name__}: {error}). Run with one worker, or on CML."
        ) from None
    return workers_v1


class Child:
    """The command in its own process group, output appended to a file; signals to the launcher are forwarded."""

    def __init__(self, command: List[str], stdout_path: str, cwd: str, env: Mapping[str, str], grace_s: float):
        os.makedirs(os.path.dirname(stdout_path), exist_ok=True)
        self._log = open(stdout_path, "ab")
        self.grace_s = grace_s
        self.stop_requested: Optional[int] = None
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        cwd=cwd, env=dict(env), start_new_session=True)

    def forward(self, signum: int) -> None:
        first = self.stop_requested is None
        self.stop_requested = signum
        self._signal(signum)
        if first:
            timer = threading.Timer(self.grace_s, self._signal, args=(signal.SIGKILL,))
            timer.daemon = True
            timer.start()

    def _signal(self, signum: int) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def wait(self) -> int:
        try:
            while True:
                try:
                    return self.process.wait()
                except InterruptedError:  # pragma: no cover - PEP 475 retries, kept for safety
                    continue
        finally:
            self._log.close()


def start_workers(workers_v1, launch: Launch, script: str, env: Mapping[str, str], stdout_path: str) -> List[str]:
    master_ip = env.get("CDSW_IP_ADDRESS") or env.get("CML_FTS_JOB_MASTER_IP") or ""
    if not master_ip:
        raise RuntimeError("multi-node runs need this node's address in CDSW_IP_ADDRESS (set by CML)")
    ids: List[str] = []
    for rank in range(1, launch.num_workers):
        kwargs = launch_workers_kwargs(launch.resources, script, worker_env(rank, master_ip, env))
        started = workers_v1.launch_workers(**kwargs)
        for worker in started or []:
            worker_id = worker.get("id") if isinstance(worker, dict) else None
            if worker_id:
                ids.append(worker_id)
        _append_line(stdout_path, f"[cml_launcher] started worker for node rank {rank}: {started}")
    return ids


def await_workers(workers_v1, ids: List[str]) -> List[Any]:
    """The failed workers (await_workers' `failures`), after every worker has ended."""
    if not ids:
        return []
    result = workers_v1.await_workers(ids, wait_for_completion=True)
    failures = result.get("failures") if isinstance(result, dict) else None
    return list(failures or [])


def stop_workers(workers_v1, ids: List[str]) -> None:
    if ids:
        try:
            workers_v1.stop_workers(*ids)
        except Exception as error:
            _say(f"could not stop the workers {ids}: {error}")


def main(argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None) -> int:
    env = dict(os.environ if env is None else env)
    argv = sys.argv[1:] if argv is None else list(argv)
    root = project_root(env, os.getcwd())
    rank = node_rank(env)
    try:
        run_dir = run_dir_argument(argv, env)
    except LaunchError as error:
        _say(f"cannot start: {error}")
        return EXIT_BAD_LAUNCH
    try:
        launch = load_launch(run_dir, root, env)
    except LaunchError as error:
        _say(f"cannot start: {error}")
        folder = _in_project(root, run_dir)
        if rank == 0 and os.path.isdir(folder):  # tell the server why, in the files it reads
            _append_line(os.path.join(folder, "stdout.log"), f"[cml_launcher] cannot start: {error}")
            write_exit(os.path.join(folder, "exit.json"), exit_record(EXIT_BAD_LAUNCH))
        return EXIT_BAD_LAUNCH

    is_master = rank == 0 and env.get("CDSW_ENGINE_TYPE") != "worker"
    stdout_path = launch.stdout if is_master else os.path.join(launch.run_dir, f"stdout.worker-{rank}.log")
    grace = float(env.get("FTS_LAUNCHER_GRACE_S") or DEFAULT_GRACE_S)
    child_env = dict(env)
    workers_v1 = None
    worker_ids: List[str] = []

    def finish(code: int, signal_name: Optional[str] = None, message: Optional[str] = None) -> int:
        if message:
            _append_line(stdout_path, f"[cml_launcher] {message}")
            _say(message)
        if is_master:
            record = exit_record(code)
            if signal_name and record["signal"] is None:
                record["signal"] = signal_name
            write_exit(launch.exit, record)
        return code

    if is_master and launch.num_workers > 1:
        try:
            workers_v1 = import_workers()
            worker_ids = start_workers(workers_v1, launch, os.path.abspath(__file__), env, stdout_path)
        except Exception as error:
            if workers_v1 is not None:
                stop_workers(workers_v1, worker_ids)
            return finish(EXIT_FAILED, message=f"could not start the other {launch.num_workers - 1} worker(s): {error}")
        child_env.update({"CML_FTS_JOB_MASTER_IP": env.get("CDSW_IP_ADDRESS") or env.get("CML_FTS_JOB_MASTER_IP", ""),
                          "CML_FTS_JOB_NODE_RANK": "0"})

    _say(f"node rank {rank}: {' '.join(shlex.quote(a) for a in launch.command)} (output: {stdout_path})")
    try:
        child = Child(launch.command, stdout_path, root, child_env, grace)
    except OSError as error:
        if workers_v1 is not None:
            stop_workers(workers_v1, worker_ids)
        return finish(127, message=f"cannot run {launch.command[0]}: {error.strerror or error}")

    previous = {}
    for signum in FORWARDED_SIGNALS:
        try:
            previous[signum] = signal.signal(signum, lambda s, _f: child.forward(s))
        except ValueError:  # not the main thread (tests)
            pass
    try:
        returncode = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    code = exit_record(returncode)["code"]
    stopped = signal.Signals(child.stop_requested).name if child.stop_requested else None

    if workers_v1 is not None:
        if code != 0 or child.stop_requested:
            stop_workers(workers_v1, worker_ids)
        else:
            try:
                failures = await_workers(workers_v1, worker_ids)
            except Exception as error:
                return finish(EXIT_FAILED, message=f"waiting for the workers failed: {error}")
            if failures:
                return finish(EXIT_FAILED, message=f"A worker failed: {failures}")
    _say(f"node rank {rank}: exited with code {code}")
    return finish(code, signal_name=stopped)


if __name__ == "__main__":
    sys.exit(main())
