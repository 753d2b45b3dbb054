#!/usr/bin/env python3
"""Print the command that runs fine-tuning on every GPU of this node (see fts_jobs/launch.py).

    python job-templates/launch.py --spec <run>/spec.json --events <run>/events.jsonl

fine_tune.py already re-launches itself this way when gpus > 1 or
num_workers > 1; this entry shows the exact command (for a runner that starts
the worker nodes itself, or for debugging). Prints one shell-quoted line;
exit 2 on a bad spec or a missing master address.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fts_jobs.launch import LaunchError, build_launch_command  # noqa: E402
from fts_jobs.spec import SpecError, load_spec  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    try:
        spec = load_spec(args.spec)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fine_tune.py")
        spec_path, events_path = os.path.abspath(args.spec), os.path.abspath(args.events)
        command = build_launch_command(
            python=args.python, script=script, spec_path=spec_path, events_path=events_path,
            gpus=spec.gpus, num_workers=spec.num_workers, env=os.environ,
        ) or [args.python, script, "--spec", spec_path, "--events", events_path]
    except (SpecError, LaunchError) as error:
        print(str(error), file=sys.stderr)
        return 2
    print(shlex.join(command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
