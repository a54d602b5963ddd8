#!/usr/bin/env bash
# The WAN benchmark suite of docs/benchmarks.md: aggregation over 1, 2, 4, 8 hosts against aria2c,
# heterogeneous links, and chunk sizes under origin latency. Each run is one bench/wan/run.sh
# (fresh namespaces and services); rows go to OUT/results.md, the chart to OUT/throughput.png.
#
# usage: bench/wan/suite.sh [OUT=bench/wan/results]   (root; about 15-25 minutes on 2 cores)
# env:   RATE (40mbit), SIZE_PER_HOST_MIB (64), HOSTS ("1 2 4 8"), HETERO_RATES (10mbit,20mbit,40mbit,80mbit),
#        CHUNK_STUDY_HOSTS (4), CHUNK_STUDY_MIB (512), PARTS ("hosts hetero chunks")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/results}
rate=${RATE:-40mbit}
per_host=${SIZE_PER_HOST_MIB:-64}
hosts_list=${HOSTS:-1 2 4 8}
hetero=${HETERO_RATES:-10mbit,20mbit,40mbit,80mbit}
study_hosts=${CHUNK_STUDY_HOSTS:-4}
study_mib=${CHUNK_STUDY_MIB:-512}
parts=${PARTS:-hosts hetero chunks}
mkdir -p "$out"
stamp=$(date -u +%Y-%m-%dT%H:%MZ)
results="$out/results.md"
: > "$out/runs.log"
run() { # label, run.sh args...
  local label=$1; shift
  echo "== $label: $*" | tee -a "$out/runs.log" >&2
  local tmp; tmp=$(mktemp)
  if "$here/run.sh" --results "$tmp" --keep-logs "$out/logs/${label//[^a-z0-9=]/_}" "$@" >> "$out/runs.log" 2>&1; then
    tail -1 "$tmp" | sed "s/^|/| $label |/" >> "$results.rows"
  else
    echo "| $label | FAILED: $(tail -1 "$out/runs.log") |" >> "$results.rows"
  fi
  rm -f "$tmp"
}
: > "$results.rows"
if [[ " $parts " == *" hosts "* ]]; then
  run "aria2c, 1 host" --tool aria2 --hosts 1 --rate "$rate" --size-mib $((per_host * 2))
  for n in $hosts_list; do
    run "hosts=$n" --hosts "$n" --rate "$rate" --size-mib $((per_host * n))
  done
fi
if [[ " $parts " == *" hetero "* ]]; then
  run "heterogeneous" --rates "$hetero" --size-mib $((per_host * 4))
fi
if [[ " $parts " == *" chunks "* ]]; then
  for delay in 20 100; do
    for chunk in 1M 4M 16M; do
      run "delay=$delay chunk=$chunk" --hosts "$study_hosts" --rate "$rate" --delay-ms "$delay" \
          --chunk-size "$chunk" --size-mib "$study_mib"
    done
  done
fi
{
  echo "Run of $stamp on $(nproc) cores ($(uname -r)); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| run | tool | hosts | links (Mbit/s) | delay (ms) | chunk | size (MiB) | transfer (s) | Mbit/s | of link sum | origin bytes / size | worker bytes / size | endgame dups | tail phase / median chunk | slowest tail chunk / median | share by host | wall (s) | load (1 min, start/end) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  cat "$results.rows"
} > "$results"
rm -f "$results.rows"
cat "$results"
"$here/chart.sh" "$results" "$out/throughput.png" || echo "bench/wan: no chart (see above)" >&2
