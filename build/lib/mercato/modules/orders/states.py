"""The three state machines of an order, as Medusa v1's OrderService moves them (services/order.ts).

Each machine is a table: event -> (the states it may start from, the states it may end in, the
refusal when it may not start). `move(machine, event, current, target)` is the only way a
service changes a status: it refuses with Medusa's `not_allowed` error (HTTP 400) before anything
is written, and it rejects a target the table does not list (a programming error, never a silent
change).

Some events have a computed target (fulfilling part of the items gives `partially_fulfilled`,
all of them `fulfilled`); the helpers below compute it exactly as Medusa does, and the table
still says which targets are possible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mercato.core.errors import not_allowed

ORDER_STATUSES = frozenset({"pending", "completed", "archived", "canceled", "requires_action"})
PAYMENT_STATUSES = frozenset(
    {"not_paid", "awaiting", "captured", "partially_refunded", "refunded", "canceled", "requires_action"}
)
FULFILLMENT_STATUSES = frozenset(
    {
        "not_fulfilled",
        "partially_fulfilled",
        "fulfilled",
        "partially_shipped",
        "shipped",
        "partially_returned",
        "returned",
        "canceled",
        "requires_action",
    }
)

_NOT_CANCELED = ORDER_STATUSES - {"canceled"}


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    targets: frozenset[str]
    refusal: str = ""


# ---- order.status ----------------------------------------------------------------------------
# Medusa moves order.status itself only on complete, archive and cancel; every other action is
# refused on a canceled order (ORDER_GUARDS below).
ORDER_STATUS: dict[str, Transition] = {
    # completeOrder
    "complete": Transition(_NOT_CANCELED, frozenset({"completed"}), "A canceled order cannot be completed"),
    # archive: `order.status !== ("completed" || "refunded")` only lets "completed" through
    "archive": Transition(
        frozenset({"completed"}), frozenset({"archived"}), "Can't archive an unprocessed order"
    ),
    # cancel: Medusa does not look at the status; its refusals are about refunds and fulfillments
    "cancel": Transition(ORDER_STATUSES, frozenset({"canceled"})),
}

# Actions that leave order.status alone but are refused on some statuses, with Medusa's message.
ORDER_GUARDS: dict[str, Transition] = {
    "update": Transition(_NOT_CANCELED, frozenset(), "A canceled order cannot be updated"),
    "add_shipping_method": Transition(
        _NOT_CANCELED, frozenset(), "A shipping method cannot be added to a canceled order"
    ),
    "capture": Transition(_NOT_CANCELED, frozenset(), "A canceled order cannot capture payment"),
    "fulfill": Transition(_NOT_CANCELED, frozenset(), "A canceled order cannot be fulfilled"),
    "ship": Transition(_NOT_CANCELED, frozenset(), "A canceled order cannot be fulfilled as shipped"),
    "refund": Transition(_NOT_CANCELED, frozenset(), "A canceled order cannot be refunded"),
}

# ---- order.payment_status --------------------------------------------------------------------
PAYMENT_STATUS: dict[str, Transition] = {
    # capturePayment: captured when every payment is captured, otherwise requires_action
    "capture": Transition(PAYMENT_STATUSES, frozenset({"captured", "requires_action"})),
    # createRefund: partially_refunded while something stays refundable, refunded when all paid
    # was refunded (otherwise unchanged)
    "refund": Transition(PAYMENT_STATUSES, frozenset({"partially_refunded", "refunded"}) | PAYMENT_STATUSES),
    "cancel": Transition(PAYMENT_STATUSES, frozenset({"canceled"})),
}

# ---- order.fulfillment_status ----------------------------------------------------------------
FULFILLMENT_STATUS: dict[str, Transition] = {
    # createFulfillment: every item fully fulfilled -> fulfilled, otherwise partially_fulfilled
    "fulfill": Transition(FULFILLMENT_STATUSES, frozenset({"fulfilled", "partially_fulfilled"})),
    # cancelFulfillment: Medusa marks the order canceled, whatever other fulfillments exist
    "cancel_fulfillment": Transition(FULFILLMENT_STATUSES, frozenset({"canceled"})),
    # createShipment: every item fully shipped -> shipped, otherwise partially_shipped
    "ship": Transition(FULFILLMENT_STATUSES, frozenset({"shipped", "partially_shipped"})),
    "cancel": Transition(FULFILLMENT_STATUSES, frozenset({"canceled"})),
}

MACHINES: dict[str, dict[str, Transition]] = {
    "status": ORDER_STATUS,
    "payment_status": PAYMENT_STATUS,
    "fulfillment_status": FULFILLMENT_STATUS,
}


def guard(action: str, order_status: str) -> None:
    """Refuses `action` on an order in `order_status` with Medusa's message."""
    rule = ORDER_GUARDS[action]
    if order_status not in rule.sources:
        raise not_allowed(rule.refusal)


def check(machine: str, event: str, current: str) -> Transition:
    """The transition of `event`, or Medusa's refusal when `current` may not start it."""
    rule = MACHINES[machine][event]
    if current not in rule.sources:
        raise not_allowed(rule.refusal or f"Cannot {event} from {current}")
    return rule


def move(machine: str, event: str, current: str, target: str) -> str:
    """The new state of `machine` after `event` (refused as Medusa refuses it)."""
    rule = check(machine, event, current)
    if target not in rule.targets:
        raise AssertionError(f"{machine}: {event} cannot lead from {current} to {target}")
    return target


# ---- computed targets ------------------------------------------------------------------------


def fulfillment_target(quantities: Iterable[tuple[int, int | None]]) -> str:
    """After createFulfillment: (quantity, fulfilled_quantity) of every order item."""
    return (
        "fulfilled"
        if all((fulfilled or 0) == quantity for quantity, fulfilled in quantities)
        else "partially_fulfilled"
    )


def shipment_target(quantities: Iterable[tuple[int, int | None]]) -> str:
    """After createShipment: (quantity, shipped_quantity) of every order item."""
    return (
        "shipped"
        if all((shipped or 0) == quantity for quantity, shipped in quantities)
        else "partially_shipped"
    )


def capture_target(captured: Iterable[bool]) -> str:
    """After capturePayment: whether each payment of the order is captured."""
    return "captured" if all(captured) else "requires_action"


def refund_target(current: str, paid_total: int, refunded_total: int) -> str:
    """After createRefund, from the order's totals once the refund is written."""
    refundable = paid_total - refunded_total
    status = current
    if refunded_total > 0 and refundable > 0:
        status = "partially_refunded"
    if paid_total > 0 and refunded_total == paid_total:
        status = "refunded"
    return status
