#!/usr/bin/env bash
# Starts a local PostgreSQL on 127.0.0.1:5432 for the server API tests and makes sure the
# role `talk` (password `talk`) and the database `talk_test` exist.
# Debian/Ubuntu layout (pg_lsclusters, pg_ctlcluster); run as root. Safe to run repeatedly.
# Exit 0 once `talk` can connect; non-zero with a message on stderr otherwise.
set -euo pipefail

PORT=5432
ROLE=talk
PASSWORD=talk
DATABASE=talk_test
WAIT_SECONDS=30

fail() {
  echo "start-postgres: $*" >&2
  exit 1
}

command -v pg_lsclusters >/dev/null 2>&1 || fail "PostgreSQL is not installed (no pg_lsclusters; apt-get install postgresql)"
[ "$(id -u)" -eq 0 ] || fail "run this script as root (it starts the cluster as the postgres user)"

as_postgres() {
  if command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
  fi
}

# The newest installed server version, e.g. 15.
VERSION="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
[ -n "$VERSION" ] || fail "no PostgreSQL server found under /usr/lib/postgresql"

# Reuse the cluster that owns the port if there is one; otherwise create `main`.
read -r CLUSTER_VERSION CLUSTER_NAME < <(pg_lsclusters --no-header 2>/dev/null | awk -v port="$PORT" '$3 == port { print $1, $2; exit }') || true
if [ -z "${CLUSTER_NAME:-}" ]; then
  echo "start-postgres: creating cluster $VERSION/main on port $PORT"
  pg_createcluster "$VERSION" main --port "$PORT" >/dev/null || fail "pg_createcluster $VERSION main failed"
  CLUSTER_VERSION="$VERSION"
  CLUSTER_NAME=main
fi

# The socket directory lives on tmpfs in many containers and disappears on restart.
mkdir -p /var/run/postgresql
chown postgres:postgres /var/run/postgresql

STATUS="$(pg_lsclusters --no-header | awk -v v="$CLUSTER_VERSION" -v n="$CLUSTER_NAME" '$1 == v && $2 == n { print $4 }')"
if [ "$STATUS" != "online" ]; then
  echo "start-postgres: starting cluster $CLUSTER_VERSION/$CLUSTER_NAME"
  pg_ctlcluster "$CLUSTER_VERSION" "$CLUSTER_NAME" start \
    || fail "pg_ctlcluster $CLUSTER_VERSION $CLUSTER_NAME start failed; see /var/log/postgresql/postgresql-$CLUSTER_VERSION-$CLUSTER_NAME.log"
fi

for ((i = 0; i < WAIT_SECONDS; i++)); do
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || fail "PostgreSQL did not accept connections on 127.0.0.1:$PORT within ${WAIT_SECONDS}s"

psql_admin() {
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"
}

if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" || fail "could not create role $ROLE"
else
  # A role left by an earlier setup may have another password; the tests expect this one.
  psql_admin -c "ALTER ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" || fail "could not update role $ROLE"
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE" || fail "could not create database $DATABASE"
fi

PGPASSWORD="$PASSWORD" psql -X -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DATABASE" -tAc 'SELECT 1' >/dev/null \
  || fail "role $ROLE cannot connect to $DATABASE on 127.0.0.1:$PORT (check pg_hba.conf allows password logins on loopback)"

echo "start-postgres: ready at postgresql://$ROLE:***@127.0.0.1:$PORT/$DATABASE (PostgreSQL $CLUSTER_VERSION)"
