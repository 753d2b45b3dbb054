"""Pure helpers shared by the Fine Tuning Studio job templates.

Nothing in this package imports a third-party module at import time: the
Hugging Face stack (torch, transformers, peft, datasets) is imported lazily,
inside the functions that need it, after `deps.require` has checked it is
installed.
"""

__all__ = [
    "spec",
    "events",
    "prompting",
    "split",
    "metrics",
    "deps",
    "data",
    "launch",
    "padding",
    "runtime",
]
