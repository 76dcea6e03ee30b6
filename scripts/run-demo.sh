#!/usr/bin/env bash
# The main job on the built-in default: sets up (Debian packages + build), installs the models,
# and runs the edge pipeline on the sample video vtest.avi (Debian opencv-doc) with the default
# zones from resources/zones/vtest.json, storing audience windows in an encrypted database
# created on the spot (build/demo/), then prints what it measured.
#
#   scripts/run-demo.sh [extra signiq-edge run options, e.g. --model yolox-nano]
#
# Models come from the local mirror SIGNIQ_MODEL_MIRROR (default ../shared/models) when it
# exists, otherwise from their upstream URLs.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$repo/scripts/setup.sh" dev signiq-edge
bin=$repo/build/dev/apps/edge-runtime/signiq-edge

mirror=${SIGNIQ_MODEL_MIRROR:-$repo/../shared/models}
if [[ -d $mirror ]]; then
    "$bin" models install --from "$mirror"
else
    "$bin" models install
fi

video=${SIGNIQ_SAMPLE_VIDEO:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
demo=$repo/build/demo
mkdir -p "$demo"
"$bin" run --once \
    --source "$video" \
    --config "$repo/resources/zones/vtest.json" \
    --db "$demo/signiq.db" --key-file "$demo/signiq.key" --init-key \
    --report "$demo/report.json" \
    "$@"
echo
echo "Stored windows: $bin windows --db $demo/signiq.db --key-file $demo/signiq.key"
