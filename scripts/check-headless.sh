#!/usr/bin/env bash
# Checks that the headless programs (signiq-edge on a player, signiq-hub on a server) do not
# link Qt Widgets or Qt Charts, directly or through a library.
#
#   scripts/check-headless.sh [BUILD_DIR]   default build/headless
set -euo pipefail
build=${1:-build/headless}
status=0
for program in apps/edge-runtime/signiq-edge apps/hub/signiq-hub; do
    path=$build/$program
    if [[ ! -x $path ]]; then
        echo "[headless] $path is missing: build it with scripts/setup.sh headless signiq-edge signiq-hub" >&2
        status=1
        continue
    fi
    if found=$(ldd "$path" | grep -E 'libQt6(Widgets|Charts|OpenGLWidgets)\.so'); then
        echo "[headless] $(basename "$path") links desktop libraries:" >&2
        echo "$found" >&2
        status=1
    else
        echo "[headless] $(basename "$path"): no Qt Widgets or Charts" >&2
    fi
done
exit $status
