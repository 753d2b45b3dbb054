"""Append-only JSON-lines event writer for `events.jsonl`.

One JSON object per line, flushed after every line (no fsync). Every event
carries `type` and `ts` (unix seconds, float). Non-finite floats (NaN, inf)
are written as null so every line stays valid JSON for the control plane.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from typing import Any, Mapping, Optional

PROGRESS_METRICS = ("epoch", "loss", "eval_loss", "learning_rate", "grad_norm")
LOG_LEVELS = ("info", "warning", "error")
ARTIFACT_KINDS = ("adapter", "model", "results")


def _clean(value: Any) -> Any:
    """Make a value JSON-safe: non-finite floats become None, tuples become lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _number(value: Any) -> Optional[float]:
    """A finite float, or None (accepts ints, floats and 0-d tensors)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value.item() if hasattr(value, "item") else value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class EventWriter:
    """Thread-safe appender. `enabled=False` makes every call a no-op (non-zero ranks)."""

    def __init__(self, path: str, *, enabled: bool = True, clock=time.time, echo=None):
        self.path = path
        self.enabled = enabled
        self._clock = clock
        self._echo = echo
        self._lock = threading.RLock()  # re-entrant: the SIGTERM handler may log mid-write
        self._file = None
        if enabled:
            parent = os.path.dirname(os.path.abspath(path))
            os.makedirs(parent, exist_ok=True)
            self._file = open(path, "a", encoding="utf-8")

    # -- generic -----------------------------------------------------------------
    def emit(self, event_type: str, *, echo: bool = True, **fields: Any) -> Optional[dict]:
        if not self.enabled:
            return None
        event = {"type": event_type}
        event.update(fields)
        event.setdefault("ts", float(self._clock()))
        line = json.dumps(_clean(event), ensure_ascii=False, allow_nan=False, default=str)
        with self._lock:
            if self._file is None:
                return None
            self._file.write(line + "\n")
            self._file.flush()
        if echo and self._echo is not None:
            try:
                self._echo(event)
            except Exception:  # echo is best-effort (a closed stdout must not fail the job)
                pass
        return event

    # -- typed helpers -----------------------------------------------------------
    def progress(self, *, step: int, total_steps: Optional[int] = None, **metrics: Any) -> Optional[dict]:
        """Write a progress event; metrics that are absent, None or non-finite are omitted."""
        fields: dict = {"step": int(step)}
        if total_steps is not None:
            fields["total_steps"] = int(total_steps)
        for name, value in metrics.items():
            number = _number(value)
            if number is not None:
                fields[name] = number
        return self.emit("progress", **fields)

    def log(self, level: str, message: str, *, echo: bool = True) -> Optional[dict]:
        """`echo=False` when the caller already printed the message (stdout.log keeps one copy)."""
        if level not in LOG_LEVELS:
            raise ValueError(f"log level must be one of {LOG_LEVELS}, got {level!r}")
        return self.emit("log", echo=echo, level=level, message=str(message))

    def info(self, message: str) -> Optional[dict]:
        return self.log("info", message)

    def warning(self, message: str) -> Optional[dict]:
        return self.log("warning", message)

    def error(self, message: str) -> Optional[dict]:
        return self.log("error", message)

    def checkpoint(self, *, step: int, path: str, epoch: Any = None, loss: Any = None, eval_loss: Any = None) -> Optional[dict]:
        """A checkpoint folder, complete on disk, that a later run can resume from."""
        return self.emit("checkpoint", step=int(step), epoch=_number(epoch), loss=_number(loss),
                         eval_loss=_number(eval_loss), path=path)

    def artifact(self, kind: str, path: str) -> Optional[dict]:
        if kind not in ARTIFACT_KINDS:
            raise ValueError(f"artifact kind must be one of {ARTIFACT_KINDS}, got {kind!r}")
        return self.emit("artifact", kind=kind, path=str(path))

    def result(self, **payload: Any) -> Optional[dict]:
        return self.emit("result", **payload)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def __enter__(self) -> "EventWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def trainer_log_metrics(logs: Mapping[str, Any]) -> dict:
    """Pick the progress metrics out of a transformers Trainer `logs` dict.

    Returns {} for the end-of-training summary (train_runtime, train_loss, ...),
    which is not a progress point.
    """
    if "train_runtime" in logs:
        return {}
    picked = {}
    for name in PROGRESS_METRICS:
        number = _number(logs.get(name))
        if number is not None:
            picked[name] = number
    return picked


def read_events(path: str) -> list:
    """Read an events file back (used by tests and gpu_check)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
