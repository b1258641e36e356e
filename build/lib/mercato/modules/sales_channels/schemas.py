"""Request models of the sales channels and publishable API keys groups, mirroring Medusa's
validator classes (api/routes/admin/sales-channels/*.ts, api/routes/admin/publishable-api-keys/*.ts,
types/sales-channels.ts)."""

from __future__ import annotations

from typing import ClassVar

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    Prop,
    Validated,
    is_array,
    is_boolean,
    is_non_negative_integer,
    is_number,
    is_string,
    js_number,
)


class IdItem(Validated):
    """types/sales-channels.ts ProductBatchSalesChannel: `{id: string}`."""

    __rules__ = {"id": Prop((is_string,))}
    id: str


# @IsArray() @ValidateNested({each: true}) @Type(() => ProductBatchSalesChannel)
_ID_ITEMS = Prop((is_array,), nested=IdItem.__rules__, nested_each=True)


# ---- sales channels: bodies --------------------------------------------------------------------


class AdminPostSalesChannelsReq(Validated):
    __rules__ = {
        "name": Prop((is_string,)),
        "description": Prop((is_string,), optional=True),
        "is_disabled": Prop((is_boolean,), optional=True),
    }
    name: str
    description: str | None = None
    is_disabled: bool | None = None


class AdminPostSalesChannelsSalesChannelReq(Validated):
    __rules__ = {
        "name": Prop((is_string,), optional=True),
        "description": Prop((is_string,), optional=True),
        "is_disabled": Prop((is_boolean,), optional=True),
    }
    name: str | None = None
    description: str | None = None
    is_disabled: bool | None = None


class AdminPostSalesChannelsChannelProductsBatchReq(Validated):
    __rules__ = {"product_ids": _ID_ITEMS}
    product_ids: list[IdItem]


class AdminDeleteSalesChannelsChannelProductsBatchReq(Validated):
    __rules__ = {"product_ids": _ID_ITEMS}
    product_ids: list[IdItem]


class AdminPostSalesChannelsChannelStockLocationsReq(Validated):
    __rules__ = {"location_id": Prop((is_string,))}
    location_id: str


class AdminDeleteSalesChannelsChannelStockLocationsReq(Validated):
    __rules__ = {"location_id": Prop((is_string,))}
    location_id: str


# ---- publishable API keys: bodies ----------------------------------------------------------------


class AdminPostPublishableApiKeysReq(Validated):
    __rules__ = {"title": Prop((is_string,))}
    title: str


class AdminPostPublishableApiKeysPublishableApiKeyReq(Validated):
    __rules__ = {"title": Prop((is_string,), optional=True)}
    title: str | None = None


class AdminPostPublishableApiKeySalesChannelsBatchReq(Validated):
    __rules__ = {"sales_channel_ids": _ID_ITEMS}
    sales_channel_ids: list[IdItem]


class AdminDeletePublishableApiKeySalesChannelsBatchReq(Validated):
    __rules__ = {"sales_channel_ids": _ID_ITEMS}
    sales_channel_ids: list[IdItem]


# ---- query strings -------------------------------------------------------------------------------

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)
_STRING = Prop((is_string,), optional=True)

# extendedFindParamsMixin's own properties, reported after the subclass's
_FIND_PARAMS = {"expand": _STRING, "fields": _STRING, "offset": _PAGE_BOUND, "limit": _PAGE_BOUND}


class ListParams(Validated):
    expand: str | None = None
    fields: str | None = None
    offset: int = 0
    limit: int = 20
    order: str | None = None
    q: str | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None

    def date_filters(self) -> dict[str, DateFilter]:
        return {
            name: value
            for name in ("created_at", "updated_at", "deleted_at", "revoked_at")
            if isinstance(value := getattr(self, name, None), DateFilter)
        }


class AdminGetSalesChannelsParams(ListParams):
    __rules__: ClassVar[dict[str, Prop]] = {
        "id": _STRING,
        "q": _STRING,
        "name": _STRING,
        "description": _STRING,
        "created_at": _DATES,
        "updated_at": _DATES,
        "deleted_at": _DATES,
        "order": _STRING,
        **_FIND_PARAMS,
    }
    id: str | None = None
    name: str | None = None
    description: str | None = None
    deleted_at: DateFilter | None = None


class GetPublishableApiKeysParams(ListParams):
    __rules__: ClassVar[dict[str, Prop]] = {
        "q": _STRING,
        "order": _STRING,
        "created_at": _DATES,
        "updated_at": _DATES,
        "revoked_at": _DATES,
        **_FIND_PARAMS,
    }
    revoked_at: DateFilter | None = None


class GetPublishableApiKeySalesChannelsParams(Validated):
    __rules__ = {"q": _STRING}
    q: str | None = None
