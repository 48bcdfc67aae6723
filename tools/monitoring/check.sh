#!/usr/bin/env bash
# The monitoring check (.ci/run runs it): static checks of dashboards/, docker/ and the alert rules, then every
# dashboard query and every rule evaluated by a real Prometheus that scrapes `bin/fundwatch demo`.
#
#   static: dashboards/*.json are what tools/monitoring/dashboards.mjs writes; they type-check against
#           @grafana/schema (tools/monitoring/schema-check); promtool check config/rules, promtool test rules
#           (tools/monitoring/rules-test.yml); docker-compose config -q and every file the compose file uses.
#   live:   the demo on free ports, Prometheus (Debian package, a plain process, 2 s scrapes, the rules of
#           docker/prometheus/rules.yml) on a free loopback port, then tools/monitoring/promql_check.py.
#
# Needs: promtool + prometheus and docker-compose (installed from Debian when missing; CI runs as root),
# Node.js with npm, Java 17 + Maven (bin/fundwatch). Stops everything it started; bounded at 4 minutes.
# MONITORING_VERBOSE=1 prints the first series each query returned.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
started=$(date +%s)
elapsed() { echo $(( $(date +%s) - started )); }
step() { echo "== monitoring [$(elapsed) s]: $*"; }

if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null || ! command -v docker-compose >/dev/null; then
  step "installing prometheus and docker-compose from Debian"
  if [ "$(id -u)" -ne 0 ]; then
    echo "promtool/prometheus or docker-compose missing; run as root or: sudo apt-get install prometheus docker-compose"
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus docker-compose >/dev/null
fi

step "dashboards/*.json match tools/monitoring/dashboards.mjs"
node tools/monitoring/dashboards.mjs --check

step "dashboards type-check against @grafana/schema (tsc --strict)"
(cd tools/monitoring/schema-check && npm ci --no-audit --no-fund --loglevel=error && npm run -s check)

step "promtool: config, rules, rule unit tests"
promtool check config docker/prometheus/prometheus.yml
promtool check rules docker/prometheus/rules.yml
promtool test rules tools/monitoring/rules-test.yml

step "docker-compose config -q, and every file it references"
docker-compose -f docker/docker-compose.yml config -q
docker-compose -f docker/docker-compose.yml config | python3 -c '
import os, sys, yaml
config = yaml.safe_load(sys.stdin)
missing = []
for name, service in config["services"].items():
    build = service.get("build")
    if build:
        context = build["context"]
        for path in (context, os.path.join(context, build.get("dockerfile", "Dockerfile"))):
            if not os.path.exists(path):
                missing.append(f"{name}: build {path}")
    for volume in service.get("volumes", []):
        source = volume.get("source") if isinstance(volume, dict) else volume.split(":")[0]
        if source and os.path.isabs(source) and not os.path.exists(source):
            missing.append(f"{name}: volume {source}")
for m in missing:
    print("missing:", m)
sys.exit(1 if missing else 0)
'
# …and the files Prometheus and Grafana load from the mounted directories.
for f in docker/prometheus/rules.yml docker/grafana/provisioning/datasources/prometheus.yml \
         docker/grafana/provisioning/dashboards/fundwatch.yml dashboards/fundwatch-overview.json; do
  [ -f "$f" ] || { echo "missing: $f (mounted by docker/docker-compose.yml)"; exit 1; }
done

step "live: demo + Prometheus"
work=$(mktemp -d)
demo=""
prom=""
stop() {  # SIGTERM, then SIGKILL after $2 seconds
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  # SIGTERM, not SIGINT: bash starts background jobs with SIGINT ignored (see .ci/run).
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$2"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$prom" 10
  stop "$demo" 40  # the demo closes Kafka Streams, the broker and the registry: about 30 s
  rm -rf "$work"
}
trap cleanup EXIT

read -r http_port kafka_port registry_port prom_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')

bin/fundwatch demo --duration 230s --http-port "$http_port" --kafka-port "$kafka_port" \
  --registry-port "$registry_port" > "$work/demo.out" 2> "$work/demo.err" &
demo=$!

mkdir -p "$work/tsdb"
cat > "$work/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files:
  - $root/docker/prometheus/rules.yml
scrape_configs:
  - job_name: fundwatch
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:$http_port"]
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn > "$work/prometheus.log" 2>&1 &
prom=$!

# The demo builds the project first if a source is newer than the jar (not in CI: mvn verify just built it).
until grep -q "fundwatch demo ready" "$work/demo.err"; do
  if ! kill -0 "$demo" 2>/dev/null; then echo "demo exited before it was ready:"; tail -30 "$work/demo.err"; exit 1; fi
  if [ "$(elapsed)" -ge 120 ]; then echo "demo not ready after $(elapsed) s"; tail -30 "$work/demo.err"; exit 1; fi
  sleep 1
done
until curl -fsS -o /dev/null "http://127.0.0.1:$prom_port/-/ready"; do
  if ! kill -0 "$prom" 2>/dev/null; then echo "prometheus exited:"; cat "$work/prometheus.log"; exit 1; fi
  sleep 1
done
step "demo ready; evaluating dashboards and rules against Prometheus on 127.0.0.1:$prom_port"

# Kafka client metrics with a topic label are bound by Micrometer's refresh about a minute after start, so the
# check retries empty results until they appear, until 190 s after the start (shutting the demo down takes ~30 s
# more: 4 minutes in all).
python3 tools/monitoring/promql_check.py --prometheus "http://127.0.0.1:$prom_port" --dashboards dashboards \
  --deadline $(( 190 - $(elapsed) )) ${MONITORING_VERBOSE:+--verbose}
step "passed in $(elapsed) s"
