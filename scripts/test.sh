#!/usr/bin/env bash
# The test command (CI runs exactly this). On a fresh Debian 12 machine it installs the packages,
# then runs four stages, each with progress on stderr:
#   1. `ci` preset (warnings are errors): build everything, run every test except label `perf`;
#   2. `headless` preset: build the edge and the hub without Qt Widgets and check that neither
#      program links Widgets or Charts (the player and the server carry no desktop libraries);
#   3. `asan` preset (AddressSanitizer + UBSan, Debug): build the libraries, the edge, the hub and
#      their tests, and run the `unit` and `integration` labels;
#   4. `fuzz` preset (clang 14, libFuzzer + ASan + UBSan): build only the fuzz targets, replay the
#      stored crash inputs and fuzz every target for 15 s (scripts/fuzz.sh; docs/security.md).
# Benchmarks (label `perf`, programs in bench/) are never run here. The hub's integration tests
# start a private PostgreSQL 15 cluster in the build tree (CTest fixture, scripts/pg-cluster.sh;
# socket only) and stop it after the last hub test, in stages 1 and 3.
#
#   scripts/test.sh                      all stages
#   scripts/test.sh --quick [ctest args] stage 1 only, e.g. scripts/test.sh --quick -R storage
#
# Tests read verified model files from a local mirror: SIGNIQ_MODEL_MIRROR, default ../shared/models.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${SIGNIQ_PRESET:-ci}
quick=0
if [[ ${1:-} == --quick ]]; then
    quick=1
    shift
fi
(($#)) && quick=1

log() { printf '\033[1m[test]\033[0m %s\n' "$*" >&2; }
started=$SECONDS
stage() { log "[$(((SECONDS - started) / 60)) min] $*"; }

mirror=${SIGNIQ_MODEL_MIRROR:-$repo/../shared/models}
if [[ ! -f $mirror/MANIFEST.md && ! -f $mirror/yolo-fastest-1.1_body.cfg ]]; then
    echo "[test] model mirror not found at $mirror (set SIGNIQ_MODEL_MIRROR to a directory with the model files)" >&2
    exit 1
fi

stage "stage 1/4: build and test (preset $preset)"
"$repo/scripts/setup.sh" "$preset"
cd "$repo"
ctest --preset "$preset" "$@"
if ((quick)); then
    stage "done (quick: stage 1 only)"
    exit 0
fi

stage "stage 2/4: headless build (edge and hub without Qt Widgets)"
"$repo/scripts/setup.sh" headless signiq-edge signiq-hub
"$repo/scripts/check-headless.sh" "$repo/build/headless"

stage "stage 3/4: AddressSanitizer + UBSan build, unit and integration tests"
"$repo/scripts/setup.sh" asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --preset asan

stage "stage 4/4: libFuzzer targets, 15 s each (scripts/fuzz.sh)"
"$repo/scripts/fuzz.sh" --seconds "${SIGNIQ_FUZZ_SECONDS:-15}"

stage "all stages passed"
