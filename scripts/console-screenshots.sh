#!/usr/bin/env bash
# Builds signiq-console and saves every page, filled with the console's synthetic demo data
# (labelled "DEMO DATA" in the UI), as docs/images/console-*.png. Runs under Xvfb, so it works on
# a headless machine; the pages are captured with QWidget::grab() by the app's --screenshot mode.
#
#   scripts/console-screenshots.sh [OUTPUT_DIR]
#
# Environment: SIGNIQ_CONSOLE_BUILD_DIR (default build-console), JOBS (default 2).
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SIGNIQ_CONSOLE_BUILD_DIR:-$src/build-console}
out=${1:-$src/docs/images}
command -v xvfb-run >/dev/null || { echo "console-screenshots: xvfb-run not found (apt-get install xvfb xauth)" >&2; exit 1; }

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" -j"${JOBS:-2}" signiq-console

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
shoot() { # LANGUAGE DIR
    QT_QPA_PLATFORM=xcb LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        xvfb-run -a -s "-screen 0 1600x1000x24" "$build/apps/console/signiq-console" --language "$1" --screenshot "$2"
}
shoot en "$tmp/en"
cp "$tmp"/en/console-*.png "$out"/
# One page in German to show the translations.
shoot de "$tmp/de"
cp "$tmp/de/console-dashboard.png" "$out/console-dashboard-de.png"
ls -1 "$out"/console-*.png
