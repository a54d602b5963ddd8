#!/usr/bin/env bash
# Draws throughput vs number of hosts from a suite's results.md (rows "hosts=N" and "aria2c, …"):
# p2pdl, the sum of the link rates, the 0.9 × sum target and aria2c in one host.
#
# usage: bench/wan/chart.sh RESULTS.md OUT.png      (needs gnuplot: apt-get install -y gnuplot-nox)
set -euo pipefail
results=$1 png=$2
command -v gnuplot >/dev/null || apt-get install -y -q gnuplot-nox >/dev/null \
  || { echo "bench/wan: gnuplot is missing (apt-get install -y gnuplot-nox)" >&2; exit 1; }
data=$(mktemp)
trap 'rm -f "$data"' EXIT
# columns of a row split on '|': 2 run, 3 tool, 4 hosts, 5 links, 10 Mbit/s
awk -F'|' '
  function trim(s) { gsub(/^ +| +$/, "", s); return s }
  trim($2) ~ /^aria2c/ { aria = trim($10) }
  trim($2) ~ /^hosts=/ && trim($10) ~ /^[0-9.]+$/ {
    n = split(trim($5), r, "+"); sum = 0; for (i = 1; i <= n; i++) sum += r[i]
    rows[trim($4)] = trim($10) " " sum
  }
  END { for (h in rows) print h, rows[h], (aria == "" ? "NaN" : aria) }' "$results" | sort -n > "$data"
[ -s "$data" ] || { echo "bench/wan: no hosts=N rows in $results" >&2; exit 1; }
gnuplot <<PLOT
set terminal pngcairo size 800,500 noenhanced font ",11"
set output "$png"
set title "p2pdl over N shaped WAN links (bench/wan/suite.sh)"
set xlabel "worker hosts"
set ylabel "throughput (Mbit/s)"
set key top left
set grid
set xrange [0:9]
set yrange [0:*]
set xtics (1, 2, 4, 8)
plot "$data" using 1:3 with linespoints lw 2 title "sum of link rates", \
     "$data" using 1:(0.9*\$3) with lines dt 2 lw 2 title "target 0.9 x sum", \
     "$data" using 1:2 with linespoints lw 3 pt 7 title "p2pdl", \
     "$data" using 1:4 with lines lw 2 title "aria2c -x16 -s16, one host"
PLOT
echo "bench/wan: chart written to $png" >&2
