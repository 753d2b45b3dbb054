"""Fake torch: just enough for the job templates."""
import json as _json
import os as _os

if _os.environ.get("FAKE_HF_LOG"):  # what the templates set up before importing torch (device pinning)
    with open(_os.environ["FAKE_HF_LOG"], "a", encoding="utf-8") as _handle:
        _handle.write(_json.dumps({"call": "torch imported",
                                   "CUDA_VISIBLE_DEVICES": _os.environ.get("CUDA_VISIBLE_DEVICES")}) + "\n")
float32, float16, bfloat16, long = "float32", "float16", "bfloat16", "long"
__version__ = "0.0-fake"


class device:
    def __init__(self, kind):
        self.type = kind


class cuda:
    """No GPU, unless a test sets FAKE_CUDA=<device count>."""

    @staticmethod
    def is_available():
        return int(_os.environ.get("FAKE_CUDA", "0")) > 0

    @staticmethod
    def device_count():
        return int(_os.environ.get("FAKE_CUDA", "0"))

    @staticmethod
    def set_device(index):
        pass

    @staticmethod
    def synchronize(dev=None):
        pass

    @staticmethod
    def is_bf16_supported():
        return cuda.is_available()


class Tensor:
    def __init__(self, data):
        self.data = data
        self.shape = (len(data), len(data[0]) if data and isinstance(data[0], list) else 0)

    def to(self, dev):
        return self

    def __getitem__(self, index):
        return self.data[index]


class no_grad:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def tensor(value, dtype=None):
    return Tensor(value)


class inference_mode:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def manual_seed(seed):
    pass
