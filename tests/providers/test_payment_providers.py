"""The payment provider interface, the built-ins and the entry-point registry."""

from __future__ import annotations

from typing import Any

import pytest

from mercato.core.errors import MedusaError
from mercato.modules.payments.service import call_provider
from mercato.providers import registry as reg
from mercato.providers.payment import (
    AuthorizeResult,
    ManualPaymentProvider,
    PaymentProcessorContext,
    PaymentProcessorError,
    PaymentProcessorSessionResponse,
    PaymentProvider,
    SystemPaymentProvider,
    get_payment_provider,
)


class EchoProvider(ManualPaymentProvider):
    identifier = "echo"

    async def retrieve_saved_methods(self, customer: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"card": "4242", "customer": customer["id"]}]


class RefusingProvider(SystemPaymentProvider):
    identifier = "refusing"

    async def capture_payment(self, payment_data: dict[str, Any]) -> PaymentProcessorError:  # type: ignore[override]
        return PaymentProcessorError("card declined", "declined", "insufficient funds")

    async def refund_payment(self, payment_data: dict[str, Any], refund_amount: int) -> dict[str, Any]:
        raise PaymentProcessorError("no refunds")


def _ctx(**extra: Any) -> PaymentProcessorContext:
    return PaymentProcessorContext(amount=1000, currency_code="eur", resource_id="cart_1", **extra)


async def test_manual_provider_matches_medusa_payment_manual() -> None:
    manual = ManualPaymentProvider()
    started = await manual.initiate_payment(_ctx())
    assert isinstance(started, PaymentProcessorSessionResponse) and started.session_data == {
        "status": "pending"
    }
    updated = await manual.update_payment(_ctx(payment_session_data={"status": "pending", "x": 1}))
    assert updated.session_data == {"status": "pending", "x": 1}
    assert await manual.authorize_payment({}, {}) == AuthorizeResult("authorized", {"status": "authorized"})
    assert await manual.capture_payment({"status": "authorized"}) == {"status": "captured"}
    assert await manual.refund_payment({"status": "captured"}, 10) == {"status": "captured"}
    assert await manual.cancel_payment({}) == {"status": "canceled"}
    assert await manual.get_payment_status({"status": "authorized"}) == "authorized"
    assert await manual.retrieve_payment({"status": "authorized"}) == {"status": "authorized"}
    assert await manual.update_payment_data("ps_1", {"data": {"a": 1}, "b": 2}, {"status": "pending"}) == {
        "status": "pending",
        "a": 1,
    }
    assert await manual.retrieve_saved_methods({"id": "cus_1"}) == []


async def test_system_provider() -> None:
    system = SystemPaymentProvider()
    assert (await system.initiate_payment(_ctx())).session_data == {}
    assert await system.authorize_payment({}, {}) == AuthorizeResult("authorized", {})
    assert await system.get_payment_status({}) == "authorized"
    assert await system.capture_payment({"a": 1}) == {} and await system.refund_payment({}, 1) == {}


def test_unknown_provider_is_not_found() -> None:
    assert isinstance(get_payment_provider("manual"), ManualPaymentProvider)
    assert isinstance(get_payment_provider("system"), SystemPaymentProvider)
    with pytest.raises(MedusaError) as err:
        get_payment_provider("nope")
    assert err.value.type == "not_found"
    assert err.value.message == "Could not find a payment provider with id: nope"


def test_registry_lists_installed_without_system() -> None:
    ids = reg.payment_registry().ids()
    assert "manual" in ids and "system" not in ids


def test_abstract_methods_are_required() -> None:
    class Incomplete(PaymentProvider):
        identifier = "incomplete"

    with pytest.raises(TypeError):
        Incomplete()  # type: ignore[abstract]


async def test_processor_errors_become_medusa_errors() -> None:
    refusing = RefusingProvider()
    with pytest.raises(MedusaError) as err:
        await call_provider(refusing.capture_payment({}))
    assert err.value.type == "invalid_data" and err.value.code == "declined"
    assert err.value.message.startswith("card declined:") and err.value.message.endswith("insufficient funds")
    with pytest.raises(MedusaError) as err:
        await call_provider(refusing.refund_payment({}, 1))
    assert err.value.message == "no refunds"


class _EntryPoint:
    def __init__(self, name: str, target: Any) -> None:
        self.name = name
        self.value = f"tests:{name}"
        self._target = target

    def load(self) -> Any:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def test_entry_points_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake_entry_points(*, group: str) -> list[_EntryPoint]:
        seen.append(group)
        return [
            _EntryPoint("echo", EchoProvider),
            _EntryPoint("broken", ImportError("missing dependency")),
            _EntryPoint("notaprovider", dict),
        ]

    monkeypatch.setattr(reg, "entry_points", fake_entry_points)
    reg.reset_payment_registry()
    try:
        registry = reg.payment_registry()
        assert seen == ["mercato.payment_providers"]
        assert isinstance(registry.get("echo"), EchoProvider)
        assert "broken" not in registry and "notaprovider" not in registry
        assert {"manual", "system", "echo"} <= {*registry.ids(), "system"}
    finally:
        reg.reset_payment_registry()
