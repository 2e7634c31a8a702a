#!/usr/bin/env bash
# A/B of a refresh with nothing new on the default build (seeds + bundled snapshots):
# the code of revision A (default main) against this checkout (B), alternating, on one
# machine, each on its own warehouse and data folder built once first.
#   bench/noop_refresh_ab.sh [ROUNDS] [REVISION_A]
# Prints one line per run: the side, the wall seconds of the whole command, its last line.
set -euo pipefail
rounds=${1:-5}
rev_a=${2:-main}
here=$(cd "$(dirname "$0")/.." && pwd)
py="$here/.venv/bin/python"
work=$(mktemp -d /tmp/noop-ab.XXXXXX)
mkdir -p "$work/A-code"
git -C "$here" archive "$rev_a" | tar -x -C "$work/A-code"
run() {  # side code_dir
    (cd "$2" && "$py" -m breach_warehouse.cli refresh --db "$work/$1/bw.duckdb" \
        --data-dir "$work/$1/data")
}
for side in A B; do
    code=$here; [ "$side" = A ] && code=$work/A-code
    run "$side" "$code" > "$work/$side-first.log" 2>&1
done
for i in $(seq "$rounds"); do
    for side in A B; do
        code=$here; [ "$side" = A ] && code=$work/A-code
        start=$(date +%s.%N)
        last=$(run "$side" "$code" 2>&1 | grep -E "Published|up to date \(" | tail -1)
        end=$(date +%s.%N)
        printf '%s %d %.2f  %s\n' "$side" "$i" "$(echo "$end - $start" | bc)" "$last"
    done
done
rm -rf "$work"
