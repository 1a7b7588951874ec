#!/usr/bin/env bash
# Sets up and runs the whole test suite: every database test on SQLite and on PostgreSQL, and
# the browser tests in headless Chromium. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/debian.sh

needed=()
command -v chromium >/dev/null || needed+=(chromium)
command -v chromedriver >/dev/null || needed+=(chromium-driver)
command -v pdftotext >/dev/null || needed+=(poppler-utils)
command -v psql >/dev/null || needed+=(postgresql)
command -v npm >/dev/null || needed+=(nodejs npm)
python3 -c "import ensurepip, venv" 2>/dev/null || needed+=(python3-venv)
install_debian_packages ${needed[@]+"${needed[@]}"}

default_postgres=postgresql+psycopg://postgres@127.0.0.1:5432/postgres
export TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-$default_postgres}
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if [ "$(id -u)" -eq 0 ] && command -v pg_ctlcluster >/dev/null; then
    echo "Starting PostgreSQL"
    cluster=$(ls /etc/postgresql | sort -V | tail -n 1)
    if ! pg_lsclusters -h | grep -q "^$cluster main"; then
      pg_createcluster "$cluster" main >/dev/null
      sed -i 's/^\(host.*127.0.0.1\/32.*\) \S*$/\1 trust/; s/^\(local.*all.*postgres.*\) \S*$/\1 trust/' \
        "/etc/postgresql/$cluster/main/pg_hba.conf"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  else
    echo "PostgreSQL is not answering on 127.0.0.1:5432; start it or set TEST_POSTGRES_URL." >&2
    exit 1
  fi
fi

# The suite signs in as postgres without a password: a cluster that Debian's package made asks
# for one, so on a machine where this script is root it is told to trust the loopback address.
if [ "$TEST_POSTGRES_URL" = "$default_postgres" ] \
  && ! psql -h 127.0.0.1 -U postgres -w -d postgres -c 'select 1' >/dev/null 2>&1; then
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf 2>/dev/null | sort -V | tail -n 1)
  if [ "$(id -u)" -eq 0 ] && [ -n "$hba" ]; then
    echo "Letting the test suite sign in to PostgreSQL on 127.0.0.1 without a password"
    sed -i 's/^\(host.*127.0.0.1\/32.*\) \S*$/\1 trust/; s/^\(local.*all.*postgres.*\) \S*$/\1 trust/' "$hba"
    cluster=$(basename "$(dirname "$(dirname "$hba")")")
    pg_ctlcluster --skip-systemctl-redirect "$cluster" main reload
  else
    echo "Cannot sign in to PostgreSQL as postgres on 127.0.0.1; set TEST_POSTGRES_URL." >&2
    exit 1
  fi
fi

# The application's two roles, made as production makes them (README: Running in production):
# the owner runs the migrations, the application connects as a role that cannot alter the audit
# trail. The tests that check those rights set up their databases with these roles.
export TEST_POSTGRES_OWNER_ROLE=${TEST_POSTGRES_OWNER_ROLE:-oicts_test_owner}
export TEST_POSTGRES_APP_ROLE=${TEST_POSTGRES_APP_ROLE:-oicts_test_app}
psql --quiet "${TEST_POSTGRES_URL/+psycopg/}" -v owner="$TEST_POSTGRES_OWNER_ROLE" \
  -v app="$TEST_POSTGRES_APP_ROLE" -f scripts/postgres-roles.sql >/dev/null

scripts/setup.sh
# pytest-xdist: one test process a core (TEST_WORKERS=0 runs them in this process).
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" "$@"
