#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster and Redis server on loopback for the tests that need them.
#
#   eval "$(scripts/test-servers.sh start /tmp/qlik-oem-servers)"   # prints the TEST_*_URL exports
#   scripts/test-servers.sh stop /tmp/qlik-oem-servers
#
# Needs Debian's `postgresql` (15) and `redis-server` packages (or the same binaries on PATH). Both
# listen on free ports of 127.0.0.1 and keep their data in the given directory, so they never touch a
# system cluster. As root, PostgreSQL runs as the `postgres` user (initdb refuses to run as root).
set -euo pipefail

command=${1:?usage: test-servers.sh start|stop DIR}
dir=${2:?usage: test-servers.sh start|stop DIR}

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n $found ]]; then echo "$found"; else dirname "$(command -v initdb)"; fi
}

as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

case $command in
  start)
    mkdir -p "$dir"
    bin=$(pg_bin)
    pg_port=$(free_port)
    redis_port=$(free_port)
    mkdir -p "$dir/pg"
    # The postgres user must reach its data directory through DIR (mktemp -d makes it 0700).
    if [[ $(id -u) == 0 ]]; then chmod 755 "$dir" && chown postgres "$dir/pg"; fi
    as_pg "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust --no-sync >"$dir/pg/initdb.log" 2>&1
    as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories='' -c fsync=off -c max_connections=200" \
      start >/dev/null
    redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    for _ in $(seq 50); do
      redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    echo "export TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$pg_port/postgres"
    echo "export TEST_REDIS_URL=redis://127.0.0.1:$redis_port"
    ;;
  stop)
    if [[ -f $dir/redis.pid ]]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
    if [[ -d $dir/pg/data ]]; then as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: test-servers.sh start|stop DIR" >&2
    exit 2
    ;;
esac
