"""Loads a Flipt declarative document (YAML, versions 1.0 to 1.4) into a running server through
its management API, as `flipt import --address` does: namespace, flags with variants and the
default variant, segments with constraints, rules with distributions, rollouts.

Usage: load_features.py BASE_URL FILE
"""

import json
import sys
import os
import urllib.request

import yaml

# Every management call sends the suite's admin token.
AUTH = {"Authorization": f"Bearer {os.environ['E2E_TOKEN']}"}


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=AUTH)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def segment_keys(ref):
    """A rule's or rollout's segment reference: a key, or {keys, operator} / {key, ...}."""
    if isinstance(ref, str):
        return {"segmentKey": ref}
    keys = ref.get("keys") or ([ref["key"]] if ref.get("key") else [])
    out = {"segmentKeys": keys}
    if ref.get("operator"):
        out["segmentOperator"] = ref["operator"]
    return out


def load(base, doc):
    namespace = doc.get("namespace") or "default"
    if isinstance(namespace, dict):
        namespace = namespace["key"]
    if namespace != "default":
        call(base, "POST", "/api/v1/namespaces", {"key": namespace, "name": namespace})
    ns = f"/api/v1/namespaces/{namespace}"
    for segment in doc.get("segments") or []:
        call(base, "POST", f"{ns}/segments", {"key": segment["key"], "name": segment["name"],
             "description": segment.get("description", ""), "matchType": segment.get("match_type", "ALL_MATCH_TYPE")})
        for c in segment.get("constraints") or []:
            call(base, "POST", f"{ns}/segments/{segment['key']}/constraints", c)
    for flag in doc.get("flags") or []:
        key = flag["key"]
        call(base, "POST", f"{ns}/flags", {"key": key, "name": flag["name"], "description": flag.get("description", ""),
             "enabled": flag.get("enabled", False), "type": flag.get("type", "VARIANT_FLAG_TYPE"),
             "metadata": flag.get("metadata")})
        ids = {}
        for v in flag.get("variants") or []:
            attachment = json.dumps(v["attachment"]) if v.get("attachment") is not None else ""
            ids[v["key"]] = call(base, "POST", f"{ns}/flags/{key}/variants", {"key": v["key"], "name": v.get("name", ""),
                                 "description": v.get("description", ""), "attachment": attachment})["id"]
            if v.get("default"):
                call(base, "PUT", f"{ns}/flags/{key}", {"name": flag["name"], "description": flag.get("description", ""),
                     "enabled": flag.get("enabled", False), "defaultVariantId": ids[v["key"]]})
        for rank, rule in enumerate(flag.get("rules") or [], start=1):
            created = call(base, "POST", f"{ns}/flags/{key}/rules", {"rank": rule.get("rank", rank), **segment_keys(rule["segment"])})
            for d in rule.get("distributions") or []:
                call(base, "POST", f"{ns}/flags/{key}/rules/{created['id']}/distributions",
                     {"variantId": ids[d["variant"]], "rollout": d["rollout"]})
        for rank, rollout in enumerate(flag.get("rollouts") or [], start=1):
            body = {"rank": rank, "description": rollout.get("description", "")}
            if "threshold" in rollout:
                body["threshold"] = {"percentage": rollout["threshold"].get("percentage", 0), "value": rollout["threshold"].get("value", False)}
            else:
                seg = rollout["segment"]
                body["segment"] = {**segment_keys(seg), "value": seg.get("value", False)}
            call(base, "POST", f"{ns}/flags/{key}/rollouts", body)


def main():
    base, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as file:
        for doc in yaml.safe_load_all(file):
            if doc:
                load(base, doc)


if __name__ == "__main__":
    main()
