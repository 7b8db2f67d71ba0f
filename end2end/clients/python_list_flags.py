"""Lists a namespace's flags with Flipt's Python SDK and prints what it saw as JSON.

Usage: python_list_flags.py BASE_URL NAMESPACE
"""

import json
import sys

import os

from flipt import FliptClient
from flipt.authentication import ClientTokenAuthentication
from flipt.models import ListParameters


def main() -> None:
    base_url, namespace = sys.argv[1], sys.argv[2]
    client = FliptClient(url=base_url, authentication=ClientTokenAuthentication(os.environ["E2E_TOKEN"]))
    try:
        listed = client.flag.list_flags(namespace_key=namespace)
        # The SDK sends list parameters as a JSON string in the query; the server must ignore it.
        with_params = client.flag.list_flags(namespace_key=namespace, params=ListParameters(limit=1))
        one = client.flag.get_flag(namespace_key=namespace, flag_key=listed.flags[0].key)
    finally:
        client.close()
    print(
        json.dumps(
            {
                "total": listed.total_count,
                "flags": [
                    {"key": f.key, "type": f.type.value, "enabled": f.enabled, "variants": [v.key for v in f.variants]}
                    for f in listed.flags
                ],
                "with_params_total": with_params.total_count,
                "got": one.key,
            }
        )
    )


if __name__ == "__main__":
    main()
