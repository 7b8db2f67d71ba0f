"""Evaluates flags with Flipt's Python SDK and prints what it answered as JSON.

Usage: python_evaluate.py BASE_URL NAMESPACE
"""

import json
import sys

import os

from flipt import FliptClient
from flipt.authentication import ClientTokenAuthentication
from flipt.evaluation import BatchEvaluationRequest, EvaluationRequest


def main() -> None:
    base_url, ns = sys.argv[1], sys.argv[2]
    client = FliptClient(url=base_url, authentication=ClientTokenAuthentication(os.environ["E2E_TOKEN"]))
    try:
        pro = EvaluationRequest(namespace_key=ns, flag_key="checkout", entity_id="user-1", context={"plan": "pro"})
        free = EvaluationRequest(namespace_key=ns, flag_key="checkout", entity_id="user-1", context={"plan": "free"})
        dark = EvaluationRequest(namespace_key=ns, flag_key="dark-mode", entity_id="user-1", context={})
        variant = client.evaluation.variant(pro)
        default = client.evaluation.variant(free)
        boolean = client.evaluation.boolean(dark)
        batch = client.evaluation.batch(BatchEvaluationRequest(requests=[pro, dark]))
    finally:
        client.close()
    print(
        json.dumps(
            {
                "variant": [variant.match, variant.variant_key, variant.reason.value, variant.segment_keys],
                "default": [default.match, default.variant_key, default.reason.value],
                "boolean": [boolean.enabled, boolean.reason.value],
                "batch": [r.type.value for r in batch.responses],
            }
        )
    )


if __name__ == "__main__":
    main()
