#!/usr/bin/env bash
# The hub, end to end, on this machine: a private PostgreSQL 15 cluster in build/hub-demo/pg
# (scripts/pg-cluster.sh: unix socket only, no system service), migrations, a demo organisation
# (pro) with two sites in different time zones, a device each with three days of generated
# windows, an API key (printed once), a self-signed TLS identity for localhost, and
# `signiq-hub serve` on https://127.0.0.1:PORT until Ctrl-C (which also stops the cluster).
#
#   scripts/hub-demo.sh [PORT]          PORT: the HTTPS port (default 8443)
#   SIGNIQ_HUB=path/to/signiq-hub       (default build/ci/apps/hub/signiq-hub, built if missing)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${1:-8443}
demo=$repo/build/hub-demo
pg=$demo/pg
pg_port=55433
hub=${SIGNIQ_HUB:-$repo/build/ci/apps/hub/signiq-hub}
log() { printf '\033[1m[hub-demo]\033[0m %s\n' "$*" >&2; }

if [[ ! -x $hub ]]; then
    log "building signiq-hub"
    "$repo/scripts/setup.sh" ci signiq-hub
fi
mkdir -p "$demo"
"$repo/scripts/pg-cluster.sh" start "$pg" "$pg_port"
"$repo/scripts/pg-cluster.sh" fresh-db "$pg" signiq_demo
trap '"$repo/scripts/pg-cluster.sh" stop "$pg" || true' EXIT

export CREDENTIALS_DIRECTORY=$pg/credentials
db="host=$pg port=$pg_port dbname=signiq_demo"
"$hub" migrate --db "$db"
org=$("$hub" org create --db "$db" --name "Demo Retail" --tier pro)
paris=$("$hub" site create --db "$db" --org "$org" --name "Paris flagship" --time-zone Europe/Paris)
nyc=$("$hub" site create --db "$db" --org "$org" --name "New York store" --time-zone America/New_York)
"$hub" demo seed --db "$db" --org "$org" --site "$paris" --name "Paris window screen" >/dev/null
"$hub" demo seed --db "$db" --org "$org" --site "$nyc" --name "NYC entrance screen" >/dev/null
key=$("$hub" keys create --db "$db" --org "$org" --scopes read,analytics,export --name demo)

# A self-signed identity for localhost / 127.0.0.1 (EC P-256); curl trusts it with --cacert.
tls=$demo/tls
mkdir -p "$tls"
if [[ ! -f $tls/hub.pem ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=signiq-hub demo" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$tls/hub.key" -out "$tls/hub.pem" 2>/dev/null
fi
chmod 0600 "$tls/hub.key"

cat >&2 <<MSG

  organisation $org   sites: Paris $paris, New York $nyc
  API key (shown once): $key

  Try:
    curl --cacert $tls/hub.pem -H "Authorization: Bearer $key" https://localhost:$port/v1/sites
    curl --cacert $tls/hub.pem -H "Authorization: Bearer $key" "https://localhost:$port/v1/trends"
    curl --cacert $tls/hub.pem -H "Authorization: Bearer $key" "https://localhost:$port/v1/windows?site=$paris&limit=5"

MSG
QT_LOGGING_RULES="${QT_LOGGING_RULES:-signiq.hub.info=true}" \
    "$hub" serve --db "$db" --listen 127.0.0.1 --port "$port" --tls-cert "$tls/hub.pem" --tls-key "$tls/hub.key"
