"""Check that the Python packages a template needs are installed, without importing them.

On anything missing: print ONE line naming every missing package and the
install command, write a `log` error event, and exit with code 3 at once.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from typing import Iterable, List

EXIT_MISSING_DEPS = 3
INSTALL_HINT = "npm run setup:python"  # the README's one instruction (job-templates/setup-python.sh)

# import name -> pip name, where they differ
PIP_NAMES = {"sentencepiece": "sentencepiece", "yaml": "PyYAML"}


def missing_packages(modules: Iterable[str]) -> List[str]:
    """Top-level module names that cannot be found (find_spec never imports the package itself)."""
    missing = []
    for name in modules:
        top = name.split(".", 1)[0]
        try:
            found = importlib.util.find_spec(top) is not None
        except (ImportError, ValueError):
            found = False
        if not found and top not in missing:
            missing.append(top)
    return missing


def missing_message(missing: Iterable[str], purpose: str = "this job") -> str:
    names = ", ".join(PIP_NAMES.get(m, m) for m in missing)
    return f"missing Python packages for {purpose}: {names}. Install them with: {INSTALL_HINT}"


def require(modules: Iterable[str], events=None, *, purpose: str = "this job", exit=sys.exit, stream=None) -> None:
    missing = missing_packages(modules)
    if not missing:
        return
    message = missing_message(missing, purpose)
    print(message, file=stream if stream is not None else sys.stdout, flush=True)
    if events is not None:
        try:
            events.log("error", message, echo=False)
        except Exception:
            pass
    exit(EXIT_MISSING_DEPS)


def _needs_datasets(spec) -> bool:
    """A Hub dataset needs `datasets`; a local folder in the Hub's layout is read with the stdlib."""
    dataset = spec.dataset
    if dataset is None or dataset.type != "huggingface":
        return False
    return not (dataset.location and os.path.isdir(dataset.location))


def training_modules(spec) -> List[str]:
    modules = ["torch", "transformers", "peft", "accelerate"]
    if spec.bnb_config:
        modules.append("bitsandbytes")
    if _needs_datasets(spec):
        modules.append("datasets")
    return modules


def inference_modules(spec, *, with_adapters: bool) -> List[str]:
    modules = ["torch", "transformers", "accelerate"]  # accelerate: device_map="auto"
    if with_adapters:
        modules.append("peft")
    if spec.bnb_config:
        modules.append("bitsandbytes")
    if _needs_datasets(spec):
        modules.append("datasets")
    return modules
