"""The harness every entry script runs in.

    python job-templates/<entry>.py --spec <run>/spec.json --events <run>/events.jsonl

Exit codes: 0 success; 1 the job failed (message in a `log` error event);
2 bad spec.json or command line; 3 missing Python packages (see deps.py);
143 stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from typing import Callable, Iterable, Optional

from . import paths
from .events import EventWriter
from .spec import JobSpec, SpecError, load_spec

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_SPEC = 2
EXIT_MISSING_DEPS = 3
EXIT_TERMINATED = 143


class JobFailure(Exception):
    """A failure with a message a person can act on (no traceback in the event)."""


class Terminated(BaseException):
    """Raised from the SIGTERM handler so `finally` blocks still run."""


def global_rank(env=os.environ) -> int:
    """RANK under torchrun; before the launch, the node rank (a worker node's launcher writes no events)."""
    value = env.get("RANK")
    if value is None:
        value = env.get("CML_FTS_JOB_NODE_RANK") or env.get("NODE_RANK") or "0"
    try:
        return int(value)
    except ValueError:
        return 0


def _echo_logs(event: dict) -> None:
    if event.get("type") == "log":
        print(f"[{event['level']}] {event['message']}", flush=True)


def parse_args(argv: Optional[Iterable[str]], description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--spec", required=True, help="path to the run's spec.json")
    parser.add_argument("--events", required=True, help="path to the run's events.jsonl (appended)")
    return parser.parse_args(list(argv) if argv is not None else None)


def install_sigterm_handler(events: EventWriter) -> None:
    def handler(signum, frame):
        events.warning("received SIGTERM: stopping the job")
        raise Terminated()

    try:
        signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not in the main thread (tests)
        pass


def run(kind: str, main: Callable[[JobSpec, EventWriter, argparse.Namespace], None], argv=None, *, description: str = "") -> int:
    """Parse the CLI, open the event log, load the spec, run `main`, map the outcome to an exit code."""
    try:
        args = parse_args(argv, description or f"Fine Tuning Studio {kind} job")
    except SystemExit as exit_:
        return EXIT_BAD_SPEC if exit_.code else EXIT_OK
    events = EventWriter(args.events, enabled=global_rank() == 0, echo=_echo_logs)
    install_sigterm_handler(events)
    try:
        try:
            spec = load_spec(args.spec)
            if spec.kind != kind:
                raise SpecError(f'spec.json: "kind" is "{spec.kind}" but this template runs "{kind}"')
            paths.confine(spec, run_dir=os.path.dirname(os.path.abspath(args.spec)))
        except SpecError as error:
            print(str(error), file=sys.stderr, flush=True)
            events.log("error", str(error), echo=False)
            return EXIT_BAD_SPEC
        try:
            main(spec, events, args)
        except JobFailure as error:
            print(f"job failed: {error}", file=sys.stderr, flush=True)
            events.log("error", str(error), echo=False)
            return EXIT_FAILED
        except Terminated:
            return EXIT_TERMINATED
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else EXIT_FAILED)
            return code
        except KeyboardInterrupt:
            events.error("interrupted")
            return 130
        except BaseException as error:  # anything from torch/transformers: keep the message, print the trace
            traceback.print_exc()
            events.error(f"{type(error).__name__}: {error}")
            return EXIT_FAILED
        return EXIT_OK
    except Terminated:
        return EXIT_TERMINATED
    finally:
        events.close()


def resolve_output_dir(spec: JobSpec) -> str:
    os.makedirs(spec.output_dir, exist_ok=True)
    return spec.output_dir
