#!/usr/bin/env bash
# Control-plane benchmarks (JMH): planning a 1 TiB download, lease throughput and latency with 500
# simulated workers, coordinator restart replaying a 1M-record journal. Prints JMH's tables; the
# targets are in docs/benchmarks.md.
#
# usage: bench/jmh/run.sh [JMH ARGS...]     e.g. bench/jmh/run.sh LeaseBenchmark -f 1
#        default: all three benchmarks, with -prof gc (heap allocated per operation)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$root" && ./mvnw -q -B -ntp package -pl bench/jmh -am -DskipTests)
module="$root/bench/jmh/target"
cp="$module/classes:$(cat "$module/classpath.txt")"
[ $# -gt 0 ] || set -- -prof gc -rf json -rff "$module/jmh-result.json"
# The JVM under test runs on the machine's cores as they are; the targets assume 2.
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
