#!/usr/bin/env bash
# Keeps the architecture honest (ARCHITECTURE.md): library dependencies point one way, OpenCV
# stays in libs/vision (libs/pipeline uses it only through vision headers), Widgets stays in the console, and the edge/hub binaries do not link
# Qt Widgets. Run by ctest as test_architecture; also usable by hand:
#
#   scripts/check-architecture.sh [SOURCE_DIR] [BINARY...]
set -uo pipefail
src=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
shift || true
failures=0
fail() { echo "architecture: $*" >&2; failures=$((failures + 1)); }

# Which libraries each library may include (its own name is always allowed).
declare -A allowed=(
    [core]=""
    [analytics]="core"
    [vision]="core"
    [pipeline]="core analytics vision"
    [crypto]="core"
    [protocol]="core crypto"
    [http]="core crypto"
    [storage]="core crypto"
    [api]="core crypto protocol storage http"
    [enroll]="core crypto"
    [sync]="core crypto protocol storage api"
    [hub]="core crypto protocol http"
)
libs="${!allowed[*]}"
for lib in $libs; do
    [[ -d $src/libs/$lib ]] || continue
    while IFS= read -r line; do
        file=${line%%:*}
        dep=$(sed -E 's/.*#include "([a-z]+)\/.*/\1/' <<<"$line")
        [[ $dep == "$lib" ]] && continue
        [[ " $libs " == *" $dep "* ]] || continue
        [[ " ${allowed[$lib]} " == *" $dep "* ]] || fail "$file includes $dep/ but $lib may only depend on: ${allowed[$lib]:-nothing}"
    done < <(grep -rHE '^#include "[a-z]+/' "$src/libs/$lib" --include='*.h' --include='*.cpp' || true)
done

# OpenCV only inside libs/vision (tests and benchmarks may use it to check vision).
while IFS= read -r hit; do
    fail "OpenCV outside libs/vision: $hit"
done < <(grep -rlE '#include <opencv2/' "$src/libs" "$src/apps" --include='*.h' --include='*.cpp' | grep -v "^$src/libs/vision/" || true)

# One HTTP front (libs/http, limits enforced while reading): no QHttpServer anywhere, and the
# parser library (Boost.Beast) only inside libs/http.
while IFS= read -r hit; do
    fail "QHttpServer is not a front for hostile clients (use libs/http): $hit"
done < <(grep -rlE '#include <(QHttpServer|QAbstractHttpServer|QtHttpServer)' "$src/libs" "$src/apps" --include='*.h' --include='*.cpp' || true)
while IFS= read -r hit; do
    fail "Boost outside libs/http: $hit"
done < <(grep -rlE '#include <boost/' "$src/libs" "$src/apps" --include='*.h' --include='*.cpp' | grep -v "^$src/libs/http/" || true)

# Widgets/Charts only in the console.
while IFS= read -r hit; do
    fail "Qt Widgets outside apps/console: $hit"
done < <(grep -rlE '#include <(QtWidgets|QtCharts|QWidget|QMainWindow|QApplication|QDialog)' "$src/libs" "$src/apps" \
            --include='*.h' --include='*.cpp' | grep -v "^$src/apps/console/" || true)

# The console never sees OpenCV or the vision library.
while IFS= read -r hit; do
    fail "the console includes vision code: $hit"
done < <(grep -rlE '#include ("vision/|<opencv2/)' "$src/apps/console" --include='*.h' --include='*.cpp' || true)

# The console is a client: it speaks the protocol (libs/protocol) and never includes the edge's
# HTTP server, its key store or its pipeline.
while IFS= read -r hit; do
    fail "the console includes server code: $hit"
done < <(grep -rlE '#include "(api|pipeline|analytics)/' "$src/apps/console" --include='*.h' --include='*.cpp' || true)

# Logic stays out of main.cpp: no main.cpp longer than 40 lines.
for main in "$src"/apps/*/main.cpp; do
    lines=$(wc -l <"$main")
    ((lines <= 40)) || fail "$main has $lines lines: move logic into libs/ or the app's composition files"
done

# Built binaries: edge and hub must not link Qt Widgets.
for bin in "$@"; do
    if [[ ! -f $bin ]]; then
        fail "binary $bin not found"
        continue
    fi
    if readelf -d "$bin" | grep -qE 'libQt6(Widgets|Charts)'; then
        fail "$(basename "$bin") links Qt Widgets/Charts"
    fi
done

if ((failures)); then
    echo "architecture: $failures problem(s)" >&2
    exit 1
fi
echo "architecture: dependency direction, OpenCV and Widgets boundaries OK"
