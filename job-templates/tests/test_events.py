import json
import threading

from fts_jobs.events import EventWriter, read_events, trainer_log_metrics


def test_each_event_is_one_flushed_json_line_with_type_and_ts(tmp_path):
    path = tmp_path / "run" / "events.jsonl"
    writer = EventWriter(str(path), clock=lambda: 1700000000.5)
    writer.info("hello")
    # readable before close: flushed line by line
    assert read_events(str(path)) == [{"type": "log", "level": "info", "message": "hello", "ts": 1700000000.5}]
    writer.progress(step=3, total_steps=10, epoch=0.3, loss=1.25, eval_loss=None, learning_rate=2e-4,
                    grad_norm=float("nan"))
    writer.artifact("adapter", "/x/out")
    writer.result(adapter_path="/x/out", train_rows=9, eval_rows=1, final_loss=float("inf"))
    writer.close()
    events = read_events(str(path))
    assert events[1] == {"type": "progress", "step": 3, "total_steps": 10, "epoch": 0.3, "loss": 1.25,
                         "learning_rate": 2e-4, "ts": 1700000000.5}
    assert events[2] == {"type": "artifact", "kind": "adapter", "path": "/x/out", "ts": 1700000000.5}
    assert events[3]["final_loss"] is None  # non-finite numbers never break the JSON


def test_appends_to_an_existing_file(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text('{"type": "log", "level": "info", "message": "runner", "ts": 1}\n', encoding="utf-8")
    with EventWriter(str(path)) as writer:
        writer.warning("template")
    assert [e["message"] for e in read_events(str(path))] == ["runner", "template"]


def test_thread_safe_lines_never_interleave(tmp_path):
    path = tmp_path / "events.jsonl"
    writer = EventWriter(str(path))

    def work(n):
        for i in range(200):
            writer.info(f"thread {n} line {i} " + "x" * 200)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writer.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1600
    assert all(json.loads(line)["type"] == "log" for line in lines)


def test_disabled_writer_writes_nothing(tmp_path):
    path = tmp_path / "events.jsonl"
    writer = EventWriter(str(path), enabled=False)
    writer.info("rank 1")
    assert not path.exists()


def test_trainer_log_metrics_picks_progress_fields():
    assert trainer_log_metrics({"loss": 1.5, "grad_norm": 0.7, "learning_rate": 1e-4, "epoch": 0.5, "foo": 1}) == {
        "loss": 1.5, "grad_norm": 0.7, "learning_rate": 1e-4, "epoch": 0.5}
    assert trainer_log_metrics({"train_runtime": 3.0, "train_loss": 1.0, "epoch": 1.0}) == {}
    assert trainer_log_metrics({"loss": float("nan"), "epoch": 1}) == {"epoch": 1.0}
