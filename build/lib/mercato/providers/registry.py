"""The payment provider registry: built-ins plus third-party providers declared as Python entry
points in the group `mercato.payment_providers` (value: a PaymentProvider subclass, or a factory
returning an instance). Loaded once, on first use."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import Any

from mercato.core.errors import not_found
from mercato.providers.payment import ManualPaymentProvider, PaymentProvider, SystemPaymentProvider

ENTRY_POINT_GROUP = "mercato.payment_providers"

log = logging.getLogger(__name__)


class PaymentProviderRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, PaymentProvider] = {}

    def register(self, provider: PaymentProvider) -> PaymentProvider:
        self._providers[provider.get_identifier()] = provider
        return provider

    def unregister(self, provider_id: str) -> None:
        self._providers.pop(provider_id, None)

    def get(self, provider_id: str) -> PaymentProvider:
        provider = self._providers.get(provider_id)
        if provider is None:
            raise not_found(f"Could not find a payment provider with id: {provider_id}")
        return provider

    def ids(self) -> list[str]:
        """Installed provider ids, `system` excluded (Medusa never lists it as installed)."""
        return [pid for pid in self._providers if pid != "system"]

    def __contains__(self, provider_id: object) -> bool:
        return provider_id in self._providers

    def load_entry_points(self) -> None:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                target: Any = ep.load()
                provider = target() if callable(target) else target
                if not isinstance(provider, PaymentProvider):
                    raise TypeError(f"{ep.value} is not a mercato PaymentProvider")
                if not provider.identifier:
                    provider.identifier = ep.name  # type: ignore[misc]
                self.register(provider)
            except Exception:  # a broken plugin must not take the server down
                log.exception("payment provider entry point %s failed to load", ep.name)


_registry: PaymentProviderRegistry | None = None


def payment_registry() -> PaymentProviderRegistry:
    global _registry
    if _registry is None:
        registry = PaymentProviderRegistry()
        registry.register(ManualPaymentProvider())
        registry.register(SystemPaymentProvider())
        registry.load_entry_points()
        _registry = registry
    return _registry


def reset_payment_registry() -> None:
    """Forget the loaded providers (tests; the next use reloads built-ins and entry points)."""
    global _registry
    _registry = None
