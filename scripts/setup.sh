#!/usr/bin/env bash
# Installs the Debian packages Signiq needs (idempotent: apt runs only when something is missing),
# then configures and builds with a CMake preset.
#
#   scripts/setup.sh [PRESET [TARGET...]]   PRESET = dev (default) | ci | headless | asan | fuzz
#                                           TARGETs: build only these (default: everything)
#
# Works on a fresh Debian 12 machine as root (or as a user with sudo).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-dev}
targets=("${@:2}")

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi

mapfile -t wanted < <(grep -v '^\s*#' "$repo/scripts/packages.txt" | grep -v '^\s*$')
missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]})); then
    log "installing ${#missing[@]} Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    log "packages installed"
else
    log "all ${#wanted[@]} Debian packages already installed"
fi

# npm: Debian's nodejs has none (NodeSource's includes it), so the Debian package only when missing.
if ! command -v npm >/dev/null; then
    log "installing npm (the reference Standard Webhooks verifier for test_hub_webhook_signing)"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

cd "$repo"
# ccache: paths relative to the checkout, so another clone of the repository (CI) reuses the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$repo}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
if [[ ! -f build/$preset/build.ninja ]]; then
    log "configuring (preset $preset)"
    cmake --preset "$preset" >/dev/null
fi
log "building (preset $preset, 2 jobs${targets:+, targets: ${targets[*]}})"
target_args=()
((${#targets[@]})) && target_args=(--target "${targets[@]}")
if ! cmake --build --preset "$preset" "${target_args[@]}"; then
    log "build failed (preset $preset); fix the error above and run scripts/setup.sh $preset again"
    exit 1
fi
# The webhook signing test's reference verifier (a pinned npm package), for builds with tests.
if [[ -d build/$preset/tests/hub ]] && ! "$repo/scripts/fetch-standardwebhooks.sh" "build/$preset/tests/hub/npm" >/dev/null; then
    log "cannot install the npm package standardwebhooks (needs the npm registry); test_hub_webhook_signing will fail"
    exit 1
fi
log "built: $repo/build/$preset"
