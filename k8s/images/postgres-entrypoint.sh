#!/bin/bash
# Creates the cluster on first start (user POSTGRES_USER with POSTGRES_PASSWORD, database POSTGRES_DB,
# password authentication over TCP), then runs PostgreSQL in the foreground. With POSTGRES_SUPERUSER=no
# (projects' databases) the user owns its database and is no superuser: the cluster's bootstrap
# superuser `postgres` cannot log in, so SQL that reaches the server's own files or programs (COPY ...
# PROGRAM, untrusted languages) is out of the user's reach. Writes only PGDATA and /tmp
# (the Unix socket), so the root file system may be read-only. PGDATA is a directory inside the mounted
# volume (the images' default), never the mount point itself.
set -euo pipefail
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
USER_NAME="${POSTGRES_USER:-slipway}"
DB_NAME="${POSTGRES_DB:-$USER_NAME}"
SUPERUSER="${POSTGRES_SUPERUSER:-yes}"
sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # Made beside PGDATA and renamed into place when complete: a first start killed half-way (the
  # container, the node, the server that drives it) leaves nothing that looks like a cluster.
  echo "slipway-postgres: initialising $PGDATA" >&2
  new="$PGDATA.new"
  rm -rf "$new"
  mkdir -p "$new" && chmod 0700 "$new"
  pwfile=$(mktemp /tmp/pw.XXXXXX)
  if [ "$SUPERUSER" = no ]; then
    # The bootstrap superuser gets a password nobody keeps, and no login below.
    head -c 32 /dev/urandom | base64 | tr -d '\n' >"$pwfile"
    bootstrap=postgres
  else
    printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
    bootstrap="$USER_NAME"
  fi
  initdb --pgdata="$new" --username="$bootstrap" --pwfile="$pwfile" --auth-local=scram-sha-256 \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >&2
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$new/pg_hba.conf"
  {
    if [ "$SUPERUSER" = no ]; then
      echo "CREATE ROLE \"$USER_NAME\" LOGIN PASSWORD $(sql_literal "$POSTGRES_PASSWORD");"
      echo "ALTER ROLE postgres NOLOGIN;"
    fi
    if [ "$DB_NAME" != postgres ]; then echo "CREATE DATABASE \"$DB_NAME\" OWNER \"$USER_NAME\";"; fi
  } | postgres --single -D "$new" -c unix_socket_directories=/tmp -c log_min_error_statement=panic postgres >/dev/null
  sync -f "$new" 2>/dev/null || true
  rm -rf "$PGDATA"
  mv "$new" "$PGDATA"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp "$@"
