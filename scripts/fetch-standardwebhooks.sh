#!/bin/sh
# Installs the reference Standard Webhooks verifier (npm package standardwebhooks, pinned) into
# DIR/node_modules for test_hub_webhook_signing's second opinion (scripts/setup.sh runs it for
# every build with tests). Needs node, npm and the npm registry; without the package the test fails
# with a message naming this script.
# Usage: scripts/fetch-standardwebhooks.sh DIR   (DIR: build/ci/tests/hub/npm)
set -eu
dir=${1:?usage: fetch-standardwebhooks.sh DIR}
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || printf '{ "private": true }\n' > package.json
[ -f node_modules/standardwebhooks/package.json ] && exit 0
exec npm install --no-audit --no-fund --save-exact standardwebhooks@1.3.0
