#!/usr/bin/env bash
# Installs the model files listed in models/models.json into the model directory, verifying sha256.
#
#   scripts/install-models.sh [--from MIRROR_DIR] [--dir MODEL_DIR] [NAME...]
#
# Without --from the files are downloaded from their upstream URLs. A thin wrapper around
# `signiq-edge models install` (builds it first if needed).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${SIGNIQ_EDGE_BIN:-$repo/build/dev/apps/edge-runtime/signiq-edge}
if [[ ! -x $bin ]]; then
    "$repo/scripts/setup.sh" dev signiq-edge
fi
exec "$bin" models install "$@"
