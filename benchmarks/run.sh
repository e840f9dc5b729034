#!/usr/bin/env bash
# Builds the benchmarks and runs the whole suite in one go: core scenarios (-t 1, hits also -t 2),
# the Spring hit path (-t 1 and -t 2), all with -prof gc, then the stampede, the cluster tier, memory per
# entry, then the report.
# Results go to benchmarks/results/<mode>/. Usage: benchmarks/run.sh [quick|full]
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-quick}"
case "$mode" in
  quick) jmh=(-f 1 -wi 2 -w 1s -i 3 -r 1s) ;;   # a smoke check: about 8 minutes
  full)  jmh=(-f 1 -wi 3 -w 2s -i 5 -r 2s) ;;   # the figures in benchmarks/README.md: about 20 minutes
  *) echo "usage: $0 [quick|full]" >&2; exit 2 ;;
esac

./mvnw -B -q -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar
out="benchmarks/results/$mode"
mkdir -p "$out"

java -jar "$jar" 'CoreBenchmarks' "${jmh[@]}" -prof gc -rf json -rff "$out/core.json"
java -jar "$jar" 'CoreBenchmarks.hit$' "${jmh[@]}" -t 2 -prof gc -rf json -rff "$out/core-hit-t2.json"
java -jar "$jar" 'SpringHitBenchmark' "${jmh[@]}" -t 1 -prof gc -rf json -rff "$out/spring-t1.json"
java -jar "$jar" 'SpringHitBenchmark' "${jmh[@]}" -t 2 -prof gc -rf json -rff "$out/spring-t2.json"
java -cp "$jar" io.github.alru.benchmarks.Stampede | tee "$out/stampede.txt"
java -jar "$jar" 'ClusterHitBenchmark' "${jmh[@]}" -t 1 -prof gc -rf json -rff "$out/cluster-t1.json"
java -cp "$jar" io.github.alru.benchmarks.ClusterHarness 2>/dev/null | tee "$out/cluster-harness.txt"
java -Djdk.attach.allowAttachSelf=true -Djol.magicFieldOffset=true -cp "$jar" io.github.alru.benchmarks.MemoryFootprint \
  | tee "$out/memory.txt"
python3 benchmarks/report.py "$out" | tee "$out/report.md"
