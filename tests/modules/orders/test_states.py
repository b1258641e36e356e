"""The order state tables and the fulfillment provider registry."""

from __future__ import annotations

import pytest

from mercato.core.errors import MedusaError
from mercato.modules.orders import states
from mercato.providers.fulfillment import (
    FulfillmentProvider,
    ManualFulfillmentProvider,
    get_fulfillment_provider,
    provider_ids,
    register,
    registry,
)


def test_order_status_table() -> None:
    assert states.move("status", "complete", "pending", "completed") == "completed"
    assert states.move("status", "archive", "completed", "archived") == "archived"
    assert states.move("status", "cancel", "completed", "canceled") == "canceled"
    with pytest.raises(MedusaError) as err:
        states.move("status", "complete", "canceled", "completed")
    assert (err.value.type, err.value.message) == ("not_allowed", "A canceled order cannot be completed")
    for status in ("pending", "archived", "canceled", "requires_action"):
        with pytest.raises(MedusaError) as err:
            states.move("status", "archive", status, "archived")
        assert err.value.message == "Can't archive an unprocessed order"
    with pytest.raises(AssertionError):
        states.move("status", "complete", "pending", "archived")


def test_guards() -> None:
    for action in states.ORDER_GUARDS:
        states.guard(action, "pending")
        with pytest.raises(MedusaError):
            states.guard(action, "canceled")


def test_computed_targets() -> None:
    assert states.fulfillment_target([(3, 3), (2, 2)]) == "fulfilled"
    assert states.fulfillment_target([(3, 1), (2, None)]) == "partially_fulfilled"
    assert states.shipment_target([(3, 3), (2, 2)]) == "shipped"
    assert states.shipment_target([(3, 3), (2, None)]) == "partially_shipped"
    assert states.capture_target([True, True]) == "captured"
    assert states.capture_target([True, False]) == "requires_action"
    assert states.refund_target("captured", 1000, 400) == "partially_refunded"
    assert states.refund_target("partially_refunded", 1000, 1000) == "refunded"
    assert states.refund_target("captured", 0, 0) == "captured"
    for machine, table in states.MACHINES.items():
        universe = {
            "status": states.ORDER_STATUSES,
            "payment_status": states.PAYMENT_STATUSES,
            "fulfillment_status": states.FULFILLMENT_STATUSES,
        }[machine]
        for transition in table.values():
            assert transition.sources <= universe
            assert transition.targets <= universe


def test_manual_fulfillment_provider() -> None:
    manual = get_fulfillment_provider("manual")
    assert isinstance(manual, ManualFulfillmentProvider)
    assert manual.get_fulfillment_options() == [
        {"id": "manual-fulfillment"},
        {"id": "manual-fulfillment-return", "is_return": True},
    ]
    assert manual.validate_fulfillment_data({}, {"a": 1}, None) == {"a": 1}
    assert manual.validate_option({}) is True
    assert manual.can_calculate({}) is False
    assert manual.create_fulfillment({}, [], {}, {}) == {}
    assert manual.cancel_fulfillment({}) == {}
    assert manual.create_return({}) == {}
    with pytest.raises(RuntimeError):
        manual.calculate_price({}, {}, None)
    with pytest.raises(MedusaError) as err:
        get_fulfillment_provider("nope")
    assert err.value.message == "Could not find a fulfillment provider with id: nope"


def test_register_a_provider() -> None:
    class Courier(FulfillmentProvider):
        identifier = "ord-courier"

    register(Courier())
    try:
        assert "ord-courier" in provider_ids()
        assert get_fulfillment_provider("ord-courier").identifier == "ord-courier"
    finally:
        registry().pop("ord-courier")
