#!/usr/bin/env bash
# Ctrl-C in a real terminal (issue #22): starts `bin/fundwatch demo` in a tmux pane — a pseudo-terminal, so the
# line discipline turns C-c into SIGINT for the whole foreground process group, exactly as a person's Ctrl-C does —
# waits until the market is publishing and alerts are flowing, presses Ctrl-C, and checks that
#   - the demo exits within 10 s with code 0 or 130,
#   - neither the broker nor the registry child process is left,
#   - fewer than 10 lines reach the terminal after "fundwatch demo: stopping".
# Needs tmux (installed with apt-get when missing and running as root). Ports are picked free, so it can run beside
# another demo. CTRL_C_MAX_SECONDS / CTRL_C_MAX_LINES override the limits; CTRL_C_READY_SECONDS the start-up wait.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
max_seconds=${CTRL_C_MAX_SECONDS:-10}
max_lines=${CTRL_C_MAX_LINES:-10}
ready_seconds=${CTRL_C_READY_SECONDS:-300}

if ! command -v tmux >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux) >/dev/null
  else
    echo "ctrl-c-check: tmux is required (apt-get install -y tmux)"; exit 1
  fi
fi

# Build outside the pane, so the pane's time goes to the demo and a build failure shows here.
if [ ! -f app/target/fundwatch-app.jar ]; then
  mvn -q -B -ntp install -DskipTests
fi

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "ctrl-c-check: no free port found" >&2; exit 1
}
kafka_port=$(free_port); registry_port=$(free_port); http_port=$(free_port)

dir=$(mktemp -d)
socket="fundwatch-ctrlc-$$"
tm() { tmux -L "$socket" "$@"; }
children=""
cleanup() {
  tm kill-server 2>/dev/null || true
  for pid in $children; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# stdout (the JSON alerts) goes to a file as in the README; stderr (logs, progress) stays on the terminal, and
# pipe-pane records everything the terminal shows. The pane runs bash, which writes the demo's exit status to a file:
# tmux 3.3's #{pane_dead_status} is sometimes never set when the terminal closes before the process is reaped.
# bash waits out a Ctrl-C its foreground child handles (the JVM exits 130 by itself), so the status is the JVM's.
tm -f /dev/null new-session -d -s demo -x 160 -y 48 \
  "exec bash -c 'bin/fundwatch demo --duration 600s --json --kafka-port $kafka_port --registry-port $registry_port \
     --http-port $http_port > \"$dir/alerts.jsonl\"; echo \$? > \"$dir/status\"'"
tm set-option -t demo remain-on-exit on >/dev/null
tm pipe-pane -t demo -o "cat >> '$dir/terminal.log'"
shell_pid=$(tm display-message -p -t demo '#{pane_pid}')
java_pid=""
for _ in $(seq 1 100); do
  java_pid=$(ps -o pid= --ppid "$shell_pid" | tr -d ' ' | head -1)
  [ -n "$java_pid" ] && break
  sleep 0.1
done
[ -n "$java_pid" ] || { echo "ctrl-c-check: the demo did not start under the pane's shell $shell_pid"; exit 1; }
echo "ctrl-c-check: demo pid $java_pid, ports kafka $kafka_port registry $registry_port http $http_port, log $dir"

pane_dead() { [ "$(tm display-message -p -t demo '#{pane_dead}' 2>/dev/null)" = 1 ]; }
# Ready, and busy: the first alert means the market is publishing and Kafka Streams has transactions open.
for _ in $(seq 1 "$ready_seconds"); do
  grep -q "first alert" "$dir/terminal.log" 2>/dev/null && break
  if pane_dead; then echo "ctrl-c-check: demo exited before the first alert:"; tail -40 "$dir/terminal.log"; exit 1; fi
  sleep 1
done
grep -q "first alert" "$dir/terminal.log" || { echo "ctrl-c-check: no alert in ${ready_seconds} s"; tail -40 "$dir/terminal.log"; exit 1; }
children=$(ps -o pid= --ppid "$java_pid" | tr -d ' ' | tr '\n' ' ')
[ -n "$children" ] || { echo "ctrl-c-check: found no broker/registry child of $java_pid"; exit 1; }
echo "ctrl-c-check: running with children $children; pressing Ctrl-C"

pressed=$(date +%s.%N)
tm send-keys -t demo C-c
deadline=$(( $(date +%s) + max_seconds + 20 ))
until pane_dead || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.1; done
elapsed=$(awk -v a="$pressed" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
status=$(cat "$dir/status" 2>/dev/null || true)
sleep 0.5 # let pipe-pane write the last bytes it read
after=$(awk '/fundwatch demo: stopping/ { seen = 1; next } seen' "$dir/terminal.log" | tr -d '\r' | grep -cv '^\s*$' || true)
left=""
for pid in $children; do kill -0 "$pid" 2>/dev/null && left="$left $pid"; done

echo "ctrl-c-check: exited after ${elapsed} s with status '${status}'; ${after} lines after 'stopping'; left:${left:- none}"
echo "--- terminal after Ctrl-C ---"
awk '/fundwatch demo: stopping/ { seen = 1 } seen' "$dir/terminal.log" | tr -d '\r'
echo "-----------------------------"
fail=0
pane_dead || { echo "FAIL: still running ${max_seconds}+20 s after Ctrl-C"; fail=1; }
awk -v e="$elapsed" -v m="$max_seconds" 'BEGIN { exit !(e > m) }' && { echo "FAIL: exit took ${elapsed} s > ${max_seconds} s"; fail=1; }
case "$status" in 0|130) ;; *) echo "FAIL: exit status '$status', expected 0 or 130"; fail=1 ;; esac
[ -z "$left" ] || { echo "FAIL: child processes left:$left"; fail=1; }
[ "$after" -lt "$max_lines" ] || { echo "FAIL: ${after} lines after 'stopping' (limit: fewer than ${max_lines})"; fail=1; }
[ "$fail" = 0 ] && echo "ctrl-c-check: passed" && rm -rf "$dir"
exit "$fail"
