#!/usr/bin/env bash
# Schemathesis against the release server: every operation of /api/v1/openapi.json with
# generated requests (FUZZ_EXAMPLES per operation, default 25; FUZZ_SEED repeats a run).
# Checks: no 5xx, answers conform to the document (status, content type, headers, schema),
# and a refused request leaves the database as it was (vexil_hooks.py). Then `vexil check`.
# Every request carries the admin token the server was bootstrapped with. The client stream and
# OFREP's change events are left out: they never end by themselves (src/api/tests/stream.rs tests it).
#   end2end/api/run.sh SERVER_BINARY PYTHON [sqlite|postgres]
# PostgreSQL: a database of its own on TEST_POSTGRES_URL's server, dropped afterwards.
set -euo pipefail
server=$1 python=$2 backend=${3:-sqlite}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
pid=
admin=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
pg_name=vexil_fuzz_$$
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null
  [ "$backend" = postgres ] && psql "$admin" -qc "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
token=$("$python" -c 'import secrets; print(secrets.token_urlsafe(32))')
auth="Authorization: Bearer $token"
port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$backend" = postgres ]; then
  psql "$admin" -qc "CREATE DATABASE $pg_name"
  db="${admin%/*}/$pg_name" url=$db
else
  db="$work/fuzz.db" url="sqlite://$work/fuzz.db"
fi
VEXIL_LISTEN=127.0.0.1:$port VEXIL_DATABASE_URL="$url" VEXIL_LOG_LEVEL=warn VEXIL_BOOTSTRAP_TOKEN="$token" \
  "$server" serve 2>"$work/server.log" &
pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sf -o /dev/null "$base/health" && break; sleep 0.1; done
curl -sf -o /dev/null -H "$auth" -X POST --data-binary @"$here/seed.yaml" "$base/api/v1/import"
seed=${FUZZ_SEED:-$RANDOM$RANDOM}
echo "schemathesis on $backend: seed $seed (FUZZ_SEED=$seed repeats it), ${FUZZ_EXAMPLES:-25} examples per operation"
# From the scratch directory, so hypothesis keeps its example database out of the checkout.
(cd "$work" && FUZZ_DATABASE=$db SCHEMATHESIS_HOOKS=vexil_hooks PYTHONPATH="$here" \
  "$python" -m schemathesis.cli run "$base/api/v1/openapi.json" --checks all -H "$auth" \
  --hypothesis-max-examples "${FUZZ_EXAMPLES:-25}" --hypothesis-seed "$seed" \
  --hypothesis-derandomize --no-color --request-timeout 10000 --max-response-time 10000 \
  --exclude-path-regex '/(stream|events)$')
kill "$pid"; wait "$pid" || true; pid=
if grep -q "panicked" "$work/server.log"; then cat "$work/server.log"; exit 1; fi
VEXIL_DATABASE_URL="$url" VEXIL_LOG_LEVEL=warn "$server" check
