import os
import signal
import subprocess
import textwrap
import time

import pytest
from conftest import PYTHON, TEMPLATES, base_spec, read_events, write_spec

SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {templates!r})
    from fts_jobs import runtime

    def main(spec, events, args):
        mode = spec.raw.get("mode")
        events.info("started")
        if mode == "sleep":
            time.sleep(30)
        elif mode == "fail":
            raise runtime.JobFailure("the dataset has no rows")
        elif mode == "crash":
            raise RuntimeError("CUDA error: out of memory")
        events.result(ok=True)

    sys.exit(runtime.run("fine_tune", main))
""")


@pytest.fixture
def entry(tmp_path):
    path = tmp_path / "entry.py"
    path.write_text(SCRIPT.format(templates=TEMPLATES), encoding="utf-8")
    return str(path)


def start(entry, tmp_path, mode):
    spec_path, events_path = write_spec(tmp_path, base_spec(tmp_path, mode=mode))
    proc = subprocess.Popen([PYTHON, entry, "--spec", str(spec_path), "--events", str(events_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, events_path


@pytest.mark.parametrize("mode, code, message", [
    (None, 0, None),
    ("fail", 1, "the dataset has no rows"),
    ("crash", 1, "RuntimeError: CUDA error: out of memory"),
])
def test_outcomes_map_to_exit_codes(entry, tmp_path, mode, code, message):
    proc, events_path = start(entry, tmp_path, mode)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == code, err
    events = read_events(events_path)
    assert events[0]["message"] == "started"
    assert "[info] started" in out  # log events are echoed to stdout (captured in stdout.log)
    if message:
        assert events[-1] == {"type": "log", "level": "error", "message": message, "ts": events[-1]["ts"]}
    else:
        assert events[-1]["type"] == "result"


def test_sigterm_exits_143_with_a_log_line(entry, tmp_path):
    proc, events_path = start(entry, tmp_path, "sleep")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (events_path.exists() and read_events(events_path)):
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=10)
    assert proc.returncode == 143
    assert "SIGTERM" in read_events(events_path)[-1]["message"]


def test_non_zero_ranks_write_no_events(entry, tmp_path):
    spec_path, events_path = write_spec(tmp_path, base_spec(tmp_path))
    proc = subprocess.run([PYTHON, entry, "--spec", str(spec_path), "--events", str(events_path)],
                          env=dict(os.environ, RANK="1"), capture_output=True, text=True, timeout=20)
    assert proc.returncode == 0
    assert not events_path.exists()


def test_global_rank_prefers_rank_then_node_rank():
    from fts_jobs.runtime import global_rank

    assert global_rank({}) == 0
    assert global_rank({"RANK": "3", "NODE_RANK": "0"}) == 3
    assert global_rank({"CML_FTS_JOB_NODE_RANK": "1"}) == 1
    assert global_rank({"RANK": "x"}) == 0
