"""Seeds data for .ci/bench.

  bench_seed.py BASE_URL            the load benchmark's flag, through the management API
                                    (with the admin token in VEXIL_TOKEN, when one is set):
                                    5 segments of 3 constraints, a flag with 3 variants and
                                    5 rules (the last one matches the benchmark's request)
  bench_seed.py --flags N DB_FILE   N flags (3 variants and one rule each) written straight
                                    into a migrated SQLite file; through the API this would be
                                    N * 7 fsynced transactions, minutes of set-up for one figure
"""

import json
import os
import sqlite3
import sys
import time
import urllib.request
import uuid


def api(base, path, body):
    headers = {"Content-Type": "application/json"}
    if os.environ.get("VEXIL_TOKEN"):
        headers["Authorization"] = "Bearer " + os.environ["VEXIL_TOKEN"]
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def seed_api(base):
    ns = "/api/v1/namespaces/default"
    for i in range(5):
        api(base, f"{ns}/segments", {"key": f"seg{i}", "name": f"Segment {i}"})
        for c in [
            {"type": "STRING_COMPARISON_TYPE", "property": "plan", "operator": "eq", "value": f"plan-{i}"},
            {"type": "NUMBER_COMPARISON_TYPE", "property": "age", "operator": "gte", "value": "18"},
            {"type": "STRING_COMPARISON_TYPE", "property": "region", "operator": "isoneof", "value": '["de","fr","us"]'},
        ]:
            api(base, f"{ns}/segments/seg{i}/constraints", c)
    api(base, f"{ns}/flags", {"key": "checkout", "name": "Checkout", "enabled": True})
    ids = [api(base, f"{ns}/flags/checkout/variants", {"key": k, "attachment": '{"color":"blue"}'})["id"] for k in "abc"]
    for i in range(5):
        rule = api(base, f"{ns}/flags/checkout/rules", {"segmentKey": f"seg{i}", "rank": i + 1})
        for variant in ids:
            api(base, f"{ns}/flags/checkout/rules/{rule['id']}/distributions", {"variantId": variant, "rollout": 33.34})


def seed_db(path, count):
    now = time.time_ns()
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("INSERT INTO segments (namespace_key, key, name, created_at, updated_at) VALUES ('default', 'pro', 'Pro', ?, ?)", (now, now))
    db.execute("INSERT INTO constraints (id, namespace_key, segment_key, type, property, operator, value, created_at, updated_at) "
               "VALUES (?, 'default', 'pro', 1, 'plan', 'eq', 'pro', ?, ?)", (str(uuid.uuid4()), now, now))
    for n in range(count):
        key, t = f"flag-{n}", now + n
        db.execute("INSERT INTO flags (namespace_key, key, name, enabled, type, created_at, updated_at) VALUES ('default', ?, ?, 1, 0, ?, ?)", (key, key, t, t))
        rule = str(uuid.uuid4())
        db.execute("INSERT INTO rules (id, namespace_key, flag_key, rank, created_at, updated_at) VALUES (?, 'default', ?, 1, ?, ?)", (rule, key, t, t))
        db.execute("INSERT INTO rule_segments (rule_id, namespace_key, segment_key) VALUES (?, 'default', 'pro')", (rule,))
        for v in "abc":
            variant = str(uuid.uuid4())
            db.execute("INSERT INTO variants (id, namespace_key, flag_key, key, attachment, created_at, updated_at) VALUES (?, 'default', ?, ?, ?, ?, ?)",
                       (variant, key, v, '{"color":"blue"}', t, t))
            db.execute("INSERT INTO distributions (id, rule_id, variant_id, rollout, created_at, updated_at) VALUES (?, ?, ?, 33.34, ?, ?)",
                       (str(uuid.uuid4()), rule, variant, t, t))
    db.execute("UPDATE namespaces SET data_version = data_version + 1 WHERE key = 'default'")
    db.commit()
    db.close()


if __name__ == "__main__":
    if sys.argv[1] == "--flags":
        seed_db(sys.argv[3], int(sys.argv[2]))
    else:
        seed_api(sys.argv[1])
