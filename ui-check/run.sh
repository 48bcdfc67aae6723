#!/usr/bin/env bash
# Browser test of the analyst page (/ui/) in headless chromium (Debian: apt-get install chromium).
#   ui-check/run.sh [check.mjs options]          against a running fundwatch (--base, default http://127.0.0.1:18080)
#   ui-check/run.sh --demo [check.mjs options]   starts `bin/fundwatch demo` (with its market) on free ports,
#                                                runs the check against it, stops it
#   ui-check/run.sh --plant [check.mjs options]  first plants a self-financing scheme through the contract
#                                                (plant.mjs: FUNDWATCH_BOOTSTRAP, FUNDWATCH_REGISTRY, --base)
#   ui-check/run.sh --fixture                    no fundwatch: the page from the source tree with fixture.json
# Options and env of the check itself: see the head of check.mjs. Screenshots: target/ui-screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  echo "ui-check: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
# A fresh CI machine may lack the browser and a Chinese font: Debian's packages, when we may install them.
if [ -z "${CHROMIUM:-}" ] && ! command -v /usr/bin/chromium > /dev/null \
    && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "ui-check: installing chromium and fonts-wqy-microhei (apt-get)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei) > /dev/null
fi
command -v "${CHROMIUM:-/usr/bin/chromium}" > /dev/null \
  || { echo "ui-check: no chromium at ${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium, or set CHROMIUM)" >&2; exit 2; }
if command -v fc-list > /dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  echo "ui-check: no Chinese font (apt-get install fonts-wqy-microhei): summaries show as boxes in the screenshots" >&2
fi
if [ "${1:-}" = --plant ]; then
  shift
  node plant.mjs "$@" > /dev/null
  exec node check.mjs "$@"
fi
if [ "${1:-}" != --demo ]; then
  exec node check.mjs "$@"
fi
shift
work=$(mktemp -d)
demo=""
stop_demo() {
  if [ -n "$demo" ] && kill -0 "$demo" 2>/dev/null; then
    # SIGTERM, not SIGINT: bash starts background jobs with SIGINT ignored. A demo that has not stopped in 60 s
    # gets a second one, which makes it leave at once (its broker and registry stop with it): CI must not hang.
    kill -TERM "$demo" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$demo" 2>/dev/null || break; sleep 1; done
    if kill -0 "$demo" 2>/dev/null; then
      echo "ui-check: the demo did not stop in 60 s; insisting"; tail -5 "$work/demo.err"
      kill -TERM "$demo" 2>/dev/null || true
    fi
    wait "$demo" || true
  fi
  rm -rf "$work"
}
trap stop_demo EXIT
read -r http_port kafka_port registry_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')
# --duration is a backstop; the demo is stopped as soon as the check is done.
../bin/fundwatch demo --duration 300s --json --http-port "$http_port" --kafka-port "$kafka_port" \
  --registry-port "$registry_port" > "$work/demo.out" 2> "$work/demo.err" &
demo=$!
for _ in $(seq 1 180); do
  grep -q "fundwatch demo ready" "$work/demo.err" && break
  kill -0 "$demo" 2>/dev/null || { echo "ui-check: demo exited before it was ready:"; tail -30 "$work/demo.err"; exit 1; }
  sleep 1
done
grep -q "fundwatch demo ready" "$work/demo.err" \
  || { echo "ui-check: demo not ready in 180 s"; tail -30 "$work/demo.err"; exit 1; }
grep "fundwatch demo: planted" "$work/demo.err" || true
set +e
node check.mjs --base "http://127.0.0.1:$http_port" "$@"
status=$?
set -e
echo "ui-check: the demo printed $(wc -l < "$work/demo.out") alert revision(s) meanwhile"
exit "$status"
