#!/usr/bin/env bash
# The packages on a brand-new Debian 12 (docs/operations.md, "Package test"): builds this
# version's packages (scripts/package.sh) and the previous version's (the first-parent commit
# before the newest hub migration, so that the upgrade has a migration to run; or --previous REV),
# then in a fresh minimal bookworm root (debootstrap, chroot; the cached tarball of
# ../shared/tools/fresh-debian) installs the previous version with apt, sets up PostgreSQL 15
# and the hub's database, runs signiq-hub.service and signiq-edge@vtest.service (on the sample
# video) from their unit files, checks that windows arrive, upgrades to this version with the
# data in place, removes, purges, and installs this version afresh with `signiq-hub setup-db`.
# Prints a PASS/FAIL line per check and a summary; exit 0 only when everything passed.
#
#   scripts/test-packages.sh [--previous REV]
#
# Needs root (debootstrap, chroot, mounts), the network mirror of /etc/apt/sources.list.d and
# about 15 minutes on 2 cores (not part of scripts/test.sh / CI). The root lives in
# /tmp/fresh-debian-pkg/root (SIGNIQ_TEST_ROOT), so that it does not collide with another user
# of ../shared/tools/fresh-debian, whose root is /tmp/fresh-debian/root.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(cd "$repo/../shared" && pwd)
log() { printf '\033[1m[test-packages]\033[0m %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

previous=
while (($#)); do
    case $1 in
    --previous) previous=${2:?--previous needs a git revision}; shift 2 ;;
    -h | --help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
    esac
done
[[ $(id -u) -eq 0 ]] || die "run as root (debootstrap, chroot and mounts need it)"
[[ -x $shared/tools/fresh-debian ]] || die "$shared/tools/fresh-debian is missing"
[[ -d $shared/models ]] || die "the model mirror $shared/models is missing"
cd "$repo"
git diff --quiet HEAD -- scripts/test-packages-chroot.sh \
    || die "scripts/test-packages-chroot.sh has uncommitted changes: the chroot gets the committed tree (git archive HEAD)"

work=$repo/build/test-packages
stage=$work/stage
rm -rf "$stage"
mkdir -p "$stage/prev" "$stage/cur"

# --- this version ----------------------------------------------------------------------------
log "1/4 this version's packages (scripts/package.sh)"
"$repo/scripts/package.sh" >/dev/null
cp build/ci/packages/*.deb "$stage/cur/"
version=$(dpkg-deb -f "$stage"/cur/signiq-hub_*.deb Version)

# --- the previous version --------------------------------------------------------------------
newest=$(git ls-tree --name-only HEAD libs/hub/migrations/ | sort | tail -1)
if [[ -z $previous ]]; then
    for rev in $(git rev-list --first-parent HEAD); do
        if ! git cat-file -e "$rev:$newest" 2>/dev/null; then previous=$rev; break; fi
    done
    [[ -n $previous ]] || die "no commit before $newest"
fi
previous=$(git rev-parse --verify "$previous^{commit}") || die "--previous: not a commit"
git cat-file -e "$previous:packaging/SigniqPackaging.cmake" 2>/dev/null || die "$previous has no packaging/ (too old)"
short=$(git rev-parse --short "$previous")
# Debian orders X~Y before X: the previous build's package version sorts before this one's.
prev_version="${version%-*}~prev.$short"
log "2/4 the previous version: $short ($(git log -1 --format=%s "$previous" | cut -c1-60)), packaged as $prev_version"
src=$work/prev-$short
if [[ ! -f $src/build/ci/build.ninja ]]; then
    rm -rf "$src"
    mkdir -p "$src"
    git archive "$previous" | tar -C "$src" -x
fi
# The same ccache as this tree (paths relative to each checkout): only what changed compiles.
(cd "$src" && CCACHE_BASEDIR=$src scripts/setup.sh ci signiq-edge signiq-hub signiq-console signiq_console_icons >/dev/null)
rm -rf "$src/build/ci/packages"
(cd "$src/build/ci" && cpack -G DEB -R "${prev_version%-*}" --config CPackConfig.cmake >/dev/null)
cp "$src"/build/ci/packages/*.deb "$stage/prev/"
ls "$stage"/prev "$stage"/cur | sed 's/^/    /' >&2
cp -a "$shared/models" "$stage/models"

# --- a fresh Debian 12 root ------------------------------------------------------------------
cache=/tmp/fresh-debian/bookworm-minbase.tar
root=${SIGNIQ_TEST_ROOT:-/tmp/fresh-debian-pkg/root}
if [[ ! -f $cache ]]; then
    log "3/4 no cached minimal bookworm yet: ../shared/tools/fresh-debian creates it (debootstrap)"
    "$shared/tools/fresh-debian" "$repo" "$shared" true
fi
log "3/4 fresh root $root (from $cache)"
for m in proc sys dev; do umount -l "$root/$m" 2>/dev/null || true; done
mountpoint -q "$root/proc" && die "$root/proc is still mounted"
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$cache"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$root/srv/project" "$root/srv/stage"
git archive HEAD | tar -C "$root/srv/project" -x
cp -a "$stage/." "$root/srv/stage/"
# Debian packages this machine has downloaded already (hard links: read-only use, same hashes as
# the mirror's); apt fetches the rest from the mirror.
cp -ln /var/cache/apt/archives/*.deb "$root/var/cache/apt/archives/" 2>/dev/null \
    || cp /var/cache/apt/archives/*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true
# Ports on this machine's network (the chroot shares it): the packaged defaults when free.
free_port() {
    local p
    for p in "$@" $(seq 20000 20100); do
        if ! ss -Htln "sport = :$p" | grep -q .; then echo "$p"; return; fi
    done
    return 1
}
pg_port=$(free_port 5432)
hub_port=$(free_port 8443)
edge_port=$(free_port 8444 | grep -vx "$hub_port" || free_port 8445)
args=(/srv/stage "$pg_port" "$hub_port" "$edge_port")
status=0
# systemd-nspawn --boot where it works (a real systemd 252 runs the units with their sandboxing;
# on this machine it does even though PID 1 is not systemd and cgroups are v1, with
# --register=no --keep-unit), else a plain chroot with the units emulated.
nspawn=(systemd-nspawn --register=no --keep-unit -q -D "$root")
if command -v systemd-nspawn >/dev/null && "${nspawn[@]}" /bin/true >/dev/null 2>&1; then
    log "4/4 booting the root with systemd (systemd-nspawn --boot); PostgreSQL port $pg_port, hub API $hub_port, edge API $edge_port"
    "${nspawn[@]}" /bin/bash -c 'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends systemd systemd-sysv dbus >/dev/null' \
        || die "cannot install systemd into the root"
    printf '#!/bin/bash\n/bin/bash /srv/project/scripts/test-packages-chroot.sh %s >/srv/test.log 2>&1\necho $? >/srv/test.status\n' "${args[*]}" \
        >"$root/srv/run-test.sh"
    cat >"$root/etc/systemd/system/signiq-package-test.service" <<'EOF'
[Unit]
Description=Signiq package test (scripts/test-packages-chroot.sh)
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/bin/bash /srv/run-test.sh
ExecStopPost=/bin/systemctl poweroff --no-block
TimeoutStartSec=45min
[Install]
WantedBy=multi-user.target
EOF
    mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
    ln -sf ../signiq-package-test.service "$root/etc/systemd/system/multi-user.target.wants/"
    : >"$root/srv/test.log"
    timeout 50m "${nspawn[@]}" --boot >"$work/boot.log" 2>&1 &
    boot=$!
    tail -n +1 -F --pid="$boot" "$root/srv/test.log" 2>/dev/null || true
    wait "$boot" || true
    status=$(cat "$root/srv/test.status" 2>/dev/null || echo 1)
    [[ -f $root/srv/test.status ]] || log "the test did not finish in the container (boot log: $work/boot.log)"
else
    log "4/4 systemd-nspawn does not work here: the test in a chroot, units emulated (PostgreSQL port $pg_port, hub API $hub_port, edge API $edge_port)"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    trap 'for m in proc sys dev; do umount -l "$root/$m" 2>/dev/null || true; done' EXIT
    chroot "$root" /bin/bash /srv/project/scripts/test-packages-chroot.sh "${args[@]}" || status=$?
    # Stop what the test started in the chroot (its PostgreSQL) before the mounts go.
    chroot "$root" pg_ctlcluster 15 main stop -m fast >/dev/null 2>&1 || true
fi
if ((status == 0)); then log "PASS: $version (upgrade from $prev_version)"; else log "FAIL (see above)"; fi
exit "$status"
