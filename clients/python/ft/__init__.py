"""Fine Tuning Studio client package.

``from ft.client import FineTuningStudioClient`` and ``from ft.api import *``
work as they did with the original CML Fine Tuning Studio ``ft`` package.
"""

__version__ = "0.1.0"
