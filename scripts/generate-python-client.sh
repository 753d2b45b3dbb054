#!/usr/bin/env bash
# Regenerates the Python client's protobuf/gRPC modules from libs/proto/fine_tuning_studio.proto.
#
#   bash scripts/generate-python-client.sh            # writes clients/python/ft/proto/ (the checked-in copy)
#   bash scripts/generate-python-client.sh <out_dir>  # writes somewhere else (the staleness test compares the two)
#
# Writes fine_tuning_studio.proto (a copy), fine_tuning_studio_pb2.py, fine_tuning_studio_pb2.pyi and
# fine_tuning_studio_pb2_grpc.py; ft/proto/__init__.py is hand-written and left alone.
#
# Two generators, on purpose:
# * the gRPC stubs (_pb2_grpc.py) come from Debian's python3-grpc-tools plugin:
#   `/usr/bin/python3 -m grpc_tools.protoc --grpc_python_out` (plain grpc calls, any grpcio >= 1.51);
# * the messages (_pb2.py / .pyi) come from Debian's protoc 3.21 (package protobuf-compiler). grpc_tools
#   bundles protoc 3.5.1, whose _pb2.py builds descriptors directly and fails to import under protobuf
#   >= 4.21 with the upb backend ("Descriptors cannot be created directly") -- i.e. every current
#   protobuf from PyPI. protoc 3.21's builder-style module is for protobuf 3.20 and later (checked:
#   Debian's python3-protobuf 3.21, and protobuf 6.33 / 7.36 in clients/python/tests).
#
# Then the generated import in _pb2_grpc.py is made package-relative, and the messages are registered
# under the module's real name (ft.proto.fine_tuning_studio_pb2), so they pickle.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PROTO="$REPO/libs/proto/fine_tuning_studio.proto"
OUT="${1:-$REPO/clients/python/ft/proto}"
PYTHON="${FTS_GEN_PYTHON:-/usr/bin/python3}"
PROTOC="${FTS_GEN_PROTOC:-protoc}"

die() { echo "generate-python-client: $*" >&2; exit 1; }

command -v "$PROTOC" >/dev/null 2>&1 || die "'$PROTOC' not found: apt-get install -y protobuf-compiler"
protoc_version="$("$PROTOC" --version | awk '{print $2}')"
case "$protoc_version" in
  3.21.*) ;;
  *) [ "${FTS_ALLOW_ANY_PROTOC:-}" = 1 ] || die "protoc $protoc_version found; the checked-in code comes from Debian's protoc 3.21.x (set FTS_ALLOW_ANY_PROTOC=1 to use it anyway)" ;;
esac
"$PYTHON" -c 'import grpc_tools.protoc' 2>/dev/null || die "$PYTHON cannot import grpc_tools: apt-get install -y python3-grpc-tools"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$PROTO" "$work/fine_tuning_studio.proto"

(cd "$work" && "$PROTOC" -I. --python_out=. --pyi_out=. fine_tuning_studio.proto) || die "protoc failed"
(cd "$work" && "$PYTHON" -m grpc_tools.protoc -I. --grpc_python_out=. fine_tuning_studio.proto) || die "grpc_tools.protoc failed"

HEADER="# Generated from libs/proto/fine_tuning_studio.proto by scripts/generate-python-client.sh -- do not edit."

fix() { # fix <file> <python regex> <replacement>: exactly one substitution, or fail
  "$PYTHON" - "$@" <<'EOF' || die "post-processing $1 failed"
import re, sys
path, pattern, repl = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
new, n = re.subn(pattern, repl, text, flags=re.M)
if n != 1:
    sys.exit(f"{path}: expected one match of {pattern!r}, found {n}")
open(path, "w", encoding="utf-8").write(new)
EOF
}

fix "$work/fine_tuning_studio_pb2_grpc.py" '^import fine_tuning_studio_pb2 as ' 'from . import fine_tuning_studio_pb2 as '
fix "$work/fine_tuning_studio_pb2.py" "BuildTopDescriptorsAndMessages\(DESCRIPTOR, 'fine_tuning_studio_pb2', globals\(\)\)" 'BuildTopDescriptorsAndMessages(DESCRIPTOR, __name__, globals())'

mkdir -p "$OUT"
for f in fine_tuning_studio_pb2.py fine_tuning_studio_pb2.pyi fine_tuning_studio_pb2_grpc.py; do
  { echo "$HEADER"; cat "$work/$f"; } > "$OUT/$f"
done
{ echo "// Copy of libs/proto/fine_tuning_studio.proto, written by scripts/generate-python-client.sh -- do not edit."; cat "$PROTO"; } > "$OUT/fine_tuning_studio.proto"
echo "generate-python-client: wrote $OUT (protoc $protoc_version, grpc plugin from $PYTHON -m grpc_tools.protoc)"
