#!/usr/bin/env bash
# PostgreSQL helper: `pg.sh ensure` makes a server reachable for the current OS user.
# Uses the configured server (PGHOST/PGPORT/PGUSER) when it answers; otherwise starts
# Debian's local cluster. PostgreSQL refuses to run as root, so the cluster runs as the
# `postgres` system user (pg_ctlcluster does that) and we create a role named after the
# current user with CREATEDB (not superuser), which Odoo then uses over the Unix socket.
set -euo pipefail
log() { printf '[pg] %s\n' "$*"; }
die() { printf '[pg] ERROR: %s\n' "$*" >&2; exit 1; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sudo -u postgres sh -c "$*"; fi
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure() {
    if pg_isready -q; then
        if psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then return 0; fi
    else
        command -v pg_lsclusters >/dev/null || die "no PostgreSQL reachable and Debian's postgresql is not installed"
        cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
        if [ -z "$cluster" ]; then
            ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
            log "creating cluster $ver main"
            as_root pg_createcluster "$ver" main >/dev/null
            cluster="$ver main"
        fi
        log "starting PostgreSQL cluster $cluster"
        # shellcheck disable=SC2086
        as_root pg_ctlcluster $cluster start
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL did not start"
    fi
    me=${PGUSER:-$(id -un)}
    if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        [ "$me" = postgres ] && die "Odoo refuses to connect as 'postgres'; run as another user"
        log "creating PostgreSQL role $me (CREATEDB)"
        as_postgres "createuser --createdb --no-superuser --no-createrole '$me'" || true
    fi
    psql -d postgres -Atqc 'select 1' >/dev/null || die "cannot connect to PostgreSQL as $me"
}

# Restart the local cluster (the fault drills: connections drop, Odoo must recover).
restart() {
    cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
    [ -n "$cluster" ] || die "no local PostgreSQL cluster to restart"
    log "restarting PostgreSQL cluster $cluster"
    # shellcheck disable=SC2086
    as_root pg_ctlcluster $cluster restart -m fast
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || die "PostgreSQL did not come back"
}

case "${1:-}" in
    ensure) ensure ;;
    restart) restart ;;
    *) echo "usage: $0 ensure|restart" >&2; exit 2 ;;
esac
