#!/usr/bin/env bash
# The README's curl walk-through: create a namespace, a flag with two variants, a segment with a
# constraint and a 50/50 rule, rename the namespace, then read everything back.
# Usage: curl_roundtrip.sh BASE_URL NAMESPACE   (prints the read-back as one JSON object)
# E2E_TOKEN: the token every call sends.
set -euo pipefail
base=$1 ns=$2
call() { curl -sS --fail-with-body -H "Authorization: Bearer $E2E_TOKEN" -X "$1" "$base$2" ${3:+-d "$3"}; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }

call POST /api/v1/namespaces "{\"key\":\"$ns\",\"name\":\"Payments\",\"description\":\"before\"}" >/dev/null
call POST "/api/v1/namespaces/$ns/flags" '{"key":"checkout","name":"Checkout","enabled":true}' >/dev/null
blue=$(call POST "/api/v1/namespaces/$ns/flags/checkout/variants" '{"key":"blue","attachment":"{\"c\":1}"}' | field id)
green=$(call POST "/api/v1/namespaces/$ns/flags/checkout/variants" '{"key":"green"}' | field id)
call POST "/api/v1/namespaces/$ns/segments" '{"key":"beta","name":"Beta"}' >/dev/null
call POST "/api/v1/namespaces/$ns/segments/beta/constraints" \
  '{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"eq","value":"pro"}' >/dev/null
rule=$(call POST "/api/v1/namespaces/$ns/flags/checkout/rules" '{"segmentKey":"beta","rank":1}' | field id)
call POST "/api/v1/namespaces/$ns/flags/checkout/rules/$rule/distributions" "{\"variantId\":\"$blue\",\"rollout\":50}" >/dev/null
call POST "/api/v1/namespaces/$ns/flags/checkout/rules/$rule/distributions" "{\"variantId\":\"$green\",\"rollout\":50}" >/dev/null
call PUT "/api/v1/namespaces/$ns" '{"name":"Payments (renamed)","description":"after"}' >/dev/null

printf '{"namespace":%s,"flag":%s,"segment":%s,"rules":%s}\n' \
  "$(call GET "/api/v1/namespaces/$ns")" \
  "$(call GET "/api/v1/namespaces/$ns/flags/checkout")" \
  "$(call GET "/api/v1/namespaces/$ns/segments/beta")" \
  "$(call GET "/api/v1/namespaces/$ns/flags/checkout/rules")"
