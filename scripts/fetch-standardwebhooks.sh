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
# npm trusts the machine's CA store (Debian's npm otherwise uses only node's built-in list), so a
# TLS-inspecting proxy whose CA the machine trusts works as it does for apt and curl.
set --
[ -f /etc/ssl/certs/ca-certificates.crt ] && set -- --cafile /etc/ssl/certs/ca-certificates.crt
exec npm install "$@" --no-audit --no-fund --save-exact standardwebhooks@1.3.0
