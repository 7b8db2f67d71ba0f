"""Conformance against Flipt itself: the `flipt-client` package embeds Flipt's own Rust
evaluation engine. For many generated namespaces it loads our snapshot endpoint, and every
generated request is answered both by that engine and by our /evaluate/v1 endpoints.

Generated values stay inside the subset on which Flipt's engine and Flipt's Go server parse
alike (integers, "true"/"false", whole-second RFC 3339 times, no padding whitespace); outside
it Vexil follows the Go server on purpose (ARCHITECTURE §2.6).

Usage: conformance.py BASE_URL [SEED] [NAMESPACES] [REQUESTS_PER_FLAG]   (E2E_TOKEN: an admin token)
Prints {"compared": n, "disagreements": count, "examples": [...]} as JSON.
"""

import json
import random
import sys
import os
import urllib.request

from flipt_client import FliptClient
from flipt_client.models import ClientOptions, ClientTokenAuthentication

STRINGS = ["pro", "free", "team", "de", "fr", "us", "beta", "x"]
NUMBERS = ["-5", "0", "7", "18", "21", "65", "100"]
BOOLS = ["true", "false", "yes"]
TIMES = ["2024-01-01T00:00:00Z", "2025-06-01T12:00:00Z", "2025-06-01T12:00:01Z", "2026-12-31T23:59:59Z"]
PROPERTIES = {"plan": STRINGS, "region": STRINGS, "age": NUMBERS, "staff": BOOLS, "joined": TIMES}
OPERATORS = {
    "STRING_COMPARISON_TYPE": ["eq", "neq", "empty", "notempty", "prefix", "suffix", "isoneof", "isnotoneof", "contains", "notcontains"],
    "NUMBER_COMPARISON_TYPE": ["eq", "neq", "lt", "lte", "gt", "gte", "present", "notpresent", "isoneof", "isnotoneof"],
    "BOOLEAN_COMPARISON_TYPE": ["true", "false", "present", "notpresent"],
    "DATETIME_COMPARISON_TYPE": ["eq", "neq", "lt", "lte", "gt", "gte", "present", "notpresent"],
    "ENTITY_ID_COMPARISON_TYPE": ["eq", "neq", "isoneof", "isnotoneof", "contains", "notcontains"],
}
PROPERTY_OF = {"STRING_COMPARISON_TYPE": ["plan", "region"], "NUMBER_COMPARISON_TYPE": ["age"],
               "BOOLEAN_COMPARISON_TYPE": ["staff"], "DATETIME_COMPARISON_TYPE": ["joined"],
               "ENTITY_ID_COMPARISON_TYPE": ["entityId"]}
ENTITIES = [f"user-{i}" for i in range(40)]


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=AUTH)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

# Every management call sends the suite's admin token.
AUTH = {"Authorization": f"Bearer {os.environ['E2E_TOKEN']}"}


def constraint(rng):
    kind = rng.choice(list(OPERATORS))
    prop = rng.choice(PROPERTY_OF[kind])
    op = rng.choice(OPERATORS[kind])
    pool = ENTITIES if kind == "ENTITY_ID_COMPARISON_TYPE" else PROPERTIES[prop]
    if op in ("isoneof", "isnotoneof"):
        picks = rng.sample(pool, 3)
        value = json.dumps([int(p) for p in picks] if kind == "NUMBER_COMPARISON_TYPE" else picks)
    elif kind == "BOOLEAN_COMPARISON_TYPE" or op in ("empty", "notempty", "present", "notpresent"):
        value = ""
    elif op in ("prefix", "suffix", "contains", "notcontains"):
        value = rng.choice(pool)[:2] if kind != "ENTITY_ID_COMPARISON_TYPE" else rng.choice(["user", "-1", "3"])
    else:
        value = rng.choice([p for p in pool if p != "yes"])
    return {"type": kind, "property": prop, "operator": op, "value": value}


def build(api, rng, ns):
    api.call("POST", "/api/v1/namespaces", {"key": ns, "name": ns})
    base = f"/api/v1/namespaces/{ns}"
    segments = []
    for s in range(rng.randint(1, 4)):
        key = f"seg{s}"
        api.call("POST", f"{base}/segments", {"key": key, "name": key, "matchType": rng.choice(["ALL_MATCH_TYPE", "ANY_MATCH_TYPE"])})
        for _ in range(rng.randint(0, 3)):
            api.call("POST", f"{base}/segments/{key}/constraints", constraint(rng))
        segments.append(key)
    flags = corner_cases(api, base, rng, segments)
    for f in range(rng.randint(1, 5)):
        key = f"flag{f}"
        boolean = rng.random() < 0.4
        enabled = rng.random() < 0.8
        api.call("POST", f"{base}/flags", {"key": key, "name": key, "enabled": enabled,
                                            "type": "BOOLEAN_FLAG_TYPE" if boolean else "VARIANT_FLAG_TYPE"})
        flags.append((key, boolean))
        if boolean:
            for rank in range(1, rng.randint(1, 5)):
                if rng.random() < 0.5:
                    body = {"rank": rank, "threshold": {"percentage": rng.choice([0, 10, 33, 50, 90, 100]), "value": rng.random() < 0.5}}
                else:
                    keys = rng.sample(segments, rng.randint(1, len(segments)))
                    body = {"rank": rank, "segment": {"segmentKeys": keys, "value": rng.random() < 0.5,
                                                      "segmentOperator": rng.choice(["OR_SEGMENT_OPERATOR", "AND_SEGMENT_OPERATOR"])}}
                api.call("POST", f"{base}/flags/{key}/rollouts", body)
            continue
        variants = [api.call("POST", f"{base}/flags/{key}/variants", {"key": f"v{v}", "attachment": json.dumps({"v": v}) if v % 2 else ""})["id"]
                    for v in range(rng.randint(0, 4))]
        if variants and rng.random() < 0.5:
            api.call("PUT", f"{base}/flags/{key}", {"name": key, "enabled": enabled, "defaultVariantId": rng.choice(variants)})
        for rank in range(1, rng.randint(1, 4)):
            keys = rng.sample(segments, rng.randint(1, len(segments)))
            rule = api.call("POST", f"{base}/flags/{key}/rules", {"segmentKeys": keys, "rank": rank,
                                                                   "segmentOperator": rng.choice(["OR_SEGMENT_OPERATOR", "AND_SEGMENT_OPERATOR"])})
            for variant in rng.sample(variants, rng.randint(0, len(variants))):
                api.call("POST", f"{base}/flags/{key}/rules/{rule['id']}/distributions",
                         {"variantId": variant, "rollout": rng.choice([0, 5, 12.5, 33.33, 33.34, 50, 100])})
    return flags


def corner_cases(api, base, rng, segments):
    """Flags every namespace has, so rare corners never depend on the dice."""
    api.call("POST", f"{base}/flags", {"key": "off-bool", "name": "x", "type": "BOOLEAN_FLAG_TYPE"})
    api.call("POST", f"{base}/flags", {"key": "off-bool-rollout", "name": "x", "type": "BOOLEAN_FLAG_TYPE"})
    api.call("POST", f"{base}/flags/off-bool-rollout/rollouts", {"rank": 1, "threshold": {"percentage": 50, "value": True}})
    api.call("POST", f"{base}/flags/off-bool-rollout/rollouts", {"rank": 2, "segment": {"segmentKey": segments[0], "value": True}})
    api.call("POST", f"{base}/flags", {"key": "off-variant", "name": "x"})
    blue = api.call("POST", f"{base}/flags/off-variant/variants", {"key": "blue", "attachment": "{\"b\":1}"})["id"]
    api.call("PUT", f"{base}/flags/off-variant", {"name": "x", "enabled": False, "defaultVariantId": blue})
    api.call("POST", f"{base}/flags", {"key": "thirds", "name": "x", "enabled": True})
    ids = [api.call("POST", f"{base}/flags/thirds/variants", {"key": k})["id"] for k in ("a", "b", "c")]
    rule = api.call("POST", f"{base}/flags/thirds/rules", {"segmentKey": segments[0], "rank": 1})
    for variant, share in zip(ids, (33.33, 33.33, 33.34)):
        api.call("POST", f"{base}/flags/thirds/rules/{rule['id']}/distributions", {"variantId": variant, "rollout": share})
    return [("off-bool", True), ("off-bool-rollout", True), ("off-variant", False), ("thirds", False)]


def context(rng):
    return {p: rng.choice(values) for p, values in PROPERTIES.items() if rng.random() < 0.7}


def main():
    base = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    namespaces = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    per_flag = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    rng = random.Random(seed)
    api = Api(base)
    # The engine reads the snapshot as an app would: with a `client` token, which may only
    # evaluate (and read the snapshot), never manage.
    client_token = api.call("POST", "/auth/v1/method/token", {"name": "conformance-engine", "role": "client"})["clientToken"]
    auth = ClientTokenAuthentication(client_token=client_token)
    compared, disagreements, examples = 0, 0, []
    for n in range(namespaces):
        ns = f"conformance-{seed}-{n}"
        flags = build(api, rng, ns)
        engine = FliptClient(ClientOptions(url=base, namespace=ns, authentication=auth))
        try:
            for key, boolean in flags:
                for _ in range(per_flag):
                    entity, ctx = rng.choice(ENTITIES), context(rng)
                    request = {"namespaceKey": ns, "flagKey": key, "entityId": entity, "context": ctx}
                    if boolean:
                        ours = api.call("POST", "/evaluate/v1/boolean", request)
                        theirs = engine.evaluate_boolean(key, entity, ctx)
                        a = (ours["enabled"], ours["reason"], sorted(ours["segmentKeys"]))
                        b = (theirs.enabled, theirs.reason, sorted(theirs.segment_keys or []))
                    else:
                        ours = api.call("POST", "/evaluate/v1/variant", request)
                        theirs = engine.evaluate_variant(key, entity, ctx)
                        a = (ours["match"], ours["reason"], ours["variantKey"], ours["variantAttachment"], sorted(ours["segmentKeys"]))
                        b = (theirs.match, theirs.reason, theirs.variant_key, theirs.variant_attachment or "", sorted(theirs.segment_keys or []))
                    compared += 1
                    if a != b:
                        disagreements += 1
                        if len(examples) < 10:
                            examples.append({"request": request, "vexil": a, "flipt_engine": b})
        finally:
            engine.close()
    print(json.dumps({"compared": compared, "disagreements": disagreements, "examples": examples}))


if __name__ == "__main__":
    main()
