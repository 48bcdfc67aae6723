#!/usr/bin/env bash
# Interop check of a running fundwatch with independent Node.js clients (kafkajs,
# @kafkajs/confluent-schema-registry). Arguments are passed to check.mjs (e.g. --self-test).
# Env: FUNDWATCH_BOOTSTRAP (127.0.0.1:19092), FUNDWATCH_REGISTRY
# (http://127.0.0.1:18081/apis/ccompat/v7), FUNDWATCH_INTEROP_TIMEOUT (seconds, 120).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  echo "interop: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
exec node check.mjs "$@"
