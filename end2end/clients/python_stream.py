"""Flipt's Python client SDK (`flipt-client`, Flipt's own Rust engine) in streaming mode against
Vexil: it downloads the snapshot once, then follows /client/v2/.../stream. Each round changes a
flag's default variant through /api/v1 and measures how long until `evaluate_variant` in the
SDK answers with the new variant (its polling fallback is 120 s, so any quick answer came by
the stream).

Usage: python_stream.py BASE_URL ROUNDS   (E2E_TOKEN: an admin token)
Prints {"rounds": n, "observed": n, "p50_ms": x, "max_ms": y, "latencies_ms": [...]} as JSON.
"""

import json
import os
import sys
import time
import urllib.request

from flipt_client import FliptClient
from flipt_client.models import ClientOptions, ClientTokenAuthentication, FetchMode

BASE = sys.argv[1]
ROUNDS = int(sys.argv[2])
TOKEN = os.environ["E2E_TOKEN"]
NS = f"stream-py-{os.getpid()}"
WAIT_S = 10.0  # the most one round waits for the SDK to see a change


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def wait_for(client, variant):
    """Seconds until the SDK answers `variant`, or None after WAIT_S."""
    start = time.monotonic()
    while time.monotonic() - start < WAIT_S:
        if client.evaluate_variant("banner", "user-1", {}).variant_key == variant:
            return time.monotonic() - start
        time.sleep(0.001)
    return None


call("POST", "/api/v1/namespaces", {"key": NS, "name": "Python stream"})
base = f"/api/v1/namespaces/{NS}/flags"
call("POST", base, {"key": "banner", "name": "Banner", "enabled": True, "type": "VARIANT_FLAG_TYPE"})
ids = {key: call("POST", f"{base}/banner/variants", {"key": key, "name": key})["id"] for key in ("a", "b")}
call("PUT", f"{base}/banner", {"name": "Banner", "enabled": True, "defaultVariantId": ids["a"]})

client = FliptClient(
    ClientOptions(
        url=BASE,
        namespace=NS,
        authentication=ClientTokenAuthentication(client_token=TOKEN),
        fetch_mode=FetchMode.STREAMING,
    )
)
try:
    if wait_for(client, "a") is None:
        raise SystemExit("the SDK never saw the first snapshot")
    latencies = []
    for round_ in range(ROUNDS):
        variant = "b" if round_ % 2 == 0 else "a"
        call("PUT", f"{base}/banner", {"name": "Banner", "enabled": True, "defaultVariantId": ids[variant]})
        seen = wait_for(client, variant)
        if seen is not None:
            latencies.append(seen * 1000)
finally:
    client.close()
    call("DELETE", f"/api/v1/namespaces/{NS}?force=true")

ordered = sorted(latencies)
print(json.dumps({
    "rounds": ROUNDS,
    "observed": len(latencies),
    "p50_ms": round(ordered[len(ordered) // 2], 1) if ordered else None,
    "max_ms": round(ordered[-1], 1) if ordered else None,
    "latencies_ms": [round(x, 1) for x in latencies],
}))
