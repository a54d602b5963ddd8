#!/usr/bin/env bash
# WAN aggregation benchmark: one download over N simulated hosts, each with its own shaped WAN link
# to the origin, and an unshaped LAN between the hosts. Needs root (network namespaces, veth, tc).
#
#   origin ns  ── w1 ══tbf══ wan0 ── host 1 (coordinator + worker 1) ── lan0 ─┐
#   10.77.0.1  ── w2 ══tbf══ wan0 ── host 2 (worker 2)               ── lan0 ─┤ bridge (LAN ns,
#              ── …                                                          ┘  10.78.0.0/24)
# Link i is 10.77.i.1 (origin) – 10.77.i.2 (host i); each host routes the origin's single address
# 10.77.0.1 over its own link only. Both directions of a link are shaped with tbf; there is no
# netem on this kernel, so round-trip latency is a delay before every origin response (origin.py).
#
# usage: bench/wan/run.sh [--hosts N] [--rate 40mbit | --rates 10mbit,20mbit,…] [--delay-ms MS]
#                         [--size-mib MIB] [--chunk-size 4M] [--concurrency 2] [--tool p2pdl|aria2]
#                         [--origin nginx|py] [--warmup-mib MIB] [--results FILE] [--keep-logs DIR]
# Prints key=value results and a one-row Markdown table; --results appends the row to FILE.
set -euo pipefail

# Extra arguments for the coordinator and every worker so their SSRF guard accepts the benchmark's
# private origin (10.77.0.1); private addresses are refused unless allowed (docs/security.md).
ORIGIN_ALLOW_ARGS=${ORIGIN_ALLOW_ARGS:---allow-origin-cidr 10.77.0.0/16}

hosts=4 rates="" rate=40mbit delay_ms=0 size_mib=256 chunk=4M concurrency=2 tool=p2pdl origin="" warmup_mib=""
results="" keep_logs=""
die() { echo "bench/wan: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) hosts=$2 ;;
    --rate) rate=$2 ;;
    --rates) rates=$2 ;;
    --delay-ms) delay_ms=$2 ;;
    --size-mib) size_mib=$2 ;;
    --chunk-size) chunk=$2 ;;
    --concurrency) concurrency=$2 ;;
    --tool) tool=$2 ;;
    --origin) origin=$2 ;;
    --warmup-mib) warmup_mib=$2 ;;
    --results) results=$2 ;;
    --keep-logs) keep_logs=$2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  [ $# -ge 2 ] || die "$1 needs a value"
  shift 2
done
if [ -n "$rates" ]; then IFS=, read -r -a link_rates <<< "$rates"; hosts=${#link_rates[@]}; else
  link_rates=(); for ((i = 0; i < hosts; i++)); do link_rates+=("$rate"); done; fi
[[ "$hosts" =~ ^[0-9]+$ ]] && [ "$hosts" -ge 1 ] && [ "$hosts" -le 32 ] || die "--hosts must be 1..32, got $hosts"
[[ "$delay_ms" =~ ^[0-9]+$ ]] || die "--delay-ms must be a whole number of milliseconds, got $delay_ms"
[[ "$size_mib" =~ ^[0-9]+$ ]] && [ "$size_mib" -ge 1 ] || die "--size-mib must be a positive number, got $size_mib"
case "$tool" in p2pdl|aria2) ;; *) die "--tool must be p2pdl or aria2, got $tool" ;; esac
[ -n "$origin" ] || { [ "$delay_ms" -eq 0 ] && origin=nginx || origin=py; }
case "$origin" in nginx) [ "$delay_ms" -eq 0 ] || die "nginx cannot delay responses: use --origin py with --delay-ms" ;;
  py) ;; *) die "--origin must be nginx or py, got $origin" ;; esac
mbit() { # tc rate -> Mbit/s (10^6)
  awk -v r="$1" 'BEGIN { if (match(r, /^[0-9.]+/)) { n = substr(r, 1, RLENGTH); u = substr(r, RLENGTH + 1) } else exit 1;
    f = (u == "gbit") ? 1000 : (u == "mbit") ? 1 : (u == "kbit") ? 0.001 : -1; if (f < 0) exit 1; print n * f }'
}
sum_mbit=0
for r in "${link_rates[@]}"; do m=$(mbit "$r") || die "rate $r is not NNkbit/NNmbit/NNgbit"; sum_mbit=$(awk -v a="$sum_mbit" -v b="$m" 'BEGIN { print a + b }'); done
[ -n "$warmup_mib" ] || warmup_mib=$((4 * hosts))
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces and tc)"

root=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3; [ -x "$py" ] || py=python3
need=()
command -v curl >/dev/null || need+=(curl)
[ "$origin" = nginx ] && ! command -v nginx >/dev/null && need+=(nginx)
[ "$tool" = aria2 ] && ! command -v aria2c >/dev/null && need+=(aria2)
if [ ${#need[@]} -gt 0 ]; then apt-get install -y -q "${need[@]}" >/dev/null || die "cannot install ${need[*]}"; fi
if [ "$tool" = p2pdl ] && [ ! -f "$root/worker/target/quarkus-app/quarkus-run.jar" ]; then
  die "build first: (cd $root && ./mvnw -q -B -ntp package -DskipTests)"
fi

id=$$
ns_o=p2w-$id-o ns_l=p2w-$id-lan
ns_h() { echo "p2w-$id-h$1"; }
work=$(mktemp -d /tmp/p2w-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null
  done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  for ns in $(ip netns list | awk '{print $1}' | grep "^p2w-$id-"); do
    # whatever still runs inside (a stray child) goes with its namespace
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns"
  done
  if [ -n "$keep_logs" ]; then mkdir -p "$keep_logs" && cp -r "$work/logs" "$keep_logs/" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the network
load_start=$(cut -d' ' -f1 /proc/loadavg)  # other work on the machine skews every figure: recorded
ip netns add "$ns_o"; ip netns add "$ns_l"
ip -n "$ns_o" link set lo up; ip -n "$ns_l" link set lo up
ip -n "$ns_o" addr add 10.77.0.1/32 dev lo
ip -n "$ns_l" link add br0 type bridge; ip -n "$ns_l" link set br0 up
for ((i = 1; i <= hosts; i++)); do
  h=$(ns_h "$i"); r=${link_rates[$((i - 1))]}
  ip netns add "$h"; ip -n "$h" link set lo up
  # WAN link: point to point, shaped in both directions (downloads are origin -> host).
  ip -n "$ns_o" link add "w$i" type veth peer name wan0 netns "$h"
  ip -n "$ns_o" addr add "10.77.$i.1/24" dev "w$i"; ip -n "$ns_o" link set "w$i" up
  ip -n "$h" addr add "10.77.$i.2/24" dev wan0; ip -n "$h" link set wan0 up
  ip -n "$h" route add 10.77.0.1/32 via "10.77.$i.1" dev wan0
  for side in "$ns_o w$i" "$h wan0"; do
    set -- $side
    tc -n "$1" qdisc add dev "$2" root tbf rate "$r" burst 64kb latency 50ms
  done
  # LAN: unshaped, a bridge shared by all hosts.
  ip -n "$ns_l" link add "l$i" type veth peer name lan0 netns "$h"
  ip -n "$ns_l" link set "l$i" master br0 up
  ip -n "$h" addr add "10.78.0.$i/24" dev lan0; ip -n "$h" link set lan0 up
done
set --

# ---------------------------------------------------------------- the origin
mkdir -p "$work/www" "$work/data" "$work/logs" "$work/out"
chmod 755 "$work/www"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/www/file.bin"
head -c $((warmup_mib * 1024 * 1024)) /dev/urandom > "$work/www/warm.bin"
chmod 644 "$work/www/"*.bin
size=$(stat -c %s "$work/www/file.bin")
expected=$(sha256sum "$work/www/file.bin" | cut -c1-64)
access="$work/logs/origin-access.log"
: > "$access"; chmod 666 "$access"
if [ "$origin" = nginx ]; then
  cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/logs/nginx-error.log;
events { worker_connections 1024; }
http {
  log_format bench '\$msec \$request_time \$remote_addr \$status \$body_bytes_sent \$http_range \$connection \$connection_requests';
  access_log $access bench;
  sendfile on;
  keepalive_requests 100000;
  server { listen 10.77.0.1:80 sndbuf=128k; root $work/www; }
}
CONF
  ip netns exec "$ns_o" nginx -c "$work/nginx.conf"
else
  ip netns exec "$ns_o" "$py" "$root/bench/wan/origin.py" --bind 10.77.0.1 --port 80 --root "$work/www" \
      --delay-ms "$delay_ms" --log "$access" > "$work/logs/origin.log" 2>&1 &
  pids+=($!)
fi
url=http://10.77.0.1/file.bin
for _ in $(seq 100); do ip netns exec "$(ns_h 1)" curl -sf -o /dev/null -r 0-0 "$url" && break; sleep 0.1; done
ip netns exec "$(ns_h 1)" curl -sf -o /dev/null -r 0-0 "$url" || die "origin does not answer"
ip netns exec "$ns_l" curl -s -m 1 -o /dev/null "$url" 2>/dev/null && die "the LAN reaches the origin: topology is wrong"

wait_http() { # ns url what
  for _ in $(seq 1500); do ip netns exec "$1" curl -sf -o /dev/null "$2" && return 0; sleep 0.2; done
  die "$3 not ready after 300 s (logs: $work/logs)"
}
cpu_ticks() { # pid...: user + system clock ticks of these processes so far (fields 14, 15 of stat)
  local pid total=0
  for pid in "$@"; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
cpu_seconds_since() { # ticks pid...: CPU seconds these processes used since cpu_ticks said ticks
  local before=$1
  shift
  awk -v a="$(cpu_ticks "$@")" -v b="$before" -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (a - b) / t }'
}
metric_sum() { # ns url metric-name: sum of a metric's samples
  ip netns exec "$1" curl -sf "$2" | awk -v m="$3" '$1 ~ "^"m"({|$)" { s += $NF } END { printf "%.0f\n", s }'
}

# ---------------------------------------------------------------- the download
export P2PDL_WORKER_TOKEN=${P2PDL_WORKER_TOKEN:-$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export P2PDL_ADMIN_TOKEN=${P2PDL_ADMIN_TOKEN:-$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')}
coord=10.78.0.1:7400 # gRPC; health and metrics on coord_http
# The launcher's JIT options for the coordinator (C2 for hot code only), with a bounded heap.
coordinator_jit="-XX:+UseSerialGC -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000"
coordinator_jit="$coordinator_jit -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000"
coord_http=10.78.0.1:7402
h1=$(ns_h 1)
first_line=1
if [ "$tool" = p2pdl ]; then
  # shellcheck disable=SC2086 # ORIGIN_ALLOW_ARGS is a word list
  ip netns exec "$h1" env P2PDL_COORDINATOR_JAVA_OPTS="${P2PDL_COORDINATOR_JAVA_OPTS:--Xmx256m $coordinator_jit}" "$root/p2pdl" coordinator \
      --port 7400 --http-port 7402 --bind 10.78.0.1 --data-dir "$work/data" --embedded-workers 0 $ORIGIN_ALLOW_ARGS \
      > "$work/logs/coordinator.log" 2>&1 &
  pids+=($!)
  for ((i = 1; i <= hosts; i++)); do
    # shellcheck disable=SC2086
    ip netns exec "$(ns_h "$i")" env P2PDL_WORKER_JAVA_OPTS="${P2PDL_WORKER_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}" "$root/p2pdl" worker \
        --coordinator "$coord" --port 7401 --bind "10.78.0.$i" --id "host$i" --concurrency "$concurrency" \
        $ORIGIN_ALLOW_ARGS > "$work/logs/worker-$i.log" 2>&1 &
    pids+=($!)
  done
  wait_http "$h1" "http://$coord_http/q/health/ready" coordinator
  for ((i = 1; i <= hosts; i++)); do wait_http "$(ns_h "$i")" "http://10.78.0.$i:7401/q/health/ready" "worker $i"; done
  cli() { ip netns exec "$h1" env P2PDL_COORDINATOR="$coord" "$root/p2pdl" "$@"; }
  if [ "$warmup_mib" -gt 0 ]; then # JIT and connections warm, like long-running services
    cli submit http://10.77.0.1/warm.bin -o warm.bin --chunk-size "$chunk" --wait --progress none > "$work/logs/warmup.out" \
        || die "warm-up download failed: $(tail -1 "$work/logs/warmup.out")"
  fi
  fetched_before=0
  for ((i = 1; i <= hosts; i++)); do
    fetched_before=$((fetched_before + $(metric_sum "$(ns_h "$i")" "http://10.78.0.$i:7401/q/metrics" p2pdl_worker_fetched_bytes_total)))
  done
  first_line=$(($(wc -l < "$access") + 1))
  coord_pid=${pids[-$((hosts + 1))]}
  coord_ticks=$(cpu_ticks "$coord_pid")
  stat_before=$(head -1 /proc/stat)
  workers_ticks=$(cpu_ticks "${pids[@]: -$hosts}")
  start=$(date +%s.%N)
  # One CLI process that submits and follows (what a Kubernetes Job runs): a second JVM starting to
  # watch would take a core's worth of start-up from the first seconds of the download.
  cli submit "$url" -o file.bin --chunk-size "$chunk" --progress none --wait > "$work/logs/watch.out" 2>&1 \
      || die "download failed: $(tail -1 "$work/logs/watch.out")"
  download_id=$(head -1 "$work/logs/watch.out")
  end=$(date +%s.%N)
  # CPU seconds (user + system) each side spent during the download: the 2-core limit at N = 8.
  cpu_coord=$(cpu_seconds_since "$coord_ticks" "$coord_pid")
  cpu_workers=$(cpu_seconds_since "$workers_ticks" "${pids[@]: -$hosts}")
  # The machine's idle share over the download (all cores; idle + iowait of /proc/stat).
  machine_idle=$(printf '%s\n%s\n' "$stat_before" "$(head -1 /proc/stat)" | awk '
    { t = 0; for (i = 2; i <= NF; i++) t += $i; idle[NR] = $5 + $6; total[NR] = t }
    END { printf "%.2f", (idle[2] - idle[1]) / (total[2] - total[1]) }')
  cli status "$download_id" --output json > "$work/status.json"
  got=$(sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p' "$work/status.json")
  [ "$got" = "$expected" ] || die "p2pdl reported sha256 $got, the file's is $expected"
  fetched_after=0
  for ((i = 1; i <= hosts; i++)); do
    fetched_after=$((fetched_after + $(metric_sum "$(ns_h "$i")" "http://10.78.0.$i:7401/q/metrics" p2pdl_worker_fetched_bytes_total)))
  done
  worker_ratio=$(awk -v a="$fetched_after" -v b="$fetched_before" -v s="$size" 'BEGIN { printf "%.4f", (a - b) / s }')
  dups=$(metric_sum "$h1" "http://$coord_http/q/metrics" p2pdl_coordinator_endgame_duplicates_total)
else
  first_line=1
  start=$(date +%s.%N)
  ip netns exec "$h1" aria2c -q -x16 -s16 -k1M --file-allocation=none --allow-overwrite=true \
      -d "$work/out" -o file.bin "$url" > "$work/logs/aria2.log" 2>&1 || die "aria2c failed: $(tail -1 "$work/logs/aria2.log")"
  end=$(date +%s.%N)
  got=$(sha256sum "$work/out/file.bin" | cut -c1-64)
  [ "$got" = "$expected" ] || die "aria2c produced a wrong file"
  worker_ratio=- dups=-
fi
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')

# ---------------------------------------------------------------- results
sleep 0.5  # the origin logs a response after its last byte left
"$py" "$root/bench/wan/analyze.py" "$access" "$first_line" "$size" \
    "$(numfmt --from=iec "${chunk%B}")" > "$work/analysis.txt"
get() { local v; v=$(sed -n "s/^$1=//p" "$work/analysis.txt"); echo "${v:--}"; }
shares=$(grep '^share_' "$work/analysis.txt" | sed 's/^share_//' | paste -sd' ' - || true)
load=$(cut -d' ' -f1 /proc/loadavg)
mbit_s=$(get mbit_s)
of_sum=$(awk -v a="$mbit_s" -v b="$sum_mbit" 'BEGIN { printf "%.3f", a / b }')
{
  echo "tool=$tool hosts=$hosts rates=${link_rates[*]} sum_mbit=$sum_mbit delay_ms=$delay_ms chunk=$chunk size_mib=$size_mib origin=$origin"
  cat "$work/analysis.txt"
  echo "of_link_sum=$of_sum wall_s=$wall worker_ratio=$worker_ratio endgame_duplicates=$dups load_start=$load_start load_end=$load cpu_coordinator_s=${cpu_coord:--} cpu_workers_s=${cpu_workers:--} machine_idle=${machine_idle:--}"
} | tr '\n' ' '; echo
header="| tool | hosts | links (Mbit/s) | delay (ms) | chunk | size (MiB) | transfer (s) | Mbit/s | of link sum | origin bytes / size | worker bytes / size | endgame dups | tail phase / median chunk | slowest tail chunk / median | share by host | wall (s) | load (1 min, start/end) |"
row=$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' \
  "$tool" "$hosts" "$(IFS=+; m=(); for r in "${link_rates[@]}"; do m+=("$(mbit "$r")"); done; echo "${m[*]}")" \
  "$delay_ms" "$chunk" "$size_mib" "$(get transfer_s)" "$mbit_s" "$of_sum" "$(get origin_ratio)" "$worker_ratio" "$dups" \
  "$(get tail_phase)" "$(get tail_chunk)" "${shares:--}" "$wall" "$load_start/$load")
echo "$header"
echo "$row"
if [ -n "$results" ]; then
  [ -s "$results" ] || echo "$header" > "$results"
  echo "$row" >> "$results"
fi
