#!/usr/bin/env bash
# What the metrics cost a seat-map read, in instructions: valgrind's callgrind counts them, the
# same for the same binary and input whatever else the machine does (wrk's rates on a shared
# machine vary by more than the difference). kassa (release) runs on a fresh demo database with
# one HTTP worker, once with metrics off and once on, twice each; after 50 warm-up reads,
# instrumentation is switched on for N reads of the first performance's seat map on one
# keep-alive connection, and off again.
# Usage: benches/metrics/instructions.sh [N]      (needs valgrind, curl, python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
reads="${1:-2000}"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet
bin="$target/release/kassa"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cat > "$work/reads.py" <<'PY'
import http.client, json, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("GET", "/api/v1/performances")
performance = json.loads(c.getresponse().read())[0]["id"]
for _ in range(n):
    c.request("GET", f"/api/v1/performances/{performance}/seats")
    r = c.getresponse()
    r.read()
    assert r.status == 200, r.status
PY

count() {
  local enabled=$1 n=$2
  KASSA_CONFIG_DIR="$PWD/config" KASSA__DATABASE__URL="sqlite://$work/kassa.db" \
    KASSA__SERVER__PORT="$port" KASSA__SERVER__WORKERS=1 KASSA__MAIL__POLL_SECONDS=0 \
    KASSA__MAIL__OUTBOX_DIR="$work/outbox" KASSA__LOG__FILTER=error KASSA__METRICS__ENABLED="$enabled" \
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/callgrind.out" \
    "$bin" serve > "$work/log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health" > /dev/null 2>&1 && break; sleep 0.2; done
  python3 "$work/reads.py" "$port" 50
  callgrind_control -i on "$pid" > /dev/null 2>&1
  python3 "$work/reads.py" "$port" "$n"
  callgrind_control -i off "$pid" > /dev/null 2>&1
  kill -TERM "$pid"
  wait "$pid" || true
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/log"
}

for enabled in false true false true; do
  total=$(count "$enabled" "$reads")
  echo "metrics.enabled=$enabled: $total instructions for $reads reads, $((total / reads)) per read"
done
