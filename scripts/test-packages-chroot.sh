#!/usr/bin/env bash
# The inside of scripts/test-packages.sh: runs as root in a brand-new minimal Debian 12 root,
# booted with systemd (systemd-nspawn --boot) or, where that does not work, a chroot without
# systemd, with the packages staged in STAGE:
#   STAGE/prev/*.deb   the previous version (3 migrations)     STAGE/cur/*.deb  this version
#   STAGE/models/      the model mirror (../shared/models)
#
#   test-packages-chroot.sh STAGE PG_PORT HUB_PORT EDGE_API_PORT
#
# Under systemd the units run as they do on a server (systemctl start/stop, the sandboxing, the
# journal). In a chroot there is no systemd, so `emu_start` runs a unit the way systemd would,
# from the unit file itself: its ExecStart (with
# systemd's ${VAR}/$VAR expansion and %i), EnvironmentFile=s, User=/Group=/SupplementaryGroups=,
# StateDirectory=, LoadCredential= (copied into $CREDENTIALS_DIRECTORY, readable by the unit's
# user only) and a $NOTIFY_SOCKET it listens on (READY=1, WATCHDOG=1, STOPPING=1) with
# $WATCHDOG_USEC from WatchdogSec=. The sandboxing directives (ProtectSystem=, SystemCallFilter=,
# ...) are NOT applied here; packaging_systemd_exposure checks them with systemd-analyze.
set -uo pipefail

stage=$1
pg_port=$2
hub_port=$3
edge_port=$4
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin
video=/usr/share/doc/opencv-doc/examples/data/vtest.avi
run=/run/signiq-test
mkdir -p "$run"
chmod 0755 "$run"

passed=()
failed=()
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
pass() { passed+=("$1"); printf '  PASS  %s\n' "$1"; }
fail() { failed+=("$1"); printf '  FAIL  %s\n' "$1"; }
# check NAME COMMAND...: PASS when the command succeeds.
check() {
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}
summary() {
    printf '\n\033[1m== summary\033[0m: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
    for f in "${failed[@]}"; do printf '  FAIL  %s\n' "$f"; done
    if ((${#failed[@]} == 0)); then echo "PASS"; exit 0; else echo "FAIL"; exit 1; fi
}
# A step that the rest depends on: stop here when it fails.
need() {
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; summary; fi
}
apt_install() {
    apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold "$@"
}
# Wait (at most $2 seconds) until the command $3... succeeds.
wait_for() {
    local seconds=$1
    shift
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# --- systemd's part, from the unit file ------------------------------------------------------
declare -A unit_pid
emu_start() { # NAME (signiq-hub.service, signiq-edge@vtest.service)
    local name=$1 inst= file
    if [[ $name == *@*.service ]]; then
        inst=${name#*@}
        inst=${inst%.service}
        file=/lib/systemd/system/${name%%@*}@.service
    else
        file=/lib/systemd/system/$name
    fi
    [[ -f $file ]] || { echo "no unit file $file"; return 1; }
    local user= group= supp= exec= statedir= statemode=0755 watchdog=0
    local -a envfiles=() creds=()
    local line
    while IFS= read -r line; do
        line=${line//%i/$inst}
        case $line in
        User=*) user=${line#User=} ;;
        Group=*) group=${line#Group=} ;;
        SupplementaryGroups=*) supp=${line#SupplementaryGroups=} ;;
        ExecStart=*) exec=${line#ExecStart=} ;;
        EnvironmentFile=*) envfiles+=("${line#EnvironmentFile=}") ;;
        LoadCredential=*) creds+=("${line#LoadCredential=}") ;;
        StateDirectory=*) statedir=${line#StateDirectory=} ;;
        StateDirectoryMode=*) statemode=${line#StateDirectoryMode=} ;;
        WatchdogSec=*) watchdog=${line#WatchdogSec=}; watchdog=${watchdog%s} ;;
        esac
    done < <(sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$file")
    # Environment: the files in order; "-" = optional.
    local -a envs=(PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/var/lib/${statedir%%/*})
    local f optional var
    for f in "${envfiles[@]}"; do
        optional=no
        [[ $f == -* ]] && { optional=yes; f=${f#-}; }
        if [[ ! -f $f ]]; then
            [[ $optional == yes ]] && continue
            echo "$name: EnvironmentFile $f is missing"
            return 1
        fi
        # shellcheck disable=SC1090
        set -a; . "$f"; set +a
        for var in $(sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' "$f"); do envs+=("$var=${!var}"); done
    done
    # ExecStart: ${VAR} is one argument, $VAR splits at white space (systemd.service(5)).
    local -a argv=()
    local word value
    read -ra words <<<"$exec"
    for word in "${words[@]}"; do
        if [[ $word =~ ^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$ ]]; then
            argv+=("${!BASH_REMATCH[1]-}")
        elif [[ $word =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
            value=${!BASH_REMATCH[1]-}
            # shellcheck disable=SC2206
            [[ -n $value ]] && argv+=($value)
        else
            argv+=("$word")
        fi
    done
    # StateDirectory= (owned by the user), credentials (LoadCredential=: readable by the user only).
    if [[ -n $statedir ]]; then
        install -d -m 0755 "/var/lib/$(dirname "$statedir")"
        install -d -m "$statemode" -o "$user" -g "$group" "/var/lib/$statedir"
    fi
    local credir=$run/credentials/$name
    rm -rf "$credir"
    install -d -m 0500 -o "$user" -g "$group" "$credir"
    local c
    for c in "${creds[@]}"; do
        if [[ ! -f ${c#*:} ]]; then
            echo "$name: credential ${c%%:*} (${c#*:}) is missing: the unit would not start"
            return 1
        fi
        install -m 0400 -o "$user" -g "$group" "${c#*:}" "$credir/${c%%:*}"
    done
    # $NOTIFY_SOCKET: a datagram socket; every message goes to $run/NAME.notify.
    local sock=$run/$name.sock notify=$run/$name.notify
    rm -f "$sock" "$notify"
    python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777)
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        out.write(s.recv(4096).decode() + "\n")
' "$sock" "$notify" &
    unit_pid[$name.notify]=$!
    wait_for 10 test -S "$sock" || { echo "$name: notify socket not created"; return 1; }
    local groups=$group
    [[ -n $supp ]] && groups=$group,${supp// /,}
    echo "  $name: $user ($groups): ${argv[*]}"
    setpriv --reuid="$user" --regid="$group" --groups="$groups" --inh-caps=-all -- \
        env -i "${envs[@]}" CREDENTIALS_DIRECTORY="$credir" NOTIFY_SOCKET="$sock" WATCHDOG_USEC=$((watchdog * 1000000)) \
        "${argv[@]}" >"$run/$name.log" 2>&1 &
    unit_pid[$name]=$!
}
emu_notified() { grep -qx "$2" "$run/$1.notify" 2>/dev/null; }
emu_running() { kill -0 "${unit_pid[$1]}" 2>/dev/null; }
# SIGTERM, then wait for the exit (TimeoutStopSec=30s); 0 when it exited cleanly.
emu_stop() {
    local name=$1 pid=${unit_pid[$1]} status
    kill -TERM "$pid" 2>/dev/null
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        echo "  $name did not stop within 30 s"
        status=137
    else
        wait "$pid"
        status=$?
    fi
    kill "${unit_pid[$name.notify]}" 2>/dev/null
    wait "${unit_pid[$name.notify]}" 2>/dev/null
    echo "  $name exited with status $status; last log lines:"
    tail -3 "$run/$name.log" | sed 's/^/    /'
    return "$status"
}
# Wait until a unit's process ended by itself (the edge at the end of a video file).
emu_wait_exit() {
    local name=$1 seconds=$2 pid=${unit_pid[$1]}
    wait_for "$seconds" bash -c "! kill -0 $pid 2>/dev/null" || return 1
    wait "$pid"
    local status=$?
    kill "${unit_pid[$name.notify]}" 2>/dev/null
    wait "${unit_pid[$name.notify]}" 2>/dev/null
    echo "  $name ended with status $status; last log lines:"
    tail -3 "$run/$name.log" | sed 's/^/    /'
    return "$status"
}

# --- the units: systemd when it runs (PID 1), else the emulation above ------------------------
if [[ -d /run/systemd/system ]]; then mode=systemd; else mode=chroot; fi
declare -A active_before watchdog_before
prop() { systemctl show -P "$2" "$1"; }
unit_journal() { journalctl -q -u "$1" -n "${2:-3}" -o cat --no-pager | sed 's/^/    /'; }
unit_start() {
    [[ $mode == chroot ]] && { emu_start "$@"; return; }
    active_before[$1]=$(prop "$1" ActiveEnterTimestampMonotonic)
    # Type=notify: returns once the program sent READY=1 (or failed).
    if systemctl start "$1"; then
        watchdog_before[$1]=$(prop "$1" WatchdogTimestampMonotonic)
        echo "  $1: $(prop "$1" ActiveState) (main PID $(prop "$1" MainPID), user $(ps -o user= -p "$(prop "$1" MainPID)" 2>/dev/null))"
        return 0
    fi
    systemctl status --no-pager -n 10 "$1" | sed 's/^/    /'
    return 1
}
unit_notified() { # NAME READY=1|WATCHDOG=1|STOPPING=1
    [[ $mode == chroot ]] && { emu_notified "$@"; return; }
    case $2 in
    READY=1) [[ $(prop "$1" ActiveEnterTimestampMonotonic) != "${active_before[$1]}" ]] ;;
    WATCHDOG=1) [[ $(prop "$1" WatchdogTimestampMonotonic) != "${watchdog_before[$1]}" ]] ;;
    *) return 1 ;;
    esac
}
unit_stop() {
    [[ $mode == chroot ]] && { emu_stop "$@"; return; }
    systemctl stop "$1"
    echo "  $1 stopped: result $(prop "$1" Result), status $(prop "$1" ExecMainStatus); journal:"
    unit_journal "$1"
    [[ $(prop "$1" Result) == success ]]
}
unit_wait_exit() {
    [[ $mode == chroot ]] && { emu_wait_exit "$@"; return; }
    wait_for "$2" bash -c "! systemctl is-active -q '$1'" || return 1
    echo "  $1 ended: $(prop "$1" ActiveState), result $(prop "$1" Result), status $(prop "$1" ExecMainStatus); journal:"
    unit_journal "$1"
    [[ $(prop "$1" Result) == success && $(prop "$1" ExecMainStatus) == 0 ]]
}

psql_su() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$pg_port" "$@"; }
hub_cli() { CREDENTIALS_DIRECTORY=/etc/signiq/hub/credentials signiq-hub "$@"; }
edge_windows() { # the number of windows in the camera's database
    signiq-edge windows --json --db /var/lib/signiq-edge/vtest/signiq.db --key-file /etc/signiq/edge/credentials/vtest.db.key \
        | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}
hub_api() { # PATH: GET with the API key, prints the body
    curl -sS --fail --cacert /etc/signiq/hub/credentials/tls.crt -H "Authorization: Bearer $(cat "$run/api.key")" \
        "https://localhost:$hub_port$1"
}
hub_windows() { hub_api "/v1/windows?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])'; }
version_of() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
deb() { ls "$stage/$1"/"$2"_*.deb; }

# --- 1. the base system ----------------------------------------------------------------------
step "1. Debian 12 base ($mode): PostgreSQL 15, the sample video, tools (apt, network mirror)"
if [[ $mode == chroot ]]; then
    # No daemon starts from a maintainer script in a chroot (policy-rc.d): PostgreSQL is started by hand.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
fi
need "apt-get update" apt-get update -q
need "install postgresql opencv-doc openssl curl python3" apt_install postgresql opencv-doc openssl curl python3 procps ca-certificates
need "sample video $video" test -f "$video"
pg_conftool 15 main set port "$pg_port" >/dev/null
if [[ $mode == chroot ]]; then
    need "PostgreSQL 15 cluster started (port $pg_port)" pg_ctlcluster 15 main start
else
    need "PostgreSQL 15 cluster (re)started by systemd (port $pg_port)" systemctl restart postgresql@15-main.service
fi

# --- 2. the previous version -----------------------------------------------------------------
prev_edge=$(deb prev signiq-edge)
step "2. install the previous version: $(basename "$prev_edge" | sed 's/signiq-edge_//; s/_amd64.deb//')"
need "apt install the previous signiq-edge, signiq-hub, signiq-console (Depends from Debian)" \
    apt_install "$prev_edge" "$(deb prev signiq-hub)" "$(deb prev signiq-console)"
prev_version=$(version_of signiq-hub)
check "system users signiq-edge (in group video) and signiq-hub" \
    bash -c 'id signiq-edge | grep -q "(video)" && id signiq-hub >/dev/null'
check "credential directories are root-only (0700)" \
    bash -c '[[ $(stat -c %a:%U /etc/signiq/edge/credentials) == 700:root && $(stat -c %a:%U /etc/signiq/hub/credentials) == 700:root ]]'
check "desktop entry and metainfo installed" test -f /usr/share/applications/org.signiq.Console.desktop -a -f /usr/share/metainfo/org.signiq.Console.metainfo.xml
check "signiq-console's libraries resolve (ldd)" bash -c '! ldd /usr/bin/signiq-console | grep -q "not found"'

step "3. the hub's database, as the previous version's docs said (no setup-db yet): roles, database, migrate"
[[ $pg_port == 5432 ]] || sed -i "s/port=5432/port=$pg_port/" /etc/signiq/hub.env
sed -i "s/^SIGNIQ_HUB_PORT=.*/SIGNIQ_HUB_PORT=$hub_port/" /etc/signiq/hub.env
cd /etc/signiq/hub/credentials
for r in signiq_owner signiq_app signiq_backup; do
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >$r.password)
done
need "roles and database by hand (psql as postgres)" psql_su -v owner_pw="$(cat signiq_owner.password)" -v app_pw="$(cat signiq_app.password)" \
    -v backup_pw="$(cat signiq_backup.password)" <<'SQL'
CREATE ROLE signiq_owner  LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_pw';
CREATE ROLE signiq_app    LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_pw';
CREATE ROLE signiq_backup LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS   PASSWORD :'backup_pw';
CREATE DATABASE signiq OWNER signiq_owner;
\c signiq
REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE ALL ON DATABASE signiq FROM PUBLIC;
GRANT CONNECT ON DATABASE signiq TO signiq_owner, signiq_app, signiq_backup;
SQL
cd /
. /etc/signiq/hub.env
need "signiq-hub migrate (previous version)" hub_cli migrate --db "$SIGNIQ_HUB_DB"
migrations_before=$(psql_su -d signiq -tA -c 'SELECT count(*) FROM signiq.schema_migrations')
echo "  migrations applied: $migrations_before"
# TLS certificate for the API and the audit-export signing key (root-only credential files).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout /etc/signiq/hub/credentials/tls.key \
    -out /etc/signiq/hub/credentials/tls.crt 2>/dev/null
(umask 077; openssl rand -hex 32 >/etc/signiq/hub/credentials/audit.key)
chmod 0600 /etc/signiq/hub/credentials/*
org=$(hub_cli org create --db "$SIGNIQ_HUB_DB" --name "Test venue" --tier pro)
site=$(hub_cli site create --db "$SIGNIQ_HUB_DB" --org "$org" --name Entrance --time-zone Europe/Paris)
need "hub data: an organisation, a site, demo windows, an API key" \
    bash -c "[[ -n '$site' ]] && CREDENTIALS_DIRECTORY=/etc/signiq/hub/credentials signiq-hub demo seed --db '$SIGNIQ_HUB_DB' --org '$org' --site '$site' >/dev/null \
             && CREDENTIALS_DIRECTORY=/etc/signiq/hub/credentials signiq-hub keys create --db '$SIGNIQ_HUB_DB' --org '$org' --scopes read >$run/api.key"

step "4. start signiq-hub.service (the unit's ExecStart as signiq-hub, credentials, notify)"
need "signiq-hub.service started" unit_start signiq-hub.service
check "hub sent READY=1" wait_for 30 unit_notified signiq-hub.service READY=1
check "hub pings the watchdog (WATCHDOG=1)" wait_for 30 unit_notified signiq-hub.service WATCHDOG=1
check "GET /v1/health over TLS 1.3" bash -c "curl -sS --fail --tlsv1.3 --cacert /etc/signiq/hub/credentials/tls.crt https://localhost:$hub_port/v1/health | grep -q '\"status\":\"ok\"'"
hub_windows_before=$(hub_windows)
echo "  hub windows (API, signiq_app under RLS): $hub_windows_before"
check "the hub serves the organisation's windows" test "${hub_windows_before:-0}" -gt 0
check "signiq-hub.service stops cleanly on SIGTERM (status 0)" unit_stop signiq-hub.service
[[ $mode == chroot ]] && check "hub sent STOPPING=1" unit_notified signiq-hub.service STOPPING=1

step "5. start signiq-edge@vtest.service on the sample video"
need "models installed from the mirror" env SIGNIQ_MODELS_DIR=/var/lib/signiq-edge/models \
    signiq-edge models install --from "$stage/models" yolo-fastest-1.1-body yunet-2022mar head-pose-adas-0001
signiq-edge init-key /etc/signiq/edge/credentials/vtest.db.key >/dev/null
signiq-edge init-key /etc/signiq/edge/credentials/vtest.audit.key >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=edge-vtest \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout /etc/signiq/edge/credentials/tls.key \
    -out /etc/signiq/edge/credentials/tls.crt 2>/dev/null
chmod 0600 /etc/signiq/edge/credentials/*
cat >/etc/signiq/edge/vtest.env <<EOF
SIGNIQ_EDGE_SOURCE=$video
SIGNIQ_EDGE_API_LISTEN=127.0.0.1
SIGNIQ_EDGE_API_PORT=$edge_port
SIGNIQ_EDGE_OPTS=--config /usr/share/doc/signiq-edge/examples/zones.json
EOF
need "signiq-edge@vtest.service started" unit_start signiq-edge@vtest.service
check "edge sent READY=1 (first frame processed)" wait_for 60 unit_notified signiq-edge@vtest.service READY=1
check "edge ran to the end of the video and exited cleanly" unit_wait_exit signiq-edge@vtest.service 600
edge_before=$(edge_windows)
echo "  edge windows stored: $edge_before"
check "windows arrived in the edge's encrypted database" test "${edge_before:-0}" -gt 0
check "the database is the unit user's, 0700" bash -c '[[ $(stat -c %a:%U /var/lib/signiq-edge/vtest) == 700:signiq-edge ]]'

# --- 3. upgrade ------------------------------------------------------------------------------
cur_edge=$(deb cur signiq-edge)
step "6. upgrade to this version: $(basename "$cur_edge" | sed 's/signiq-edge_//; s/_amd64.deb//')"
apt_install "$cur_edge" "$(deb cur signiq-hub)" "$(deb cur signiq-console)" 2>&1 | tee "$run/upgrade.log" | grep -E '^signiq|applied|schema|FAILED|Setting up signiq'
check "apt upgraded all three (from $prev_version)" bash -c "[[ \$(dpkg-query -W -f='\${Version}' signiq-hub) != '$prev_version' ]] && dpkg -s signiq-edge signiq-console >/dev/null"
check "the hub's postinst ran signiq-hub migrate" grep -q "running signiq-hub migrate" "$run/upgrade.log"
migrations_after=$(psql_su -d signiq -tA -c 'SELECT count(*) FROM signiq.schema_migrations')
echo "  migrations applied: $migrations_before -> $migrations_after"
check "the new migrations ran on upgrade ($migrations_before -> $migrations_after)" test "$migrations_after" -gt "$migrations_before"
check "the admin's hub.env edits were kept (conffile)" grep -q "SIGNIQ_HUB_PORT=$hub_port" /etc/signiq/hub.env
step "7. signiq-hub setup-db on the upgraded server: everything already exists"
hub_cli setup-db --db "$SIGNIQ_HUB_DB" >"$run/setup-db.out" 2>"$run/setup-db.err"
setup_status=$?
sed 's/^/    /' "$run/setup-db.err"
check "setup-db succeeds on a hand-made database and says what already existed" \
    bash -c "[[ $setup_status == 0 ]] && grep -q 'role signiq_app: already existed' $run/setup-db.err && grep -q 'database signiq: already existed' $run/setup-db.err && grep -q 'schema up to date' $run/setup-db.err"
check "setup-db prints the service's SIGNIQ_HUB_DB" grep -qx "SIGNIQ_HUB_DB=\"$SIGNIQ_HUB_DB\"" "$run/setup-db.out"
step "8. both services again on the new version, data in place"
need "signiq-hub.service started (new version)" unit_start signiq-hub.service
check "hub READY=1 after the upgrade" wait_for 30 unit_notified signiq-hub.service READY=1
hub_windows_after=$(hub_windows)
check "hub windows kept across the upgrade ($hub_windows_before -> $hub_windows_after)" test "$hub_windows_after" = "$hub_windows_before"
check "signiq-hub.service stops cleanly" unit_stop signiq-hub.service
sed -i '/^SIGNIQ_EDGE_OPTS=/d' /etc/signiq/edge/vtest.env # the zones are stored now
need "signiq-edge@vtest.service started (new version, same database)" unit_start signiq-edge@vtest.service
check "edge READY=1 after the upgrade" wait_for 60 unit_notified signiq-edge@vtest.service READY=1
check "edge pings the watchdog while frames get processed" wait_for 60 unit_notified signiq-edge@vtest.service WATCHDOG=1
check "edge stops cleanly on SIGTERM, storing its open windows" unit_stop signiq-edge@vtest.service
[[ $mode == chroot ]] && check "edge sent STOPPING=1" unit_notified signiq-edge@vtest.service STOPPING=1
edge_after=$(edge_windows)
check "edge windows kept across the upgrade and more added ($edge_before -> $edge_after)" test "${edge_after:-0}" -gt "$edge_before"

# --- 4. remove, purge ------------------------------------------------------------------------
step "9. apt remove: the data stays"
apt-get remove -y -q signiq-edge signiq-hub signiq-console 2>&1 | grep -E '^signiq|kept' | sed 's/^/    /'
check "removed" bash -c '! dpkg -s signiq-edge 2>/dev/null | grep -q "Status: install ok installed"'
check "after remove: the edge database, keys and models are still there" \
    test -f /var/lib/signiq-edge/vtest/signiq.db -a -f /etc/signiq/edge/credentials/vtest.db.key -a -d /var/lib/signiq-edge/models
check "after remove: the hub's credentials and its PostgreSQL database are still there" \
    bash -c "test -f /etc/signiq/hub/credentials/signiq_app.password && [[ \$(runuser -u postgres -- psql -X -p $pg_port -d signiq -tA -c 'SELECT count(*) FROM signiq.organisations') == 1 ]]"
step "10. apt purge: the data is gone (except the PostgreSQL database, as documented)"
apt-get purge -y -q signiq-edge signiq-hub signiq-console 2>&1 | grep -E '^signiq|purge|deleting|NOT' | sed 's/^/    /'
check "after purge: /var/lib/signiq-edge, /etc/signiq/edge, /var/lib/signiq-hub, /etc/signiq/hub are gone" \
    bash -c '! test -e /var/lib/signiq-edge -o -e /etc/signiq/edge -o -e /var/lib/signiq-hub -o -e /etc/signiq/hub'
check "after purge: the PostgreSQL database is kept (never dropped by the package)" \
    bash -c "[[ \$(runuser -u postgres -- psql -X -p $pg_port -d signiq -tA -c 'SELECT count(*) FROM signiq.organisations') == 1 ]]"

# --- 5. a fresh install of this version with setup-db ---------------------------------------
step "11. fresh install of this version on a server without the hub's roles: signiq-hub setup-db"
psql_su -c 'DROP DATABASE signiq' -c 'DROP ROLE signiq_owner' -c 'DROP ROLE signiq_app' -c 'DROP ROLE signiq_backup'
need "apt install this version" apt_install "$cur_edge" "$(deb cur signiq-hub)" "$(deb cur signiq-console)"
[[ $pg_port == 5432 ]] || sed -i "s/port=5432/port=$pg_port/" /etc/signiq/hub.env
sed -i "s/^SIGNIQ_HUB_PORT=.*/SIGNIQ_HUB_PORT=$hub_port/" /etc/signiq/hub.env
. /etc/signiq/hub.env
signiq-hub setup-db >"$run/setup-db.out" 2>"$run/setup-db.err" --db "$SIGNIQ_HUB_DB"
setup_status=$?
sed 's/^/    /' "$run/setup-db.err" "$run/setup-db.out"
check "setup-db creates the roles, passwords and database and migrates" \
    bash -c "[[ $setup_status == 0 ]] && grep -q 'role signiq_app: created' $run/setup-db.err && grep -q 'password new, written to /etc/signiq/hub/credentials/signiq_app.password' $run/setup-db.err && grep -q 'database signiq: created' $run/setup-db.err && grep -q 'applied migration 4' $run/setup-db.err"
check "password files are root-only 0600" bash -c '[[ $(stat -c %a:%U /etc/signiq/hub/credentials/signiq_app.password) == 600:root ]]'
check "signiq_app: no superuser, no BYPASSRLS" \
    bash -c "[[ \$(runuser -u postgres -- psql -X -p $pg_port -tA -c \"SELECT rolsuper::text || rolbypassrls::text FROM pg_roles WHERE rolname = 'signiq_app'\") == falsefalse ]]"
hub_cli setup-db --db "$SIGNIQ_HUB_DB" >/dev/null 2>"$run/setup-db.err"
check "setup-db again: idempotent, says what already existed" \
    bash -c "grep -q 'role signiq_owner: already existed' $run/setup-db.err && grep -q 'password kept from' $run/setup-db.err && grep -q 'schema up to date' $run/setup-db.err"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout /etc/signiq/hub/credentials/tls.key \
    -out /etc/signiq/hub/credentials/tls.crt 2>/dev/null
(umask 077; openssl rand -hex 32 >/etc/signiq/hub/credentials/audit.key)
chmod 0600 /etc/signiq/hub/credentials/*
need "signiq-hub.service started on the setup-db database" unit_start signiq-hub.service
check "hub READY=1 with setup-db's settings and credentials" wait_for 30 unit_notified signiq-hub.service READY=1
check "GET /v1/health" bash -c "curl -sS --fail --cacert /etc/signiq/hub/credentials/tls.crt https://localhost:$hub_port/v1/health | grep -q '\"database\":\"ok\"'"
check "signiq-hub.service stops cleanly" unit_stop signiq-hub.service
summary
