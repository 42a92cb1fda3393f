"""Restock's process-plugin protocol in Python: length-prefixed JSON over stdin/stdout.

Each message is a JSON object preceded by its length (4 bytes, big-endian). The host sends
`hello`, then `create` per component, then one call per use (`decide` for a strategy); every
answer repeats the request's `id`. The message shapes are documented in
crates/plugin/src/protocol.rs; records are in the JSON form of Restock's report.
"""

import json
import struct
import sys
import traceback

PROTOCOL = 1


class ConfigError(Exception):
    """A mistake in a component's manifest keys: `path` names the key, e.g. ["max"]."""

    def __init__(self, path, message):
        super().__init__(message)
        self.path = path


def decision(product_id, strategy, policy, action, order_quantity, inventory_position,
             rationale, **more):
    """A Restock decision with the fields a simple policy does not compute set to 0 or none."""
    fields = dict(safety_stock=0.0, reorder_point=0.0, order_up_to=0.0, demand_per_day=0.0,
                  expected_cycle_service_level=0.0, stockout_risk=0.0, days_of_cover=None,
                  evidence=[])
    fields.update(more)
    return dict(product_id=product_id, strategy=strategy, policy=policy, action=action,
                order_quantity=order_quantity, inventory_position=inventory_position,
                rationale=rationale, **fields)


def _read(stream):
    head = stream.read(4)
    if len(head) < 4:
        return None
    (length,) = struct.unpack(">I", head)
    return json.loads(stream.read(length))


def _write(stream, message):
    body = json.dumps(message).encode("utf-8")
    stream.write(struct.pack(">I", len(body)) + body)
    stream.flush()


def serve(name, strategies, version="0.1.0"):
    """Answers the host until it closes stdin.

    `strategies` maps a type name to (doc, factory); factory(config) returns
    decide(dataset, outlook, context) -> [decision], or raises ConfigError.
    """
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    instances = {}
    while (request := _read(stdin)) is not None:
        method = request.get("method")
        try:
            if method == "hello":
                components = [{"kind": "strategy", "type_name": t, "doc": doc}
                              for t, (doc, _) in strategies.items()]
                answer = {"result": "hello", "protocol": PROTOCOL, "plugin": name,
                          "version": version, "components": components}
            elif method == "create":
                _, factory = strategies[request["type_name"]]
                try:
                    instances[len(instances) + 1] = factory(request["config"])
                    answer = {"result": "created", "instance": len(instances)}
                except ConfigError as e:
                    answer = {"result": "config_errors",
                              "errors": [{"path": e.path, "message": str(e)}]}
            elif method == "decide":
                decide = instances[request["instance"]]
                decisions = decide(request["dataset"], request["outlook"], request["context"])
                answer = {"result": "decisions", "decisions": decisions}
            else:
                answer = {"result": "error", "failure": "protocol",
                          "message": f"this plugin does not answer `{method}`"}
        except Exception:  # reported to the host as this call's failure
            answer = {"result": "error", "failure": "panicked",
                      "message": traceback.format_exc(limit=2).strip()}
        _write(stdout, {"id": request["id"], **answer})
