"""Generated protobuf and gRPC modules (scripts/generate-python-client.sh); use ``ft.api`` instead."""
