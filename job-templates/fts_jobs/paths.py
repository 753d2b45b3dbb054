"""Keep every path a template reads or writes from spec.json inside the project (defence in depth).

The control plane already checks the paths it puts in spec.json; a template
checks again, after resolving symlinks, so a hand-edited spec or a symlink
planted in the project cannot make a job read or overwrite files elsewhere.
Writes may also go under the run folder (the folder holding spec.json), which
the runner chose itself (compare outputs, a registry export's merged model).
"""

from __future__ import annotations

import os
from typing import Iterable, List, Optional, Tuple

from .spec import JobSpec, SpecError


def _inside(path: str, root: str) -> bool:
    real = os.path.realpath(path)
    real_root = os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def spec_paths(spec: JobSpec) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]]]:
    """([(field, path) read], [(field, path) written]) named by the spec."""
    reads: List[Tuple[str, str]] = []
    if spec.base_model.location:
        reads.append(("base_model.location", spec.base_model.location))
    if spec.adapter is not None and spec.adapter.location:
        reads.append(("adapter.location", spec.adapter.location))
    for index, adapter in enumerate(spec.adapters):
        if adapter.location:
            reads.append((f"adapters[{index}].location", adapter.location))
    if spec.dataset is not None and spec.dataset.location:
        reads.append(("dataset.location", spec.dataset.location))
    return reads, [("output_dir", spec.output_dir)]


def confine(spec: JobSpec, run_dir: Optional[str] = None) -> None:
    """SpecError naming the first field whose path (symlinks resolved) leaves the project root."""
    reads, writes = spec_paths(spec)
    root = spec.project_root
    write_roots: Iterable[str] = [root] + ([run_dir] if run_dir else [])
    for field, path in reads:
        if not _inside(path, root):
            raise SpecError(_outside(field, path, root))
    for field, path in writes:
        if not any(_inside(path, allowed) for allowed in write_roots):
            raise SpecError(_outside(field, path, root))


def _outside(field: str, path: str, root: str) -> str:
    real = os.path.realpath(path)
    via = f" (it resolves to {real})" if real != os.path.normpath(path) else ""
    return f'spec.json: "{field}" {path} is outside the project root {root}{via}'
