"""Score pairs with OpenSanctions' nomenklatura ``logic-v2`` (run inside bench/.venv-nk).

Reads JSON lines ``{"schema": .., "a": {props}, "b": {props}}`` on stdin and writes one line
``{"score": .., "seconds": ..}`` per pair. Kept apart from the product: nomenklatura pins its
own followthemoney/rigour versions.
"""

from __future__ import annotations

import json
import sys
import time

from followthemoney import model
from nomenklatura.matching import get_algorithm


def main() -> None:
    algo = get_algorithm(sys.argv[1] if len(sys.argv) > 1 else "logic-v2")
    assert algo is not None
    config = algo.default_config()
    for n, line in enumerate(sys.stdin):
        pair = json.loads(line)
        start = time.perf_counter()
        try:
            schema = pair.get("schema") or "LegalEntity"
            a = model.make_entity(schema)
            a.id = f"q{n}"  # unique ids: nomenklatura caches name analysis by entity id
            b = model.make_entity(pair.get("schema_b") or schema)
            b.id = f"r{n}"
            for proxy, props in ((a, pair["a"]), (b, pair["b"])):
                for prop, values in props.items():
                    for value in values:
                        proxy.add(prop, value, quiet=True)
            start = time.perf_counter()
            score = float(algo.compare(a, b, config).score)
        except Exception as exc:  # noqa: BLE001 - report and carry on with the next pair
            print(json.dumps({"score": 0.0, "seconds": 0.0, "error": str(exc)}), flush=True)
            continue
        print(json.dumps({"score": score, "seconds": time.perf_counter() - start}), flush=True)


if __name__ == "__main__":
    main()
