"""Request models of the regions group, mirroring Medusa's validator classes
(api/routes/admin/regions/*.ts, api/routes/store/regions/*.ts)."""

from __future__ import annotations

from typing import Any, ClassVar

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    Prop,
    Validated,
    each,
    is_array,
    is_boolean,
    is_non_negative_integer,
    is_number,
    is_object,
    is_string,
    js_number,
)

_STRINGS = Prop((each(is_string), is_array))
_OPTIONAL_STRINGS = Prop((each(is_string), is_array), optional=True)


class AdminPostRegionsReq(Validated):
    # includes_tax is registered by a feature-flag decorator after the class body, so it is
    # reported after metadata.
    __rules__ = {
        "name": Prop((is_string,)),
        "currency_code": Prop((is_string,)),
        "tax_code": Prop((is_string,), optional=True),
        "tax_rate": Prop((is_number,)),
        "payment_providers": _STRINGS,
        "fulfillment_providers": _STRINGS,
        "countries": _STRINGS,
        "metadata": Prop((is_object,), optional=True),
        "includes_tax": Prop((is_boolean,), optional=True),
    }
    name: str
    currency_code: str
    tax_code: str | None = None
    tax_rate: float
    payment_providers: list[str]
    fulfillment_providers: list[str]
    countries: list[str]
    metadata: dict[str, Any] | None = None
    includes_tax: bool | None = None


class AdminPostRegionsRegionReq(Validated):
    __rules__ = {
        "name": Prop((is_string,), optional=True),
        "currency_code": Prop((is_string,), optional=True),
        "tax_code": Prop((is_string,), optional=True),
        "tax_rate": Prop((is_number,), optional=True),
        "gift_cards_taxable": Prop((is_boolean,), optional=True),
        "automatic_taxes": Prop((is_boolean,), optional=True),
        "tax_provider_id": Prop((is_string,), optional=True),
        "payment_providers": _OPTIONAL_STRINGS,
        "fulfillment_providers": _OPTIONAL_STRINGS,
        "countries": _OPTIONAL_STRINGS,
        "metadata": Prop((is_object,), optional=True),
        "includes_tax": Prop((is_boolean,), optional=True),
    }
    name: str | None = None
    currency_code: str | None = None
    tax_code: str | None = None
    tax_rate: float | None = None
    gift_cards_taxable: bool | None = None
    automatic_taxes: bool | None = None
    tax_provider_id: str | None = None
    payment_providers: list[str] | None = None
    fulfillment_providers: list[str] | None = None
    countries: list[str] | None = None
    metadata: dict[str, Any] | None = None
    includes_tax: bool | None = None


class AdminPostRegionsRegionCountriesReq(Validated):
    __rules__ = {"country_code": Prop((is_string,))}
    country_code: str


class AdminPostRegionsRegionPaymentProvidersReq(Validated):
    __rules__ = {"provider_id": Prop((is_string,))}
    provider_id: str


class AdminPostRegionsRegionFulfillmentProvidersReq(Validated):
    __rules__ = {"provider_id": Prop((is_string,))}
    provider_id: str


# ---- query strings ---------------------------------------------------------------------------

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)


class RegionFindParams(Validated):
    """FindParams + extendedFindParamsMixin: expand, fields, offset, limit, order."""

    expand: str | None = None
    fields: str | None = None
    offset: int = 0
    limit: int = 50
    order: str | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    deleted_at: DateFilter | None = None
    q: str | None = None

    def date_filters(self) -> dict[str, DateFilter]:
        return {
            name: value
            for name in ("created_at", "updated_at", "deleted_at")
            if isinstance(value := getattr(self, name), DateFilter)
        }


class AdminGetRegionsParams(RegionFindParams):
    __rules__: ClassVar[dict[str, Prop]] = {
        "q": Prop((is_string,), optional=True),
        "order": Prop((is_string,), optional=True),
        "created_at": _DATES,
        "updated_at": _DATES,
        "deleted_at": _DATES,
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_string,), optional=True),
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
    }


class StoreGetRegionsParams(RegionFindParams):
    """Medusa uses this class for GET /store/regions/:id too (its page keys are then ignored)."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "created_at": _DATES,
        "updated_at": _DATES,
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_string,), optional=True),
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        "order": Prop((is_string,), optional=True),
    }
    limit: int = 100


class AdminGetRegionsRegionParams(Validated):
    """FindParams."""

    __rules__ = {
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_string,), optional=True),
    }
    expand: str | None = None
    fields: str | None = None
