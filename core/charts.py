"""Bar charts drawn in HTML and CSS, each bar scaled within its own currency.

A chart here is a table whose rows carry a bar: the table is the text alternative, and amounts
in different currencies are never drawn on one scale.
"""

from collections.abc import Callable, Iterable


def bar_rows(
    items: Iterable,
    value: Callable[[object], object],
    currency: Callable[[object], str] = lambda item: "",
) -> list[dict]:
    """``[{"item": …, "width": "42.0"}, …]``: each width in percent of the largest value of the
    same currency."""
    items = list(items)
    largest: dict[str, object] = {}
    for item in items:
        amount = value(item)
        if amount is not None and amount > largest.get(currency(item), 0):
            largest[currency(item)] = amount
    rows = []
    for item in items:
        amount, top = value(item), largest.get(currency(item))
        width = amount / top * 100 if amount and top else 0
        rows.append({"item": item, "width": f"{width:.1f}"})
    return rows
