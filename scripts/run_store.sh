#!/usr/bin/env bash
# Start the web server and a Celery worker together; Ctrl-C stops both. Used by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WEB_WORKERS="${WEB_WORKERS:-2}"
CELERY_CONCURRENCY="${CELERY_CONCURRENCY:-2}"

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the web server and the worker…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop INT TERM EXIT

"$VENV/bin/celery" -A shop worker -Q default,preprocess,render --concurrency "$CELERY_CONCURRENCY" -l info &
pids+=($!)
"$VENV/bin/gunicorn" shop.wsgi:application --bind "$HOST:$PORT" --workers "$WEB_WORKERS" --threads 4 \
  --timeout 120 --access-logfile - &
pids+=($!)

sleep 2
cat <<MSG

  The store is running at http://$HOST:$PORT/
  Admin: http://$HOST:$PORT/admin/   API docs: http://$HOST:$PORT/api/docs/
  (demo credentials are printed above by seed_demo)   Press Ctrl-C to stop.

MSG
# Returns as soon as either process exits; the trap then stops the other one.
wait -n "${pids[@]}"
