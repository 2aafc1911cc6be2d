#!/usr/bin/env bash
# A private PostgreSQL server for the tests (Debian's postgresql package; installed when missing).
#   .ci/postgres.sh start DIR   -> initdb into DIR as an unprivileged user, start on a free local port,
#                                  print the server's URL (postgresql://smm@127.0.0.1:PORT/postgres)
#   .ci/postgres.sh stop DIR    -> stop it (fast) and remove DIR
# Any failure exits non-zero with one line saying why: the tests never skip PostgreSQL silently.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?folder}

fail() { echo "PostgreSQL for the tests: $*" >&2; exit 1; }

bindir() {
    local d
    if command -v pg_config >/dev/null && d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ]; then
        echo "$d"; return
    fi
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
    return 1
}

as_owner() {  # the server refuses to run as root: run as the owner of DIR when we are root
    if [ "$(id -u)" = 0 ]; then
        su -s /bin/sh "$owner" -c "$*"
    else
        sh -c "$*"
    fi
}

owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
    owner=smm-ci-pg
    id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner" \
        || fail "cannot create the unprivileged user $owner"
fi

case "$cmd" in
start)
    if ! bin=$(bindir); then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "PostgreSQL for the tests: installing Debian's postgresql package" >&2
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
                || fail "apt-get install postgresql failed"
        fi
        bin=$(bindir) || fail "initdb not found (install Debian's postgresql package)"
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown "$owner" "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "'$bin/initdb' -D '$dir/data' -U smm --auth=trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1" \
        || fail "initdb failed: $(tail -n 3 "$dir/initdb.log" | tr '\n' ' ')"
    opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
    as_owner "'$bin/pg_ctl' -D '$dir/data' -o '$opts' -l '$dir/server.log' -w -t 60 start >/dev/null" \
        || fail "the server did not start: $(tail -n 3 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"
    echo "postgresql://smm@127.0.0.1:$port/postgres"
    ;;
stop)
    if bin=$(bindir) && [ -d "$dir/data" ]; then
        as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null 2>&1" || true
    fi
    rm -rf "$dir"
    ;;
*) fail "unknown command $cmd" ;;
esac
