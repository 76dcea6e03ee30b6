#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang 14, ASan + UBSan; packages as setup.sh
# installs them) and runs each one for a while. See docs/security.md, "Fuzzing".
#
#   scripts/fuzz.sh [--seconds N] [--no-build] [TARGET...]
#       N        seconds per target (default 60; CI runs 15)
#       TARGET   fuzz_http_request, http_request, ... (default: every tests/fuzz/fuzz_*.cpp)
#
# First every stored crash input in tests/fuzz/regressions/<name>/ is replayed (each must pass
# now), then the fuzzer runs on the seeds in tests/fuzz/corpus/<name>/ plus what earlier runs
# found (build/fuzz/corpus/<name>/, kept between runs). A crash, sanitizer report, leak or
# timeout makes the script fail; the input that caused it is saved under
# build/fuzz/crashes/<name>/ and the log under build/fuzz/logs/<name>.log.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=60
build=1
targets=()
while (($#)); do
    case $1 in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --seconds=*) seconds=${1#--seconds=}; shift ;;
    --no-build) build=0; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) name=${1#fuzz_}; targets+=("$name"); shift ;;
    esac
done
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --seconds takes a whole number" >&2; exit 2; }

log() { printf '\033[1m[fuzz]\033[0m %s\n' "$*" >&2; }

if ((${#targets[@]} == 0)); then
    for f in "$repo"/tests/fuzz/fuzz_*.cpp; do
        f=${f##*/fuzz_}
        targets+=("${f%.cpp}")
    done
fi
for t in "${targets[@]}"; do
    [[ -f $repo/tests/fuzz/fuzz_$t.cpp ]] || { echo "fuzz.sh: no target fuzz_$t (tests/fuzz/fuzz_$t.cpp)" >&2; exit 2; }
done

# Longest input per target: enough for the formats, small enough to stay fast.
max_len() {
    case $1 in
    api_key) echo 128 ;;
    query_string) echo 1024 ;;
    zone_config | audit_export) echo 8192 ;;
    *) echo 4096 ;;
    esac
}

out=$repo/build/fuzz
if ((build)); then
    "$repo/scripts/setup.sh" fuzz "${targets[@]/#/fuzz_}"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
for t in "${targets[@]}"; do
    bin=$out/tests/fuzz/fuzz_$t
    [[ -x $bin ]] || { log "fuzz_$t: not built ($bin); run without --no-build"; failed+=("$t"); continue; }
    seeds=$repo/tests/fuzz/corpus/$t
    work=$out/corpus/$t
    crashes=$out/crashes/$t
    regressions=$repo/tests/fuzz/regressions/$t
    logfile=$out/logs/$t.log
    mkdir -p "$work" "$crashes" "$out/logs"
    : >"$logfile"

    mapfile -t stored < <(find "$regressions" -type f 2>/dev/null | sort)
    if ((${#stored[@]})); then
        log "fuzz_$t: replaying ${#stored[@]} stored regression input(s)"
        if ! "$bin" -artifact_prefix="$crashes/" "${stored[@]}" >>"$logfile" 2>&1; then
            tail -n 40 "$logfile" >&2
            log "fuzz_$t: FAILED on a stored regression input in $regressions (log: $logfile)"
            failed+=("$t")
            continue
        fi
    fi

    len=$(max_len "$t")
    log "fuzz_$t: fuzzing for ${seconds} s (max_len $len, seeds $seeds)"
    if "$bin" -max_total_time="$seconds" -max_len="$len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$work" "$seeds" >>"$logfile" 2>&1; then
        runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$logfile" | grep -Eo '[0-9]+$' | tail -n 1)
        cov=$(grep -Eo 'cov: [0-9]+' "$logfile" | tail -n 1)
        log "fuzz_$t: ok (${runs:-?} runs, ${cov:-cov: ?}, corpus $(find "$work" -type f | wc -l) files)"
    else
        tail -n 60 "$logfile" >&2
        artifact=$(grep -Eo "Test unit written to [^ ]+" "$logfile" | tail -n 1 | sed 's/Test unit written to //')
        log "fuzz_$t: FAILED; crashing input saved as ${artifact:-(see $crashes)}; full log: $logfile"
        log "  replay: $bin ${artifact:-$crashes/<file>}"
        failed+=("$t")
    fi
done

if ((${#failed[@]})); then
    log "failed: ${failed[*]/#/fuzz_}"
    exit 1
fi
log "all ${#targets[@]} targets passed (${seconds} s each)"
