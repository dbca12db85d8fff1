#!/usr/bin/env bash
# Starts what the demo needs (departmental-system simulator, scheduler) and serves the web app.
set -euo pipefail
host=${1:-127.0.0.1}; port=${2:-8080}; sim_port=${3:-8090}; password=${4:-rueang-demo}
cd "$(dirname "$0")/.."
flask=".venv/bin/flask --app app"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if $flask --help 2>/dev/null | grep -q simulate-departments; then
  $flask simulate-departments --port "$sim_port" > instance/simulator.log 2>&1 &
  pids+=($!)
  echo "Departmental-system simulator: http://127.0.0.1:$sim_port (log: instance/simulator.log)"
fi
if $flask --help 2>/dev/null | grep -q "^  scheduler"; then
  DEPARTMENTS_URL="http://127.0.0.1:$sim_port" $flask scheduler > instance/scheduler.log 2>&1 &
  pids+=($!)
  echo "Scheduler running (log: instance/scheduler.log)"
fi
cat <<MSG

Rueang is at http://$host:$port/
Log in at http://$host:$port/login/ as admin, ministry, or <agency>.manager / <agency>.officer / <agency>.clerk
(agencies: ops, diw, diprom, tisi, dpim), password: $password
Public status page: http://$host:$port/track/<tracking code>

MSG
DEPARTMENTS_URL="http://127.0.0.1:$sim_port" $flask run --host "$host" --port "$port" --no-debugger --no-reload
