#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the hub's tests and demo: no system service, no TCP port
# (unix socket in DIR only), run as the `postgres` OS user. See docs/hub.md.
#
#   scripts/pg-cluster.sh start  DIR [PORT]   initdb (first time), start, create the three roles and
#                                             the database `signiq` (idempotent)
#   scripts/pg-cluster.sh stop   DIR          stop the server (idempotent)
#   scripts/pg-cluster.sh status DIR          exit 0 when running, 3 when stopped
#   scripts/pg-cluster.sh fresh-db DIR NAME...  drop and re-create databases owned by signiq_owner
#   scripts/pg-cluster.sh drop-db DIR NAME...   drop databases (for tests that create their own)
#
# Layout of DIR (owned by postgres, mode 0700):
#   DIR/data                      the cluster (PGDATA)
#   DIR/.s.PGSQL.<PORT>           the unix socket (listen_addresses = '': no TCP at all)
#   DIR/port                      the port (the socket's number), read by stop/status/fresh-db
#   DIR/credentials/<role>.password  the roles' random passwords (root-owned, mode 0600); point
#                                 signiq-hub at them with --password-file or CREDENTIALS_DIRECTORY
#   DIR/server.log                the server's log
#
# Roles (docs/hub.md): signiq_owner (owns the schema, runs migrations and retention),
# signiq_app (what the hub logs in as: owns nothing, NOSUPERUSER, NOBYPASSRLS), signiq_backup
# (read-only, BYPASSRLS so that pg_dump sees every organisation's rows).
set -euo pipefail

bindir=${SIGNIQ_PG_BINDIR:-/usr/lib/postgresql/15/bin}
roles=(signiq_owner signiq_app signiq_backup)

log() { printf '[pg-cluster] %s\n' "$*" >&2; }
die() { printf '[pg-cluster] error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

(($# >= 2)) || usage
command=$1
dir=$2

[[ -x $bindir/initdb && -x $bindir/pg_ctl && -x $bindir/postgres ]] \
    || die "PostgreSQL 15 binaries not found in $bindir (Debian package postgresql-15; or set SIGNIQ_PG_BINDIR)"
id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (install the Debian package postgresql)"

# Run as the postgres OS user (initdb and postgres refuse to run as root).
as_postgres() {
    if [[ $(id -un) == postgres ]]; then
        "$@"
    elif [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        sudo -u postgres -- "$@"
    fi
}

data=$dir/data
port_of() {
    if [[ -f $dir/port ]]; then cat "$dir/port"; else echo "${1:-55432}"; fi
}
psql_su() { # psql as the postgres superuser over the private socket (peer authentication)
    as_postgres env PGOPTIONS='-c client_min_messages=warning' "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$(port_of)" -U postgres -d "${PSQL_DB:-postgres}" "$@"
}
running() { [[ -f $data/PG_VERSION ]] && as_postgres "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case $command in
start)
    port=${3:-55432}
    [[ $port =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "bad port '$port' (expected 1..65535)"
    dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
    data=$dir/data
    # The socket path must fit in sun_path (107 bytes).
    ((${#dir} + 20 < 107)) || die "DIR '$dir' is too long for a unix socket path; use a shorter one"
    if [[ -f $dir/port && $(cat "$dir/port") != "$port" ]] && running; then
        die "the cluster in $dir is running on port $(cat "$dir/port"), not $port: stop it first"
    fi
    chown postgres: "$dir"
    chmod 0700 "$dir"
    # The postgres user must be able to reach DIR.
    as_postgres test -x "$dir" || die "the postgres user cannot enter $dir (a parent directory is not searchable)"
    if [[ ! -f $data/PG_VERSION ]]; then
        log "initdb $data"
        as_postgres "$bindir/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=reject \
            --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; die "initdb failed (log above)"; }
        cat >"$data/pg_hba.conf" <<'EOF'
# Private cluster (scripts/pg-cluster.sh): unix socket only.
local   all   postgres                 peer
local   all   all                      scram-sha-256
EOF
        chown postgres: "$data/pg_hba.conf"
    fi
    echo "$port" >"$dir/port"
    cat >"$data/postgresql.auto.conf" <<EOF
# Written by scripts/pg-cluster.sh on every start.
listen_addresses = ''
port = $port
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
shared_buffers = '64MB'
timezone = 'UTC'
log_min_messages = warning
EOF
    chown postgres: "$data/postgresql.auto.conf"
    if running; then
        log "already running ($dir, port $port)"
    else
        log "starting PostgreSQL 15 ($dir, socket port $port)"
        as_postgres "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null \
            || { tail -20 "$dir/server.log" >&2 || true; die "the server did not start (log above: $dir/server.log)"; }
    fi
    # Roles with random passwords (kept across restarts), then the database.
    mkdir -p "$dir/credentials"
    chmod 0700 "$dir/credentials"
    for role in "${roles[@]}"; do
        file=$dir/credentials/$role.password
        if [[ ! -s $file ]]; then
            (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$file")
        fi
        chmod 0600 "$file"
    done
    pw() { cat "$dir/credentials/$1.password"; }
    psql_su -v owner_pw="$(pw signiq_owner)" -v app_pw="$(pw signiq_app)" -v backup_pw="$(pw signiq_backup)" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY['signiq_owner','signiq_app','signiq_backup']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE signiq_owner  LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD :'owner_pw';
ALTER ROLE signiq_app    LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD :'app_pw';
ALTER ROLE signiq_backup LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS   NOREPLICATION PASSWORD :'backup_pw';
SELECT 'CREATE DATABASE signiq OWNER signiq_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'signiq') \gexec
SQL
    PSQL_DB=signiq psql_su -c 'REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE ALL ON DATABASE signiq FROM PUBLIC; GRANT CONNECT ON DATABASE signiq TO signiq_owner, signiq_app, signiq_backup;'
    log "ready: host=$dir port=$port dbname=signiq (roles ${roles[*]}; passwords in $dir/credentials)"
    ;;
stop)
    if [[ ! -f $data/PG_VERSION ]]; then
        log "no cluster in $dir: nothing to stop"
    elif running; then
        log "stopping ($dir)"
        as_postgres "$bindir/pg_ctl" -D "$data" -w -t 60 -m fast stop >/dev/null || die "pg_ctl stop failed (see $dir/server.log)"
        log "stopped"
    else
        log "not running ($dir)"
    fi
    ;;
status)
    if running; then
        log "running ($dir, port $(port_of))"
    else
        log "not running ($dir)"
        exit 3
    fi
    ;;
fresh-db)
    (($# >= 3)) || usage
    running || die "the cluster in $dir is not running (scripts/pg-cluster.sh start $dir)"
    for name in "${@:3}"; do
        [[ $name =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "bad database name '$name' (lower-case letters, digits, _)"
        log "fresh database $name"
        psql_su -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name OWNER signiq_owner"
        PSQL_DB=$name psql_su -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE ALL ON DATABASE $name FROM PUBLIC; GRANT CONNECT ON DATABASE $name TO signiq_owner, signiq_app, signiq_backup;"
    done
    ;;
drop-db)
    (($# >= 3)) || usage
    running || die "the cluster in $dir is not running (scripts/pg-cluster.sh start $dir)"
    for name in "${@:3}"; do
        [[ $name =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "bad database name '$name' (lower-case letters, digits, _)"
        log "drop database $name"
        psql_su -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"
    done
    ;;
*)
    usage
    ;;
esac
