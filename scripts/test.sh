#!/usr/bin/env bash
# Sets up (packages + build with the `ci` preset: warnings are errors) and runs the whole test
# suite with ctest. Benchmarks (label `perf`) are separate programs and are not run here.
#
#   scripts/test.sh [extra ctest arguments, e.g. -R storage]
#
# Tests read verified model files from a local mirror: SIGNIQ_MODEL_MIRROR, default ../shared/models.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${SIGNIQ_PRESET:-ci}

"$repo/scripts/setup.sh" "$preset"

mirror=${SIGNIQ_MODEL_MIRROR:-$repo/../shared/models}
if [[ ! -f $mirror/MANIFEST.md && ! -f $mirror/yolo-fastest-1.1_body.cfg ]]; then
    echo "[test] model mirror not found at $mirror (set SIGNIQ_MODEL_MIRROR to a directory with the model files)" >&2
    exit 1
fi

cd "$repo"
echo "[test] running ctest (preset $preset)" >&2
ctest --preset "$preset" "$@"
