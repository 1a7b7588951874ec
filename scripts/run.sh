#!/usr/bin/env bash
# Sets up and runs the application on SQLite (instance/oicts.sqlite3) with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=app
.venv/bin/flask db upgrade
.venv/bin/flask seed-demo
port=${PORT:-5000}
echo "Open http://127.0.0.1:${port}/ and sign in with the account above."
exec .venv/bin/flask run --host 127.0.0.1 --port "$port"
