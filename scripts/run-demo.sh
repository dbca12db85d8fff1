#!/usr/bin/env bash
# Starts what the demo needs (departmental-system simulator, scheduler) and serves the web app.
set -euo pipefail
host=${1:-127.0.0.1}; port=${2:-8080}; sim_port=${3:-8090}; password=${4:-rueang-demo}
cd "$(dirname "$0")/.."
flask=".venv/bin/flask --app app"
mkdir -p instance  # the logs go there, whichever database DATABASE_URL names

# Both ports must be free before anything starts: a second `make run`, or another program on the
# port, would otherwise start a second scheduler and overwrite the logs before the server fails.
for named in "web app:$host:$port:PORT" "simulator:127.0.0.1:$sim_port:SIM_PORT"; do
  IFS=: read -r what where number variable <<<"$named"
  if ! .venv/bin/python - "$where" "$number" <<'PY'
import socket, sys
with socket.socket() as s:
    try:
        s.bind((sys.argv[1], int(sys.argv[2])))
    except OSError:
        sys.exit(1)
PY
  then
    echo "Port $number on $where (the $what) is already in use: Rueang's own make run, or another program, listens there." >&2
    echo "Nothing was started. Stop that program, or choose free ports: make run PORT=8081 SIM_PORT=8091" >&2
    exit 1
  fi
done

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
