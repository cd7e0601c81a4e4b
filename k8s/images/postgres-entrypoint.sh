#!/bin/bash
# Creates the cluster on first start (user POSTGRES_USER with POSTGRES_PASSWORD, database POSTGRES_DB,
# password authentication over TCP), then runs PostgreSQL in the foreground. Writes only PGDATA and /tmp
# (the Unix socket), so the root file system may be read-only. PGDATA is a directory inside the mounted
# volume (the images' default), never the mount point itself.
set -euo pipefail
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
USER_NAME="${POSTGRES_USER:-slipway}"
DB_NAME="${POSTGRES_DB:-$USER_NAME}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # Made beside PGDATA and renamed into place when complete: a first start killed half-way (the
  # container, the node, the server that drives it) leaves nothing that looks like a cluster.
  echo "slipway-postgres: initialising $PGDATA" >&2
  new="$PGDATA.new"
  rm -rf "$new"
  mkdir -p "$new" && chmod 0700 "$new"
  pwfile=$(mktemp /tmp/pw.XXXXXX)
  printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --pgdata="$new" --username="$USER_NAME" --pwfile="$pwfile" --auth-local=scram-sha-256 \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >&2
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$new/pg_hba.conf"
  if [ "$DB_NAME" != postgres ]; then
    echo "CREATE DATABASE \"$DB_NAME\" OWNER \"$USER_NAME\";" | postgres --single -D "$new" -c unix_socket_directories=/tmp postgres >/dev/null
  fi
  sync -f "$new" 2>/dev/null || true
  rm -rf "$PGDATA"
  mv "$new" "$PGDATA"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp "$@"
