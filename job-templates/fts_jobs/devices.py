"""Which GPUs a fine-tuning process may see (pure; decided before torch is imported).

A single-process job (gpus <= 1, one node) on a machine showing several GPUs
would otherwise be wrapped by the Trainer in `torch.nn.DataParallel` (4-bit
models included), which runs out of memory or silently multiplies the batch.
So it is pinned to one device through CUDA_VISIBLE_DEVICES before torch starts.
"""

from __future__ import annotations

from typing import Mapping, Optional, Tuple

VISIBLE = "CUDA_VISIBLE_DEVICES"


class DeviceError(ValueError):
    pass


def visible_list(env: Mapping[str, str]) -> Optional[list]:
    """The CUDA_VISIBLE_DEVICES entries, or None when unset (every device visible)."""
    value = env.get(VISIBLE)
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def single_process_visible(env: Mapping[str, str]) -> Tuple[Optional[str], str]:
    """(value to set CUDA_VISIBLE_DEVICES to, or None to leave it; a sentence for the job log)."""
    entries = visible_list(env)
    if entries is None:
        return "0", "one training process: using GPU 0 only (CUDA_VISIBLE_DEVICES=0)"
    if len(entries) <= 1:
        return None, f"one training process: CUDA_VISIBLE_DEVICES={env.get(VISIBLE)!r} kept"
    return entries[0], (f"one training process: using GPU {entries[0]} only "
                        f"(CUDA_VISIBLE_DEVICES was {env.get(VISIBLE)!r})")


def check_requested(gpus: int, available: int) -> None:
    """DeviceError when the spec asks for more GPUs per node than this machine shows."""
    if gpus > available:
        raise DeviceError(f"gpus={gpus} but this machine has {available} CUDA device(s)")
