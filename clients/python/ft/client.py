"""The Fine Tuning Studio client.

    from ft.api import *
    from ft.client import FineTuningStudioClient

    fts = FineTuningStudioClient()                     # FINE_TUNING_SERVICE_IP / _PORT, else 127.0.0.1:50051
    datasets = fts.get_datasets()
    dataset = fts.GetDataset(GetDatasetRequest(id=datasets[0].id)).dataset

Every RPC of ``fine_tuning_studio.FineTuningStudio`` is a method of the
client under its own name (``fts.ListDatasets(ListDatasetsRequest())``), as in
the original, which copied each stub callable onto the client. A failed call
raises :class:`FineTuningStudioError`, a ``ValueError`` whose text is the
server's message (a leading "Exception calling application:" removed, as the
original did) and which keeps the gRPC status (``.code``, ``.details``).

Beyond the original: ``get_configs()``, ``wait_for_job()``, ``watch_job()``,
``cancel_job()``, an optional auth token, and a default request for every RPC
(``fts.ListModels()``).
"""

import os
import threading
import time

import grpc
from google.protobuf import descriptor_pb2

from ft.api import *  # noqa: F401,F403  (the original client module exposed these names too)
from ft.api import types as _types
from ft.consts import DEFAULT_FTS_GRPC_HOST, DEFAULT_FTS_GRPC_PORT
from ft.proto import fine_tuning_studio_pb2 as _pb2
from ft.proto.fine_tuning_studio_pb2_grpc import FineTuningStudioStub

__all__ = ["FineTuningStudioClient", "FineTuningStudioError", "JobStream", "RPCS"]

_PREFIX = "Exception calling application:"
_SERVICE = _pb2.DESCRIPTOR.services_by_name["FineTuningStudio"]
_TERMINAL = frozenset(str(s) for s in _types.JobStatus.terminal())


class FineTuningStudioError(ValueError):
    """A failed call. A ``ValueError`` (as the original client raised), with the gRPC status kept.

    ``str(e)`` is the server's message; ``e.code`` the :class:`grpc.StatusCode`;
    ``e.details`` the status details as the server sent them; ``e.method`` the RPC.
    """

    def __init__(self, message, code=None, details=None, method=None):
        super().__init__(message)
        self.code = code
        self.details = details if details is not None else message
        self.method = method

    @property
    def code_name(self):
        """The status name, e.g. ``"NOT_FOUND"`` (None when there is no status)."""
        return self.code.name if self.code is not None else None

    @classmethod
    def from_rpc_error(cls, error, method=None):
        try:
            code = error.code()
        except Exception:  # an RpcError that is not a call (should not happen)
            code = None
        try:
            details = error.details()
        except Exception:
            details = None
        details = details or ""
        message = details[len(_PREFIX):] if details.startswith(_PREFIX) else details
        return cls(message.strip(), code=code, details=details, method=method)


class JobStream:
    """Messages of a server-streaming RPC, as an iterator; a failed stream raises :class:`FineTuningStudioError`.

    ``cancel()`` (or leaving a ``with`` block, or closing the iterator) ends the call.
    """

    def __init__(self, call, method):
        self._call = call
        self._method = method
        self._cancelled = False

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self._call)
        except grpc.RpcError as e:
            if e.code() == grpc.StatusCode.CANCELLED and self._cancelled:
                raise StopIteration from None
            raise FineTuningStudioError.from_rpc_error(e, self._method) from e

    def cancel(self):
        self._cancelled = True
        self._call.cancel()

    close = cancel

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cancel()
        return False


class _AuthInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds ``authorization: Bearer <token>`` to every call made through the channel."""

    def __init__(self, token):
        self._entry = ("authorization", f"Bearer {token}")

    def _with_token(self, details):
        metadata = [m for m in (details.metadata or ()) if m[0].lower() != "authorization"]
        metadata.append(self._entry)
        return _CallDetails(details, metadata)

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return continuation(self._with_token(client_call_details), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(self._with_token(client_call_details), request)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, details, metadata):
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


def _rpc_method(name, request_class, streaming):
    """The client method for one RPC: default request, error conversion (and a JobStream for streams)."""

    def method(self, request=None, *args, **kwargs):
        if request is None:
            request = request_class()
        stub_callable = getattr(self.stub, name)
        if not streaming and self.timeout is not None and not args and "timeout" not in kwargs:
            kwargs["timeout"] = self.timeout
        if streaming:
            try:
                call = stub_callable(request, *args, **kwargs)
            except grpc.RpcError as e:
                raise FineTuningStudioError.from_rpc_error(e, name) from e
            return JobStream(call, name)
        try:
            return stub_callable(request, *args, **kwargs)
        except grpc.RpcError as e:
            raise FineTuningStudioError.from_rpc_error(e, name) from e

    method.__name__ = name
    method.__qualname__ = f"FineTuningStudioClient.{name}"
    return method


class FineTuningStudioClient:
    """A client of the Fine Tuning Studio gRPC service.

    The address is ``server_ip:server_port``; each falls back to the
    environment (``FINE_TUNING_SERVICE_IP``, ``FINE_TUNING_SERVICE_PORT``) and
    then to ``127.0.0.1`` / ``50051``. ``token`` (else env ``FTS_AUTH_TOKEN``)
    is sent as ``authorization: Bearer <token>`` on every call. ``timeout``
    (seconds) is the default deadline of each unary call (none by default, as
    in the original).
    """

    def __init__(self, server_ip=None, server_port=None, token=None, timeout=None, options=None):
        if not server_ip:
            server_ip = os.getenv("FINE_TUNING_SERVICE_IP") or DEFAULT_FTS_GRPC_HOST
        if not server_port:
            server_port = os.getenv("FINE_TUNING_SERVICE_PORT") or DEFAULT_FTS_GRPC_PORT
        if token is None:
            token = os.getenv("FTS_AUTH_TOKEN") or None
        self.server_ip = str(server_ip)
        self.server_port = str(server_port)
        self.address = f"{self.server_ip}:{self.server_port}"
        self.timeout = timeout
        self._raw_channel = grpc.insecure_channel(self.address, options=options or ())
        self.channel = grpc.intercept_channel(self._raw_channel, _AuthInterceptor(token)) if token else self._raw_channel
        self.stub = FineTuningStudioStub(self.channel)
        self._job_getters = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ lifecycle

    def close(self):
        """Closes the channel (any call in flight is cancelled)."""
        self._raw_channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"FineTuningStudioClient({self.address!r})"

    def _unary(self, name, request):
        return getattr(self, name)(request)

    # ------------------------------------------------------------ the original's helpers

    def get_datasets(self):
        """Every dataset (ListDatasets), in insertion order."""
        return self._unary("ListDatasets", _pb2.ListDatasetsRequest()).datasets

    def get_prompts(self):
        """Every prompt (ListPrompts)."""
        return self._unary("ListPrompts", _pb2.ListPromptsRequest()).prompts

    def get_models(self):
        """Every model (ListModels)."""
        return self._unary("ListModels", _pb2.ListModelsRequest()).models

    def get_adapters(self):
        """Every adapter (ListAdapters)."""
        return self._unary("ListAdapters", _pb2.ListAdaptersRequest()).adapters

    def get_fine_tuning_jobs(self):
        """Every fine-tuning job (ListFineTuningJobs)."""
        return self._unary("ListFineTuningJobs", _pb2.ListFineTuningJobsRequest()).fine_tuning_jobs

    def get_evaluation_jobs(self):
        """Every evaluation job (ListEvaluationJobs)."""
        return self._unary("ListEvaluationJobs", _pb2.ListEvaluationJobsRequest()).evaluation_jobs

    # ------------------------------------------------------------ beyond the original

    def get_configs(self, type=None, model_id=None):  # noqa: A002 (the request field is named type)
        """Configs (ListConfigs), optionally of one ``type`` (a ConfigType) or for one model's family."""
        request = _pb2.ListConfigsRequest(type=str(type) if type else "", model_id=model_id or "")
        return self._unary("ListConfigs", request).configs

    # Where a job id is looked up, in the server's own order (job-lookup).
    _JOB_KINDS = (
        ("fine_tuning_job", "GetFineTuningJob", _pb2.GetFineTuningJobRequest, "fine_tuning_job"),
        ("evaluation_job", "GetEvaluationJob", _pb2.GetEvaluationJobRequest, "evaluation_job"),
        ("adapter_comparison", "GetAdapterComparison", _pb2.GetAdapterComparisonRequest, "comparison"),
        ("model_export", "GetModelExport", _pb2.GetModelExportRequest, "export"),
    )

    def get_job(self, job_id):
        """The job with this id, whatever its kind: a FineTuningJobMetadata, EvaluationJobMetadata,
        AdapterComparison or ModelExport. Raises FineTuningStudioError (NOT_FOUND) when none has it."""
        kind = self._job_getters.get(job_id)
        kinds = [k for k in self._JOB_KINDS if k[0] == kind] if kind else self._JOB_KINDS
        for kind, rpc, request_class, field in kinds:
            try:
                job = getattr(self._unary(rpc, request_class(id=job_id)), field)
            except FineTuningStudioError as e:
                if e.code == grpc.StatusCode.NOT_FOUND and len(kinds) > 1:
                    continue
                raise
            with self._lock:
                self._job_getters[job_id] = kind
            return job
        raise FineTuningStudioError(
            f"Job with ID '{job_id}' does not exist (no fine-tuning job, evaluation job, adapter comparison or model export has it).",
            code=grpc.StatusCode.NOT_FOUND,
            method="get_job",
        )

    def wait_for_job(self, job_id, timeout=None, poll_interval=1.0):
        """Polls the job until it reaches a terminal status (succeeded, failed, cancelled) and returns it.

        Works for fine-tuning jobs, evaluation jobs, adapter comparisons and
        model exports. ``timeout`` in seconds (None: wait forever); raises
        ``TimeoutError`` when it passes first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.get_job(job_id)
            if job.status in _TERMINAL:
                return job
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"Job '{job_id}' is still {job.status or 'pending'} after {timeout} s.")
                time.sleep(min(poll_interval, left))
            else:
                time.sleep(poll_interval)

    def watch_job(self, job_id, timeout=None):
        """Yields the job's updates (JobUpdate: ``kind`` "status" or "metric") in order, from its current
        status and metric points, then live, until the job ends (the WatchJob stream).

        A generator: stop early with ``break`` (or ``.close()``) and the call is cancelled.
        """
        kwargs = {"timeout": timeout} if timeout is not None else {}
        stream = self.WatchJob(_pb2.WatchJobRequest(job_id=job_id), **kwargs)
        try:
            for update in stream:
                yield update
        finally:
            stream.cancel()

    def cancel_job(self, job_id):
        """Cancels a fine-tuning or evaluation job and returns it as it is after the request
        (``cancelled``, or ``cancelling`` while the run stops). A finished job: FAILED_PRECONDITION."""
        try:
            return self._unary("CancelFineTuningJob", _pb2.CancelFineTuningJobRequest(id=job_id)).fine_tuning_job
        except FineTuningStudioError as e:
            if e.code != grpc.StatusCode.NOT_FOUND:
                raise
        try:
            return self._unary("CancelEvaluationJob", _pb2.CancelEvaluationJobRequest(id=job_id)).evaluation_job
        except FineTuningStudioError as e:
            if e.code != grpc.StatusCode.NOT_FOUND:
                raise
        raise FineTuningStudioError(
            f"Job with ID '{job_id}' does not exist (no fine-tuning or evaluation job has it).",
            code=grpc.StatusCode.NOT_FOUND,
            method="cancel_job",
        )


def _service_methods():
    """(name, request class name, response class name, server streaming) of every RPC, in the .proto's order."""
    proto = descriptor_pb2.ServiceDescriptorProto()
    _SERVICE.CopyToProto(proto)  # MethodDescriptor.server_streaming is missing from older protobuf runtimes
    short = lambda full: full.rsplit(".", 1)[-1]  # noqa: E731
    return [(m.name, short(m.input_type), short(m.output_type), m.server_streaming) for m in proto.method]


#: Every RPC of the service: name -> (request class, response class, server streaming).
RPCS = {name: (getattr(_pb2, req), getattr(_pb2, res), streaming) for name, req, res, streaming in _service_methods()}

# Every RPC of the service, under its own name (the original copied each stub callable onto the client).
for _name, (_request_class, _response_class, _streaming) in RPCS.items():
    _fn = _rpc_method(_name, _request_class, _streaming)
    _fn.__doc__ = (
        f"{_name}({_request_class.__name__}) -> "
        + (f"iterator of {_response_class.__name__}" if _streaming else _response_class.__name__)
        + ". Raises FineTuningStudioError (a ValueError) on failure."
    )
    setattr(FineTuningStudioClient, _name, _fn)
del _name, _request_class, _response_class, _streaming, _fn
