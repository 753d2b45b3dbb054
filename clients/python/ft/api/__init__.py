"""API data types of Fine Tuning Studio: ``from ft.api import *``.

Every request, response and metadata message of the service (generated from
libs/proto/fine_tuning_studio.proto), and the string constants of
:mod:`ft.api.types` (DatasetType, ModelType, AdapterType, PromptType,
ConfigType, ModelExportType, EvaluationJobType, FineTuningFrameworkType, ...),
as in the original ``ft.api``.
"""

from ft.api import types as _types
from ft.api.types import *  # noqa: F401,F403
from ft.proto import fine_tuning_studio_pb2 as _pb2
from ft.proto.fine_tuning_studio_pb2 import *  # noqa: F401,F403

__all__ = list(_types.__all__) + sorted(n for n in vars(_pb2) if not n.startswith("_"))
