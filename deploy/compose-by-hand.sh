#!/usr/bin/env bash
# deploy/compose.yaml, step by step, as plain processes: how its steps
# were checked on a machine with no Docker engine (Debian, PostgreSQL 15
# binaries in /usr/lib/postgresql/15/bin, run as root; the database on
# port 5499 stands in for the "db" service, ports 8081 and 8082 for the
# replicas). A record of what was run, not a way to deploy.
set -euo pipefail
cleanup() { kill $A $Bp 2>/dev/null || true; runuser -u postgres -- $PGBIN/pg_ctl -D $D/pgdata stop -m fast >/dev/null 2>&1 || true; }
A=; Bp=
trap cleanup EXIT
B=${BYLINE:-/tmp/byline}     # go build -o /tmp/byline ./cmd/byline
PGBIN=/usr/lib/postgresql/15/bin
D=${DIR:-/tmp/compose-by-hand}
mkdir -p $D && cd $D && rm -rf secrets pgdata news restored a.log b.log db.log byline.dump; touch db.log; chown postgres db.log
step() { echo; echo "### $*"; }

step "secrets (the compose file's first command)"
mkdir -p secrets && pw=$(openssl rand -hex 16) \
  && printf %s "$pw" > secrets/db_password \
  && printf '127.0.0.1:5499:byline:byline:%s\n' "$pw" > secrets/pgpass \
  && chmod 600 secrets/*
chown postgres secrets/db_password
ls -l secrets

step "db: postgres:15 with POSTGRES_USER=byline, POSTGRES_DB=byline, POSTGRES_PASSWORD_FILE (port 5499 here)"
mkdir pgdata && chown postgres pgdata
runuser -u postgres -- $PGBIN/initdb -D $D/pgdata -U byline --pwfile=$D/secrets/db_password --auth=scram-sha-256 >/dev/null
runuser -u postgres -- $PGBIN/pg_ctl -D $D/pgdata -o "-p 5499 -k /tmp" -l $D/db.log start >/dev/null
export PGPASSFILE=$D/secrets/pgpass
until pg_isready -q -h 127.0.0.1 -p 5499 -U byline; do sleep 0.2; done
PGPASSWORD=$pw psql -h 127.0.0.1 -p 5499 -U byline -d postgres -qc 'CREATE DATABASE byline'
step "db healthcheck: pg_isready -U byline -d byline"
pg_isready -h 127.0.0.1 -p 5499 -U byline -d byline

export BYLINE_DATABASE_URL='postgres://byline@127.0.0.1:5499/byline?search_path=byline&sslmode=disable&pool_max_conns=10'
step "replica-a and replica-b start at the same moment (no chat tokens: Slack and Discord are unreachable from here)"
HOME=$D BYLINE_HTTP_ADDR=:8081 $B serve > a.log 2>&1 & A=$!
HOME=$D BYLINE_HTTP_ADDR=:8082 $B serve > b.log 2>&1 & Bp=$!
for p in 8081 8082; do until curl -sf -o /dev/null localhost:$p/healthz; do sleep 0.1; done; done
step "replica healthchecks: byline healthcheck"
$B healthcheck --addr 127.0.0.1:8081 && $B healthcheck --addr 127.0.0.1:8082
curl -s localhost:8081/readyz; echo; curl -s localhost:8082/readyz; echo
step "migrated once"
psql -h 127.0.0.1 -p 5499 -U byline -d byline -tAc 'SELECT count(*), max(version) FROM byline.byline_schema'

step "index job: docker compose run --rm replica-a index /news"
mkdir -p news
cat > news/ferry.md <<'MD'
---
title: Island ferry fares rise
outlet: Harbour Wire
published: 2026-10-02T08:00:00Z
---
Fares on the island ferry will rise by a tenth in November, the operator said on Friday.

The operator, Calder Lines, blamed the price of fuel and a new crew agreement.
MD
HOME=$D $B index news
HOME=$D $B ask "who blamed the price of fuel?"
curl -s localhost:8082/metrics | grep '^byline_index_articles'

step "db stopped under the replicas"
runuser -u postgres -- $PGBIN/pg_ctl -D $D/pgdata stop -m fast >/dev/null
sleep 1
curl -s -w ' %{http_code}\n' localhost:8081/readyz; curl -s -w ' %{http_code}\n' localhost:8082/readyz
$B healthcheck --addr 127.0.0.1:8081
HOME=$D $B ask "who blamed the price of fuel?" || true

step "db started again"
runuser -u postgres -- $PGBIN/pg_ctl -D $D/pgdata -o "-p 5499 -k /tmp" -l $D/db.log start >/dev/null
t0=$(date +%s.%N)
for p in 8081 8082; do until [ "$(curl -s -o /dev/null -w '%{http_code}' localhost:$p/readyz)" = 200 ]; do sleep 0.05; done; done
echo "both replicas ready $(echo "$(date +%s.%N) - $t0" | bc) s after pg_ctl start returned"
curl -s localhost:8081/readyz; echo

step "backup and restore (README: Backups)"
pg_dump -h 127.0.0.1 -p 5499 -U byline -Fc --schema=byline byline > byline.dump
PGPASSWORD=$pw psql -h 127.0.0.1 -p 5499 -U byline -d postgres -qc 'CREATE DATABASE restored'
PGPASSWORD=$pw pg_restore -h 127.0.0.1 -p 5499 -U byline -d restored byline.dump
PGPASSWORD=$pw HOME=$D $B ask --db 'postgres://byline@127.0.0.1:5499/restored?search_path=byline&sslmode=disable' "who blamed the price of fuel?"

step "replicas stop on SIGTERM"
kill -TERM $A $Bp; wait $A && wait $Bp && echo "both exited with status 0"
grep -v '^$' a.log b.log | grep -iE 'error|warn' | head -20 || true
