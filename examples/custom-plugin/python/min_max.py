"""A Restock strategy in Python, run as a process plugin: the (min, max) policy. When an item's
inventory position is at or below `min`, order up to `max`; otherwise hold."""

from restock_plugin import ConfigError, decision, serve


def min_max(config):
    low, high = config.get("min"), config.get("max")
    for key, value in (("min", low), ("max", high)):
        if not isinstance(value, (int, float)) or value < 0:
            raise ConfigError([key], "required: a number of units ≥ 0")
    if high < low:
        raise ConfigError(["max"], f"must be at least min ({low})")

    def decide(dataset, outlook, context):
        decisions = []
        for s in dataset["stock"]:
            position = s["on_hand"] + s["on_order"] - s["backorders"]
            order = high - position if position <= low else 0
            decisions.append(decision(
                s["product_id"], context["component"], "min_max",
                "order" if order > 0 else "hold", order, position,
                f"inventory position {position} {'≤' if order else '>'} min {low}: "
                + (f"order {order} up to max {high}." if order else "no order."),
                reorder_point=low, order_up_to=high))
        return decisions

    return decide


serve("python-min-max", {"min_max": ("Orders up to max when the inventory position is at or below min", min_max)})
