#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for tests and benchmarks on 127.0.0.1:${PGPORT:-54329}.
# Installs Debian's postgresql when no server binaries exist. Prints nothing but errors;
# the URL to use is postgres://postgres@127.0.0.1:${PGPORT:-54329}/postgres (trust auth, loopback only).
set -euo pipefail
port=${PGPORT:-54329}
dir=${PGDATA_DIR:-/tmp/luoshi-pg-$port}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  exit 0
fi

run_as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

rm -rf "$dir"
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
run_as_pg "'$bindir/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
run_as_pg "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c max_connections=300\" start >/dev/null"
