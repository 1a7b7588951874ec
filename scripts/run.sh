#!/usr/bin/env bash
# Sets up and runs the application on SQLite (instance/oicts.sqlite3) with demo data: the web
# server, the job worker and the scheduler (README: Running in production names each). Ctrl-C
# stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=app
.venv/bin/flask db upgrade
.venv/bin/flask seed-demo
port=${PORT:-5000}
# The links in email open this server.
export PUBLIC_URL=${PUBLIC_URL:-http://127.0.0.1:${port}}
.venv/bin/flask jobs worker &
.venv/bin/flask jobs scheduler &
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT
echo "Open http://127.0.0.1:${port}/ and sign in with the account above."
if [ -z "${MAIL_SERVER:-}" ]; then
    echo "No MAIL_SERVER is set: email is kept in the development outbox (Administration, Outbox)."
fi
.venv/bin/flask run --host 127.0.0.1 --port "$port"
