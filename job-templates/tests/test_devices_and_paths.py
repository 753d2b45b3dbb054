"""Device pinning before torch loads, and the project-root confinement of every spec path."""

import os
import subprocess

import pytest
from conftest import PYTHON, TEMPLATES, base_spec, read_events, write_spec

from fts_jobs import devices
from fts_jobs.paths import confine
from fts_jobs.spec import SpecError, parse_spec


@pytest.mark.parametrize("env, value", [
    ({}, "0"),                                   # several GPUs visible by default: pin to the first
    ({"CUDA_VISIBLE_DEVICES": "2,3"}, "2"),      # the runner gave several: the first of them
    ({"CUDA_VISIBLE_DEVICES": "1"}, None),       # already one: kept
    ({"CUDA_VISIBLE_DEVICES": ""}, None),        # none: kept (CPU)
])
def test_a_single_process_sees_one_gpu(env, value):
    chosen, message = devices.single_process_visible(env)
    assert chosen == value and "one training process" in message


def test_more_gpus_than_visible_is_refused():
    devices.check_requested(2, 2)
    with pytest.raises(devices.DeviceError, match="gpus=4 but this machine has 2 CUDA device"):
        devices.check_requested(4, 2)


def test_fine_tune_pins_the_device_before_torch_is_imported(tmp_path, monkeypatch):
    """The fake torch records CUDA_VISIBLE_DEVICES at import: it must already be pinned then."""
    from test_entries_fake_stack import run_entry

    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    proc, events, calls = run_entry(tmp_path, "fine_tune", base_spec(tmp_path, packing=False))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    imported = next(c for c in calls if c["call"] == "torch imported")
    assert imported["CUDA_VISIBLE_DEVICES"] == "0"
    assert any("using GPU 0 only" in e.get("message", "") for e in events)


def test_spec_paths_inside_the_project_pass(tmp_path):
    spec = parse_spec(base_spec(tmp_path))
    confine(spec, run_dir=str(tmp_path / "run"))


@pytest.mark.parametrize("field", ["output_dir", "base_model", "dataset"])
def test_a_path_outside_the_project_is_refused(tmp_path, field):
    project = tmp_path / "project"
    project.mkdir()
    raw = base_spec(project)
    outside = str(tmp_path / "elsewhere")
    if field == "output_dir":
        raw["output_dir"] = outside
    else:
        raw[field]["location"] = outside
    with pytest.raises(SpecError, match=f'"{field}(.location)?" .* is outside the project root'):
        confine(parse_spec(raw))


def test_a_symlink_out_of_the_project_is_refused_after_resolving_it(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret").mkdir()
    os.symlink(tmp_path / "secret", project / "link")
    raw = base_spec(project, output_dir=str(project / "link" / "out"))
    with pytest.raises(SpecError, match="resolves to"):
        confine(parse_spec(raw))


def test_writes_may_go_to_the_run_folder_reads_may_not(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    run = tmp_path / "state" / "job_runs" / "j1"
    raw = base_spec(project, output_dir=str(run / "outputs"))
    confine(parse_spec(raw), run_dir=str(run))
    raw["base_model"]["location"] = str(run / "model")
    with pytest.raises(SpecError, match="base_model.location"):
        confine(parse_spec(raw), run_dir=str(run))


@pytest.mark.parametrize("entry", ["fine_tune", "evaluate", "compare", "export_merge"])
def test_every_entry_refuses_an_escaping_spec_in_one_line_with_exit_2(tmp_path, entry):
    project = tmp_path / "project"
    project.mkdir()
    raw = base_spec(project, kind=entry, output_dir="/etc/fts-should-not-write")
    if entry in ("compare", "export_merge"):
        raw.update(adapter={"id": "a", "name": "a", "location": str(project / "ad"), "huggingface_name": None},
                   input_text="hi")
    spec_path, events_path = write_spec(project, raw)
    proc = subprocess.run([PYTHON, os.path.join(TEMPLATES, f"{entry}.py"), "--spec", str(spec_path),
                           "--events", str(events_path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and '"output_dir" /etc/fts-should-not-write is outside the project root' in lines[0]
    assert read_events(events_path)[-1]["level"] == "error"
    assert not os.path.exists("/etc/fts-should-not-write")
