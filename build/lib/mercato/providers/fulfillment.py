"""Fulfillment providers: Medusa v1's interfaces/fulfillment-service.ts (AbstractFulfillmentService),
services/fulfillment-provider.ts (the registry) and the built-in `manual` provider
(medusa-fulfillment-manual).

A third-party provider is a subclass of `FulfillmentProvider` published under the entry point group
`mercato.fulfillment_providers` (name = anything, value = "package.module:Class"); its `identifier`
is the id stored in fulfillment_provider / shipping_option.provider_id / fulfillment.provider_id.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from importlib.metadata import entry_points
from typing import Any, ClassVar

from mercato.core.errors import not_found

log = logging.getLogger("mercato.providers.fulfillment")

ENTRY_POINT_GROUP = "mercato.fulfillment_providers"

Data = dict[str, Any]


class FulfillmentProvider:
    """AbstractFulfillmentService. Every method may be async-free: providers run in the request's
    transaction (their side effects happen before the fulfillment row is saved, as in Medusa)."""

    identifier: ClassVar[str] = ""

    def get_fulfillment_options(self) -> list[Data]:
        """What a shipping option's `data` may be (GET /admin/regions/:id/fulfillment-options)."""
        raise NotImplementedError

    def validate_fulfillment_data(
        self, option_data: Mapping[str, Any], data: Mapping[str, Any], cart: Mapping[str, Any] | None
    ) -> Data:
        """Checks the data a customer sends with a shipping method; returns what is stored."""
        raise NotImplementedError

    def validate_option(self, data: Mapping[str, Any]) -> bool:
        """Whether an admin-created shipping option's `data` is valid for this provider."""
        raise NotImplementedError

    def can_calculate(self, data: Mapping[str, Any]) -> bool:
        """Whether the provider can price an option with `price_type: calculated`."""
        raise NotImplementedError

    def calculate_price(
        self, option_data: Mapping[str, Any], data: Mapping[str, Any], cart: Mapping[str, Any] | None
    ) -> int:
        raise NotImplementedError

    def create_fulfillment(
        self,
        data: Mapping[str, Any],
        items: Sequence[Mapping[str, Any]],
        order: Mapping[str, Any],
        fulfillment: Mapping[str, Any],
    ) -> Data:
        """Books the fulfillment with the carrier; the answer is stored as fulfillment.data."""
        raise NotImplementedError

    def cancel_fulfillment(self, fulfillment: Mapping[str, Any]) -> Any:
        raise NotImplementedError

    def create_return(self, return_order: Mapping[str, Any]) -> Data:
        raise NotImplementedError

    def get_fulfillment_documents(self, data: Mapping[str, Any]) -> Any:
        return []

    def get_return_documents(self, data: Mapping[str, Any]) -> Any:
        return []

    def get_shipment_documents(self, data: Mapping[str, Any]) -> Any:
        return []

    def retrieve_documents(self, fulfillment_data: Mapping[str, Any], document_type: str) -> Any:
        return []


class ManualFulfillmentProvider(FulfillmentProvider):
    """medusa-fulfillment-manual: every call succeeds and books nothing."""

    identifier = "manual"

    def get_fulfillment_options(self) -> list[Data]:
        return [{"id": "manual-fulfillment"}, {"id": "manual-fulfillment-return", "is_return": True}]

    def validate_fulfillment_data(
        self, option_data: Mapping[str, Any], data: Mapping[str, Any], cart: Mapping[str, Any] | None
    ) -> Data:
        return dict(data)

    def validate_option(self, data: Mapping[str, Any]) -> bool:
        return True

    def can_calculate(self, data: Mapping[str, Any]) -> bool:
        return False

    def calculate_price(
        self, option_data: Mapping[str, Any], data: Mapping[str, Any], cart: Mapping[str, Any] | None
    ) -> int:
        raise RuntimeError("Manual Fulfillment service cannot calculatePrice")

    def create_fulfillment(
        self,
        data: Mapping[str, Any],
        items: Sequence[Mapping[str, Any]],
        order: Mapping[str, Any],
        fulfillment: Mapping[str, Any],
    ) -> Data:
        return {}

    def cancel_fulfillment(self, fulfillment: Mapping[str, Any]) -> Any:
        return {}

    def create_return(self, return_order: Mapping[str, Any]) -> Data:
        return {}


_BUILT_INS: dict[str, type[FulfillmentProvider]] = {"manual": ManualFulfillmentProvider}
_registry: dict[str, FulfillmentProvider] | None = None


def _load() -> dict[str, FulfillmentProvider]:
    providers: dict[str, FulfillmentProvider] = {key: cls() for key, cls in _BUILT_INS.items()}
    try:
        found = entry_points(group=ENTRY_POINT_GROUP)
    except Exception:  # pragma: no cover - broken metadata must not stop the server
        log.exception("reading entry points %s failed", ENTRY_POINT_GROUP)
        return providers
    for ep in found:
        try:
            cls = ep.load()
            instance = cls() if isinstance(cls, type) else cls
            providers[instance.identifier or ep.name] = instance
        except Exception:
            log.exception("fulfillment provider %s could not be loaded", ep.name)
    return providers


def registry() -> dict[str, FulfillmentProvider]:
    """Every installed fulfillment provider by identifier (built-ins, then entry points)."""
    global _registry
    if _registry is None:
        _registry = _load()
    return _registry


def register(provider: FulfillmentProvider) -> None:
    """Installs a provider at runtime (tests, plugins configured in code)."""
    registry()[provider.identifier] = provider


def provider_ids() -> list[str]:
    return sorted(registry())


def get_fulfillment_provider(provider_id: str) -> FulfillmentProvider:
    """FulfillmentProviderService.retrieveProvider, with its 404."""
    provider = registry().get(provider_id)
    if provider is None:
        raise not_found(f"Could not find a fulfillment provider with id: {provider_id}")
    return provider
