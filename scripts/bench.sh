#!/usr/bin/env bash
# The core-loop benchmark (issue #2): the demo scaled to ~80 units / 20,000 tasks / 50,000 progress
# reports, served by `luoshi demo` (release build) on loopback; wrk with 16 keep-alive connections
# measures each endpoint in turn. Results are ratios to /healthz measured in the same run, because
# absolute numbers on a shared 2-core machine drift from run to run.
#
#   scripts/bench.sh [sqlite|postgres|both]     (env: SCALE=282 DURATION=10s CONNECTIONS=16)
set -euo pipefail
cd "$(dirname "$0")/.."
backends=${1:-both}
SCALE=${SCALE:-282}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q -p luoshi
bin=$PWD/target/release/luoshi
work=$(mktemp -d)
pgdir=/tmp/luoshi-bench-pg
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  if [ -d "$pgdir/data" ]; then
    su postgres -s /bin/sh -c "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl -D $pgdir/data -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

json() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }

measure() { # name url [lua]
  local name=$1 url=$2 lua=${3:-}
  local args=(-t2 "-c$CONNECTIONS" "-d$DURATION" --latency -H "Authorization: Bearer $token")
  [ -n "$lua" ] && args+=(-s "$lua")
  wrk "${args[@]}" "$url" > "$work/$name.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$name.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/$name.txt")
  echo "$name $rps $p50 $p99 ${non2xx:-0}" >> "$work/results"
}

run() { # backend
  local backend=$1 port=18431 db_args=()
  if [ "$backend" = postgres ]; then
    PGPORT=54330 PG_FSYNC=on PGDATA_DIR="$pgdir" scripts/pg-start.sh
    db_args=(--database-url "postgres://postgres@127.0.0.1:54330/postgres")
  fi
  : > "$work/results"
  local t0=$SECONDS
  # Build the demo in one process, then measure a fresh server, so that RSS is the serving
  # process's own (the build replays a year of work and has its own peak).
  local url=${db_args[1]:-sqlite://$work/$backend/demo.db}
  "$bin" --data-dir "$work/$backend" "${db_args[@]}" demo --scale "$SCALE" --no-serve > "$work/$backend.log" 2>&1
  "$bin" --database-url "$url" serve --sweep-minutes 0 --bind "127.0.0.1:$port" >> "$work/$backend.log" 2>&1 &
  local pid=$!
  until grep -q "listening on" "$work/$backend.log"; do
    kill -0 $pid 2>/dev/null || { cat "$work/$backend.log"; exit 1; }
    sleep 1
  done
  local build_s=$((SECONDS - t0))
  local base="http://127.0.0.1:$port"
  login() { curl -s -XPOST "$base/api/v1/login" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"demo\"}" | json 'd["token"]'; }
  token=$(login supervisor)
  local plan unit task
  plan=$(curl -s "$base/api/v1/plans" -H "authorization: Bearer $token" | json 'd["items"][0]["id"]')
  unit=$(curl -s "$base/api/v1/units" -H "authorization: Bearer $token" | json '[u["id"] for u in d["items"] if u["code"] == "zhongtan"][0]')
  task=$(curl -s "$base/api/v1/tasks?unit_id=$unit&status=in_progress&per_page=1" -H "authorization: Bearer $token" | json 'd["items"][0]["id"]')
  local counts
  counts=$(curl -s "$base/api/v1/plans/$plan/summary" -H "authorization: Bearer $token" | json 'd["totals"]["total"]')

  measure f_healthz "$base/healthz"
  measure a_unit_overdue "$base/api/v1/tasks?unit_id=$unit&overdue=true"
  measure b_plan_open_by_deadline "$base/api/v1/tasks?plan_id=$plan&status=assigned,in_progress,extension_requested&sort=deadline&per_page=100"
  measure c_task_with_history "$base/api/v1/tasks/$task"
  measure e_plan_summary "$base/api/v1/plans/$plan/summary"
  # Server-rendered pages (issue #3), with a browser session cookie.
  local cookie
  cookie=$(curl -s -o /dev/null -D - -XPOST "$base/login" -d 'username=supervisor&password=demo' | sed -n 's/^[Ss]et-[Cc]ookie: \(luoshi_session=[0-9a-f]*\).*/\1/p')
  page() { # name url [lua]
    local extra=()
    [ -n "${3:-}" ] && extra=(-s "$3")
    wrk -t2 "-c$CONNECTIONS" "-d$DURATION" --latency -H "Cookie: $cookie" "${extra[@]}" "$2" > "$work/$1.txt"
    echo "$1 $(awk '/^Requests\/sec/ {print $2}' "$work/$1.txt") $(awk '$1 == "50%" {print $2}' "$work/$1.txt") $(awk '$1 == "99%" {print $2}' "$work/$1.txt") $(awk '/Non-2xx/ {print $5}' "$work/$1.txt" | grep . || echo 0)" >> "$work/results"
  }
  page g_page_dashboard "$base/"
  page h_page_task_list "$base/tasks?plan_id=$plan"
  # Listings are memoised per data version; these ask for a different page and deadline bound
  # each time, so nearly every request misses the memo and runs the queries.
  cat > "$work/random.lua" <<LUA
request = function()
  local path = string.format("%s&page=%d&deadline_to=2026-%02d-%02d", wrk.path, math.random(1, 300), math.random(7, 12), math.random(1, 28))
  return wrk.format(nil, path)
end
LUA
  page i_page_task_list_uncached "$base/tasks?plan_id=$plan" "$work/random.lua"
  measure j_api_plan_open_uncached "$base/api/v1/tasks?plan_id=$plan&status=assigned,in_progress,extension_requested&sort=deadline&per_page=100" "$work/random.lua"
  token=$(login zhongtan)
  cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"percent": 50, "summary": "benchmark report"}'
wrk.headers["Content-Type"] = "application/json"
LUA
  measure d_post_progress "$base/api/v1/tasks/$task/progress" "$work/post.lua"
  token=$(login supervisor)
  # The summary is memoised per data version; after writes the first request recomputes it.
  local cold
  cold=$(curl -s -o /dev/null -w '%{time_total}' "$base/api/v1/plans/$plan/summary" -H "authorization: Bearer $token")
  local rss
  rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
  kill $pid; wait $pid 2>/dev/null || true

  local reports
  reports=$(grep -o '[0-9]* progress reports' "$work/$backend.log" | head -1)
  echo
  echo "### $backend — $counts tasks, $reports; demo built in ${build_s}s, then served by a fresh luoshi serve (system clock)"
  echo
  echo "| endpoint | req/s | ratio to /healthz | p50 | p99 | non-2xx |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  local base_rps
  base_rps=$(awk '$1 == "f_healthz" {print $2}' "$work/results")
  sort "$work/results" | while read -r name rps p50 p99 non2xx; do
    ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }')
    echo "| $name | $rps | $ratio | $p50 | $p99 | $non2xx |"
  done
  echo
  echo "Peak RSS of the server: ${rss} MiB. Summary recomputed after writes (first request): ${cold}s."
}

echo "luoshi benchmark: scale $SCALE, wrk -t2 -c$CONNECTIONS -d$DURATION, $(nproc) cores, $(date -u +%F)"
case $backends in
  sqlite) run sqlite ;;
  postgres) run postgres ;;
  both) run sqlite; run postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]"; exit 2 ;;
esac
