#!/usr/bin/env bash
# ctest packaging_appstream_metainfo: appstreamcli accepts the (configured) metainfo file and it
# names the desktop entry that is installed. Fails, naming the package, without appstreamcli.
#   metainfo-valid.sh METAINFO DESKTOP_FILE
set -euo pipefail
if ! command -v appstreamcli >/dev/null; then
    echo "FAIL: appstreamcli not found: install the Debian package appstream (scripts/packages.txt; scripts/setup.sh does)"
    exit 1
fi
appstreamcli validate --no-net --explain "$1"
id=$(sed -n 's:.*<launchable type="desktop-id">\(.*\)</launchable>.*:\1:p' "$1")
[[ $id == "$(basename "$2")" ]] || { echo "FAIL: launchable '$id' is not $(basename "$2")"; exit 1; }
grep -q '^Name\[de\]=' "$2" && grep -q '^Name\[fr\]=' "$2" || { echo "FAIL: $2 lacks Name[de]/Name[fr]"; exit 1; }
echo "ok: $1 valid, launches $id"
