#!/usr/bin/env bash
# Benchmark of `rootwatch scan` against jq and zcat, on one and on two cores, in one run.
#
#   bench/run.sh [SIZE] [DIR]      SIZE: uncompressed JSON to generate (default 2GB); DIR: where
#                                  (default: a new temp dir, removed at the end unless KEEP=1)
#   REPEAT=3 bench/run.sh 2GB      best of 3 runs per measurement (default 1)
#
# It generates realistic CloudTrail log files from the corpus in testdata/cloudtrail (bench/gen), then times,
# with the page cache warm:
#   zcat      `zcat FILES > /dev/null`: decompression alone, the floor
#   jq        `zcat FILES | jq -c FILTER`: the same root-usage review with the Debian jq package
#   rootwatch `rootwatch scan DIR --controls root-usage --format json`
#   all       `rootwatch scan DIR --controls all --format json`: every control of the catalogue
# on one core (taskset -c 0, GOMAXPROCS=1; the zcat|jq pipeline shares that core) and on two
# (taskset -c 0,1; GOMAXPROCS=2 for rootwatch; two zcat or zcat|jq pipelines over halves of the
# files). MB/s counts uncompressed JSON bytes. It checks that jq and rootwatch (alone and among all
# controls) find the same number of root events, the number the generator wrote. Then, with
# /usr/bin/time if present, it reports rootwatch's maximum resident memory on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-2GB}
DIR=${2:-}
REPEAT=${REPEAT:-1}
for tool in jq zcat taskset go; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done
if [ -z "$DIR" ]; then
  DIR=$(mktemp -d /tmp/rootwatch-bench.XXXXXX)
  [ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$DIR"' EXIT
fi
CORPUS=${CORPUS:-testdata/cloudtrail}
BIN="$DIR/rootwatch"

echo "== machine"
echo "nproc: $(nproc)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "go: $(go version)"
echo "jq: $(jq --version); gzip: $(gzip --version | head -1)"

echo "== build and generate ($SIZE uncompressed) in $DIR"
go build -o "$BIN" ./cmd/rootwatch
go run ./bench/gen -corpus "$CORPUS" -out "$DIR/data" -size "$SIZE"
LOGS="$DIR/data/AWSLogs"
read -r BYTES EVENTS ROOTS < <(jq -r '"\(.bytes_uncompressed) \(.events) \(.root_events)"' "$DIR/data/manifest.json")
find "$LOGS" -name '*.json.gz' -print0 | sort -z > "$DIR/files"
NFILES=$(tr -cd '\0' < "$DIR/files" | wc -c)
HALF=$(( (NFILES + 1) / 2 ))
cat "$DIR/files" | xargs -0 cat > /dev/null   # warm the page cache

FILTER='.Records[] | select(.userIdentity.type == "Root" and ((.userIdentity | has("invokedBy") | not) or .userIdentity.invokedBy == "signin.amazonaws.com") and has("eventType") and .eventType != "AwsServiceEvent") | [.eventTime, .recipientAccountId, .awsRegion, .eventName, (.errorCode // .responseElements.ConsoleLogin? // "Success"), .sourceIPAddress, .userAgent, .additionalEventData.MFAUsed?]'
export FILTER

zcat1() { xargs -0 zcat < "$DIR/files" > /dev/null; }
zcat2() { xargs -0 -P2 -n "$HALF" zcat < "$DIR/files" > /dev/null; }
jq1()   { xargs -0 zcat < "$DIR/files" | jq -c "$FILTER" > "$DIR/out.jq"; }
jq2()   { xargs -0 -P2 -n "$HALF" sh -c 'zcat "$@" | jq -c "$FILTER"' _ < "$DIR/files" > "$DIR/out.jq"; }
rw()    { GOMAXPROCS=$1 "$BIN" scan "$LOGS" --since 90d --controls "$2" --format json > "$DIR/out.$2"; }
rw1()   { rw 1 root-usage; }
rw2()   { rw 2 root-usage; }
all1()  { rw 1 all; }
all2()  { rw 2 all; }

# best-of-REPEAT wall time of "$@" pinned to the CPU list $CPUS
timeit() {
  local best=""
  for _ in $(seq "$REPEAT"); do
    local t0=$EPOCHREALTIME
    taskset -c "$CPUS" bash -c "$(declare -f "$1" rw); DIR='$DIR' HALF=$HALF LOGS='$LOGS' BIN='$BIN' $1"
    local t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN{exit !(t<b)}'; then best=$t; fi
  done
  echo "$best"
}

declare -A T
for cores in 1 2; do
  if [ "$cores" = 1 ]; then CPUS=0; else CPUS=0,1; fi
  if [ "$cores" -gt "$(nproc)" ]; then echo "(only $(nproc) CPU: skipping $cores cores)"; continue; fi
  for tool in zcat jq rw all; do
    T[$tool$cores]=$(timeit "$tool$cores")
    echo "  $tool on $cores core(s): ${T[$tool$cores]}s"
  done
  njq=$(wc -l < "$DIR/out.jq")
  nrw=$(grep -c '"type":"event"' "$DIR/out.root-usage" || true)
  nall=$(grep -c '"type":"event".*"control":"root-usage"' "$DIR/out.all" || true)
  if [ "$njq" != "$ROOTS" ] || [ "$nrw" != "$ROOTS" ] || [ "$nall" != "$ROOTS" ]; then
    echo "bench: MISMATCH: generator wrote $ROOTS root events, jq found $njq, rootwatch $nrw, rootwatch with all controls $nall" >&2
    exit 1
  fi
done
NALL=$(grep -c '"type":"event"' "$DIR/out.all" || true)

echo "== results: $NFILES files, $(awk -v b="$BYTES" 'BEGIN{printf "%.0f", b/1e6}') MB JSON ($(du -sm "$LOGS" | cut -f1) MB gzip), $EVENTS events, $ROOTS root events found by both jq and rootwatch; $NALL findings with all controls"
printf '| %-14s | %5s | %8s | %8s | %11s | %8s | %9s |\n' tool cores seconds "MB/s" "events/s" "vs jq" "vs zcat"
printf '|%s|\n' "----------------|-------|----------|----------|-------------|----------|-----------"
for cores in 1 2; do
  [ -n "${T[zcat$cores]:-}" ] || continue
  for tool in zcat jq rw all; do
    t=${T[$tool$cores]}
    name=$tool; [ "$tool" = rw ] && name=rootwatch; [ "$tool" = all ] && name="rootwatch all"
    awk -v n="$name" -v c="$cores" -v t="$t" -v b="$BYTES" -v e="$EVENTS" -v j="${T[jq$cores]}" -v z="${T[zcat$cores]}" \
      'BEGIN{printf "| %-14s | %5s | %8.2f | %8.0f | %11.0f | %7.2fx | %8.2fx |\n", n, c, t, b/1e6/t, e/t, j/t, z/t}'
  done
done
if [ -x /usr/bin/time ]; then
  for controls in root-usage all; do
    kb=$( { GOMAXPROCS=2 /usr/bin/time -f %M "$BIN" scan "$LOGS" --since 90d --controls "$controls" --format json > /dev/null || true; } 2>&1 | tail -1)
    echo "max RSS, rootwatch --controls $controls, 2 cores: $((kb / 1024)) MB"
  done
fi
