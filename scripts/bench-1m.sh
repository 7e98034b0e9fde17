#!/usr/bin/env bash
# Runs import + extract + aggregate + report on a synthetic corpus of N
# postings (default 1,000,000) and prints wall time, CPU use and peak RSS per
# stage, then the same again with nothing new (the incremental path).
#
#   scripts/bench-1m.sh [N] [WORKDIR]
#
# Needs GNU time (/usr/bin/time, Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
bin="$work/skilltrend"
go build -o "$bin" ./cmd/skilltrend
db="$work/bench.duckdb"
rm -f "$db" "$db".*

stage() {
  local name=$1; shift
  /usr/bin/time -f "%e %P %M" -o "$work/time.txt" "$@" >/dev/null
  read -r secs cpu kb <"$work/time.txt"
  printf '%-22s %8.2f s  cpu %5s  peak RSS %6d MiB\n' "$name" "$secs" "$cpu" $((kb / 1024))
}

echo "corpus: $n postings in $work"
# A corpus of the same size left in WORKDIR by an earlier run is reused.
if [[ -s "$work/corpus.jsonl" && "$(cat "$work/corpus.n" 2>/dev/null)" == "$n" ]]; then
  echo "synth: reusing $work/corpus.jsonl"
else
  rm -f "$work/corpus.n"
  stage "synth" "$bin" synth --postings "$n" --out "$work/corpus.jsonl"
  echo "$n" >"$work/corpus.n"
fi
stage "import" "$bin" import --db "$db" "$work/corpus.jsonl"
stage "extract+aggregate" "$bin" extract --db "$db"
stage "report" "$bin" report --db "$db" --out "$work/report"
echo "re-run with no new postings:"
stage "import (same file)" "$bin" import --db "$db" "$work/corpus.jsonl"
stage "extract+aggregate" "$bin" extract --db "$db"
ls -l "$db" | awk '{printf "database: %d MiB\n", $5/1048576}'
