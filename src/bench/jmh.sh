#!/usr/bin/env bash
# JMH figures for one intercepted cache hit per layer, against a plain call and a no-op interceptor on the same
# bean, and against Payara's own JSR-107 @CacheResult hit on the same data. The benchmarks run inside a Payara
# Micro started here (loopback only, stopped by its PID), because Payara's interceptors exist only there.
# Writes the JMH part of docs/BENCHMARKS.md into target/bench/jmh.md.
# Usage: src/bench/jmh.sh            (ITERATIONS=5 ITERATION_SECONDS=2 to change)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../scripts/payara-micro.sh
source src/scripts/payara-micro.sh

ITERATIONS=${ITERATIONS:-5}
SECONDS_PER_ITERATION=${ITERATION_SECONDS:-2}
PORT=${PORT:-18095}
RESULTS=target/bench
mkdir -p "$RESULTS"

[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -Pjmh package -Dmaven.test.skip=true

payara_micro_start "$RESULTS/jmh-server.log" src/jmh/target/layered-cache-jmh.war "$PORT" jmh "layered-cache-jmh-$$"
trap 'payara_micro_stop $PAYARA_PID' EXIT
payara_micro_await "$PAYARA_PID" "$RESULTS/jmh-server.log" ""

pg_isready -h 127.0.0.1 -p 5432 -q || true
[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ] || { echo "Redis is not running on 127.0.0.1:6379" >&2; exit 1; }
curl -sf --max-time 1800 -X POST \
    "http://127.0.0.1:$PORT/jmh?iterations=$ITERATIONS&seconds=$SECONDS_PER_ITERATION" > "$RESULTS/jmh.csv"
curl -sf --max-time 1800 -X POST \
    "http://127.0.0.1:$PORT/jmh?iterations=5&seconds=1&benchmarks=CodecBenchmarks" > "$RESULTS/codec.csv"
curl -sf --max-time 600 -X POST "http://127.0.0.1:$PORT/jmh/tag-invalidation?entries=10000&rounds=20" \
    > "$RESULTS/tags.csv"

# CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
score() { awk -F, -v b="\"org.layeredcache.jmh.HitBenchmarks.$1\"" '$1 == b { print $5 }' "$RESULTS/jmh.csv"; }
error() { awk -F, -v b="\"org.layeredcache.jmh.HitBenchmarks.$1\"" '$1 == b { print $6 }' "$RESULTS/jmh.csv"; }
base=$(score noOpInterceptor)
row() {
    printf '| %s | %.0f ± %.0f | %.2f |\n' "$2" "$(score "$1")" "$(error "$1")" "$(echo "$(score "$1") / $base" | bc -l)"
}
{
    echo "## In-process: one cache hit, per layer (JMH inside Payara Micro)"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/jmh.sh\` at commit $(git rev-parse --short HEAD) on $(nproc) cores, $(java -version 2>&1 | head -1),"
    echo "Payara Micro 6.2025.10 (its Hazelcast 5.3 as the cluster layer, one member). JMH 1.37, average time per call, one"
    echo "thread, $ITERATIONS warm-up and $ITERATIONS measured iterations of ${SECONDS_PER_ITERATION} s, \`forks = 0\`: the benchmarks run in the"
    echo "server's JVM so that they call the application's own beans (JMH warns that unforked runs are less isolated)."
    echo "All calls go to the same \`@ApplicationScoped\` bean and return the same 2 KB value; the ratio is against the"
    echo "no-op interceptor on that bean, measured in the same run."
    echo
    echo "| call | ns/op (± 99.9% error) | × no-op interceptor |"
    echo "|---|---|---|"
    row plainCall "plain call, no interceptor"
    row noOpInterceptor "no-op interceptor (baseline)"
    row requestLayerHit "\`@CachedRead\`, request-layer hit"
    row nearLayerHit "\`@CachedRead\`, near-layer hit (Caffeine)"
    row nearLayerHitTwoTags "\`@CachedRead\`, near-layer hit of an entry with two tags (both checked)"
    row nearLayerHitTenTags "\`@CachedRead\`, near-layer hit of an entry with eleven tags (as one built from ten tracked entities of one type)"
    row nearLayerHitWithCondition "\`@CachedRead(condition = \"id > 0\", unless = \"result == null\")\`, near-layer hit (the condition evaluated per call)"
    row nearLayerHitOnStatelessEjb "\`@CachedRead\`, near-layer hit, on a \`@Stateless\` EJB (container transaction per call)"
    row clusterLayerHit "\`@CachedRead\`, cluster-layer hit (JCache on Hazelcast, local member), value in Apache Fory's form (the default)"
    row clusterLayerHitJavaForm "\`@CachedRead\`, cluster-layer hit, value in Java serialization (\`cluster.value-form=java\`)"
    row standardCacheResultHit "JSR-107 \`@CacheResult\` through the library, near-layer hit"
    row payaraCacheResultHit "Payara's JSR-107 \`@CacheResult\` hit (JCache on the same Hazelcast)"
    row redisGetAndJsonDecode "Redis GET of the same item as JSON + JSON-B decode (127.0.0.1:6379, pooled connection)"
    echo
    ratio() { echo "$(score "$1") / $(score "$2")" | bc -l; }
    echo "Goals of the issues, measured in this run:"
    echo
    echo "| comparison | measured | goal | met |"
    echo "|---|---|---|---|"
    met() { if [ "$(echo "$1 <= $2" | bc -l)" = 1 ]; then echo yes; else echo no; fi; }
    c=$(ratio clusterLayerHit redisGetAndJsonDecode); n=$(ratio nearLayerHit noOpInterceptor)
    printf '| cluster-layer hit / Redis GET + JSON decode (page issue) | %.2f× | ≤ 0.8× | %s |\n' "$c" "$(met "$c" 0.8)"
    f=$(ratio clusterLayerHit clusterLayerHitJavaForm)
    printf '| cluster-layer hit, Fory form / Java serialization (for information) | %.2f× | – | – |\n' "$f"
    printf '| near-layer hit / no-op intercepted call | %.2f× | ≤ 1.3× | %s |\n' "$n" "$(met "$n" 1.3)"
    t=$(ratio nearLayerHitTwoTags nearLayerHit)
    printf '| near-layer hit with two tags / without (tags issue) | %.2f× | ≤ 1.3× | %s |\n' "$t" "$(met "$t" 1.3)"
    e=$(ratio nearLayerHitTenTags nearLayerHit)
    printf '| near-layer hit with ten tracked entities (eleven tags) / without | %.2f× | ≤ 1.3× | %s |\n' "$e" "$(met "$e" 1.3)"
    j=$(ratio standardCacheResultHit nearLayerHit)
    printf '| JSR-107 `@CacheResult` hit through the library / `@CachedRead` near hit (JSR-107 issue) | %.2f× | ≤ 1.3× | %s |\n' "$j" "$(met "$j" 1.3)"
    p=$(ratio payaraCacheResultHit standardCacheResultHit)
    printf '| Payara'"'"'s own `@CacheResult` hit / through the library (for information) | %.1f× | – | – |\n' "$p"
    k=$(ratio nearLayerHitWithCondition nearLayerHit)
    printf '| near-layer hit with a condition / without (conditions issue) | %.2f× | ≤ 1.3× | %s |\n' "$k" "$(met "$k" 1.3)"
    echo
    echo "A hit costs less than the no-op interceptor call because it skips the method body (building the 2 KB value);"
    echo "the plain call runs the body without any interceptor. Raw JMH results: \`target/bench/jmh.csv\`."
} > "$RESULTS/jmh.md"
cat "$RESULTS/jmh.md"
src/bench/report.sh jmh "$RESULTS/jmh.md"

# The codec comparison: CSV columns ..., "Param: codec", "Param: size"; stored sizes in "# stored" lines.
{
    echo "## Value codecs for the cluster layer (JMH inside Payara Micro)"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/jmh.sh\` at commit $(git rev-parse --short HEAD), same server. One operation is"
    echo "a put's and a get's codec work on one value: serialize (and compress), then (decompress and) deserialize."
    echo "Values are lists of template-like records (repeated words, as the example's templates). 5 + 5 iterations of 1 s."
    echo
    echo "| serialized size | codec | stored bytes | µs per put + get | × Java serialization |"
    echo "|---|---|---|---|---|"
    awk -F, '
        /^# stored / { split($0, f, " "); stored[f[3] " " f[4]] = f[5]; next }
        NR > 1 && $1 ~ /CodecBenchmarks/ {
            gsub(/["\r]/, ""); codec = $8; size = $9; score[codec " " size] = $5 / 1000; sizes[size] = 1
        }
        END {
            n = split("2048 65536 2097152", order, " ")
            m = split("java deflate lz4 zstd kryo fory", codecs, " ")
            for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) {
                k = codecs[j] " " order[i]
                printf "| %s | %s | %s | %.1f | %.2f |\n", stored["serialized " order[i]], codecs[j], stored[k], \
                    score[k], score[k] / score["java " order[i]]
            }
        }' "$RESULTS/codec.csv"
    echo
    echo "The library writes Apache Fory's form (\`cluster.value-form=fory\`, the default; \`java\` for Java serialization),"
    echo "with the JDK's Deflater (\`BEST_SPEED\`) above \`cluster.compress-above\` (16 KB); lz4-java and zstd-jni were"
    echo "measured as the alternative compressions, Kryo and Apache Fory as the alternative serializers (no compression;"
    echo "any class without registration, read back only through an allow-list, Fory in its compatible mode, as the"
    echo "library sets it up), on the same values."
} > "$RESULTS/codec.md"
cat "$RESULTS/codec.md"
src/bench/report.sh codec "$RESULTS/codec.md"

# The tag invalidation: CSV what,entries,rounds,medianMicros,maxMicros,mapSetsEach,messagesEach,reloadedAfter
{
    echo "## Invalidating one tag that 10,000 entries carry (inside Payara Micro)"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`src/bench/jmh.sh\` at commit $(git rev-parse --short HEAD), same server (one member)."
    echo "Each round caches 10,000 entries carrying the tag \`wide\` (near and cluster layers), then times one call of"
    echo "an \`@Invalidates(tags = \"wide\")\` method by wall clock, then reads every thousandth entry back. The baseline"
    echo "is an \`@Invalidates\` of one key of the same cache, in the same run. Cluster operations are Hazelcast's"
    echo "own counts on this member: sets on the tags' version map, and messages published on the invalidation topic."
    echo
    echo "| invalidation | entries dropped | rounds | median µs | max µs | map writes each | messages each | reads after it that loaded |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F, 'NR > 1 { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, ($8 == "" ? "–" : $8 " of " $3 * 10) }' \
        "$RESULTS/tags.csv"
    echo
    tag=$(awk -F, '$1 == "one tag" { print $4 }' "$RESULTS/tags.csv")
    key=$(awk -F, '$1 == "one key (baseline)" { print $4 }' "$RESULTS/tags.csv")
    printf 'Median one tag / one key: %.2f×. Goal of the tags issue: a constant number of cluster operations and under\n' \
        "$(echo "$tag / $key" | bc -l)"
    printf '5 ms on one node; measured %s µs (%s).\n' "$tag" "$([ "$tag" -lt 5000 ] && echo met || echo "not met")"
} > "$RESULTS/tags.md"
cat "$RESULTS/tags.md"
src/bench/report.sh tags "$RESULTS/tags.md"
