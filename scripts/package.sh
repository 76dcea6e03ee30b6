#!/usr/bin/env bash
# Builds the Debian packages signiq-edge, signiq-hub and signiq-console (CPack DEB, one per
# component; version = the project version in CMakeLists.txt) into build/package/packages/.
#
#   scripts/package.sh            # set up (Debian packages from scripts/packages.txt), build, package
#
# Release build (preset ci: warnings are errors) of the three programs only; no tests.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '\033[1m[package]\033[0m %s\n' "$*" >&2; }

cd "$repo"
"$repo/scripts/setup.sh" ci signiq-edge signiq-hub signiq-console signiq_console_icons
log "packaging (cpack, DEB)"
rm -rf build/ci/packages
(cd build/ci && cpack -G DEB --config CPackConfig.cmake >/dev/null)
shopt -s nullglob
debs=(build/ci/packages/*.deb)
((${#debs[@]} == 3)) || { log "expected 3 packages, got ${#debs[@]}: ${debs[*]}"; exit 1; }
for deb in "${debs[@]}"; do
    log "$deb: $(dpkg-deb -f "$deb" Depends)"
done
printf '%s\n' "${debs[@]}"
