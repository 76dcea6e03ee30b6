#!/usr/bin/env bash
# ctest packaging_systemd_exposure: `systemd-analyze security --offline=yes` of every unit must
# report an overall exposure <= MAX (2.0). Fails, naming the package, without systemd-analyze.
#   unit-exposure.sh MAX UNIT...
set -euo pipefail
max=$1; shift
if ! command -v systemd-analyze >/dev/null; then
    echo "FAIL: systemd-analyze not found: install the Debian package systemd (scripts/packages.txt; scripts/setup.sh does)"
    exit 1
fi
status=0
for unit in "$@"; do
    out=$(systemd-analyze security --offline=yes "$unit" 2>&1) || true
    level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
    if [[ -z $level ]]; then
        echo "FAIL: $unit: no exposure level in systemd-analyze's output:"; echo "$out"; status=1; continue
    fi
    if awk -v l="$level" -v m="$max" 'BEGIN { exit !(l <= m) }'; then
        echo "ok: $(basename "$unit"): exposure $level <= $max"
    else
        echo "FAIL: $(basename "$unit"): exposure $level > $max"; grep '✗' <<<"$out" || true; status=1
    fi
done
exit $status
