#!/usr/bin/env bash
# Loopback benchmark: `p2pdl get` vs `aria2c -x8 -s8 -k1M` vs `curl -o`, alternating, on one
# random file served by nginx on 127.0.0.1. Prints wall times, medians, ratios to aria2c, and peak
# RSS of each process (the CLI's children are measured through their own /proc status at exit).
#
# usage: bench/local/run.sh [SIZE_MIB=2048] [RUNS=3]
# needs: nginx, aria2c, curl, GNU time (apt-get install nginx aria2 curl time); builds p2pdl if needed.
set -euo pipefail
size_mib=${1:-2048}
runs=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/p2pdl-bench.XXXXXX)
port=18399
cleanup() {
  [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for tool in nginx aria2c curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install nginx aria2 curl time)" >&2; exit 1; }
done

mkdir -p "$work/www" "$work/out"
chmod 755 "$work" "$work/www"  # nginx workers run as another user
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/www/file.bin"
chmod 644 "$work/www/file.bin"
expected=$(sha256sum "$work/www/file.bin" | cut -c1-64)
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; server { listen 127.0.0.1:$port; root $work/www; } }
CONF
nginx -c "$work/nginx.conf"
url="http://127.0.0.1:$port/file.bin"
"$root/p2pdl" --help >/dev/null 2>&1 || true   # builds on first use

declare -A times
measure() { # name, command...
  local name=$1; shift
  rm -f "$work/out/"*
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>"$work/err" || { echo "bench: $name failed: $(tail -1 "$work/err")" >&2; exit 1; }
  end=$(date +%s.%N)
  local got
  got=$(sha256sum "$work/out/file.bin" | cut -c1-64)
  [ "$got" = "$expected" ] || { echo "bench: $name produced a wrong file" >&2; exit 1; }
  times[$name]="${times[$name]:-} $(echo "$end - $start" | bc)"
  printf '%-8s run: %6.2f s, peak RSS %d MiB (largest process of its tree)\n' "$name" "$(echo "$end - $start" | bc)" $(( $(cat "$work/rss") / 1024 ))
}
for i in $(seq "$runs"); do
  measure p2pdl "$root/p2pdl" get "$url" -o "$work/out/file.bin"
  measure aria2c aria2c -q -x8 -s8 -k1M -d "$work/out" -o file.bin "$url"
  measure curl curl -s -o "$work/out/file.bin" "$url"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "| tool | median wall (s) of $runs | ratio to aria2c |"
echo "| --- | --- | --- |"
aria=$(echo "${times[aria2c]}" | median)
for t in p2pdl aria2c curl; do
  m=$(echo "${times[$t]}" | median)
  printf '| %s | %.2f | %.2f |\n' "$t" "$m" "$(echo "$m / $aria" | bc -l)"
done
echo "(${size_mib} MiB random file from nginx on 127.0.0.1; $(nproc) cores)"
