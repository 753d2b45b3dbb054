"""Constants of the original ``ft.consts`` that client scripts use."""

DEFAULT_FTS_GRPC_PORT = "50051"
DEFAULT_FTS_GRPC_HOST = "127.0.0.1"
DEFAULT_CONFIGS = 1
USER_CONFIGS = 0
