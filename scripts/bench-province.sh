#!/usr/bin/env bash
# Province-scale benchmark (issues #5 and #6): the demo district repeated DISTRICTS times (100:
# 7,700 units, ~200,000 tasks, ~3 million progress reports with two reports per task and month),
# every write replayed through the real use cases into one SQLite database. Then, each in its own
# process, with wall time and peak RSS from /usr/bin/time:
#   1. `luoshi sweep` over every region, as of the demo's today (everything it finds is new);
#   2. the same sweep again: nothing new, so it must write nothing (the database file's SHA-256 is
#      compared before and after);
#   3. `luoshi assess` over every region as of the same day (scores, ranks, grades, awards; table
#      output, so the time is the computation's, not printing every explanation).
#
#   scripts/bench-province.sh          (env: DISTRICTS=100 SCALE=28 PER_MONTH=2 DIR=/tmp/luoshi-province
#                                       KEEP=1 reuses a database already built in DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
DISTRICTS=${DISTRICTS:-100}
SCALE=${SCALE:-28}
PER_MONTH=${PER_MONTH:-2}
TODAY=${TODAY:-2026-10-20}
dir=${DIR:-/tmp/luoshi-province}
cargo build --release -q -p luoshi
bin=$PWD/target/release/luoshi
db=$dir/demo.db
url=sqlite://$db

if [ "${KEEP:-0}" != 1 ] || [ ! -f "$db" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "building the province (DISTRICTS=$DISTRICTS SCALE=$SCALE PER_MONTH=$PER_MONTH) …"
  /usr/bin/time -f "build: %e s wall, peak RSS %M KiB" \
    "$bin" --data-dir "$dir" demo --no-serve --districts "$DISTRICTS" --scale "$SCALE" \
    --reports-per-month "$PER_MONTH" --today "$TODAY" 2>&1 | grep -v '^\s*$' | tail -n 2
fi
"$bin" --database-url "$url" migrate >/dev/null
ls -l "$db" | awk '{printf "database: %.0f MiB\n", $5 / 1048576}'

timed() { # label command…
  local label=$1
  shift
  /usr/bin/time -f "$label: %e s wall, %U s user, peak RSS %M KiB" "$@"
}

echo "1. first sweep (as of $TODAY)"
timed "sweep" "$bin" --database-url "$url" sweep --as-of "$TODAY" --format table 2>&1 | tail -n 2
before=$(sha256sum "$db" | cut -d' ' -f1)
echo "2. the same sweep again"
timed "sweep again" "$bin" --database-url "$url" sweep --as-of "$TODAY" --format table 2>&1 | tail -n 2
after=$(sha256sum "$db" | cut -d' ' -f1)
if [ "$before" = "$after" ]; then
  echo "   the database file is unchanged: the second sweep wrote nothing"
else
  echo "   the database file CHANGED during a sweep with nothing new" >&2
  exit 1
fi
echo "3. assessment of every region (as of $TODAY): scores, ranks, grades and awards"
timed "assess" "$bin" --database-url "$url" assess --region all --as-of "$TODAY" --format table > "$dir/assess.txt" 2> "$dir/assess.err" || {
  cat "$dir/assess.err" >&2
  exit 1
}
tail -n 1 "$dir/assess.err"
# The same as JSON with every explanation (not timed): count the score sheets.
"$bin" --database-url "$url" assess --region all --as-of "$TODAY" --format json > "$dir/assess.json"
python3 -c "
import json
d = json.load(open('$dir/assess.json'))
d = d if isinstance(d, list) else [d]
units = sum(len(rs['sheets']) for r in d for rs in r['results'])
print(f'   {len(d)} regions, {units} unit score sheets')
"
