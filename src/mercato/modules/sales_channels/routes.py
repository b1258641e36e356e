"""Sales channels (/admin/sales-channels…, 9 routes) and publishable API keys
(/admin/publishable-api-keys…, 9 routes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Response

from mercato.core.errors import MedusaError
from mercato.core.http import Tx, ok
from mercato.core.query import params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.auth.deps import AdminUser
from mercato.modules.sales_channels import service
from mercato.modules.sales_channels.models import PublishableApiKey, SalesChannel
from mercato.modules.sales_channels.schemas import (
    AdminDeletePublishableApiKeySalesChannelsBatchReq,
    AdminDeleteSalesChannelsChannelProductsBatchReq,
    AdminDeleteSalesChannelsChannelStockLocationsReq,
    AdminGetSalesChannelsParams,
    AdminPostPublishableApiKeySalesChannelsBatchReq,
    AdminPostPublishableApiKeysPublishableApiKeyReq,
    AdminPostPublishableApiKeysReq,
    AdminPostSalesChannelsChannelProductsBatchReq,
    AdminPostSalesChannelsChannelStockLocationsReq,
    AdminPostSalesChannelsReq,
    AdminPostSalesChannelsSalesChannelReq,
    GetPublishableApiKeySalesChannelsParams,
    GetPublishableApiKeysParams,
)

admin = admin_router("Sales Channels")
keys = admin_router("Publishable Api Keys")


def _channel(channel: SalesChannel) -> Response:
    return ok({"sales_channel": service.present_sales_channel(channel)})


def _key(key: PublishableApiKey) -> Response:
    return ok({"publishable_api_key": service.present_key(key)})


# ---- sales channels ------------------------------------------------------------------------------


@admin.get("/sales-channels")
async def list_sales_channels(
    p: Annotated[AdminGetSalesChannelsParams, Depends(params(AdminGetSalesChannelsParams))], tx: Tx
) -> Response:
    tree, fields = service.query_config(p, SalesChannel, is_list=True)
    if p.q:
        # the free-text search (repositories/sales-channel.ts) selects every column and no relation
        tree, fields = {}, None
    channels, count = await service.list_sales_channels(tx, p, tree)
    return ok(
        {
            "sales_channels": [service.present_sales_channel(c, tree, fields) for c in channels],
            "count": count,
            "offset": p.offset,
            "limit": p.limit,
        }
    )


@admin.post("/sales-channels")
async def create_sales_channel(
    tx: Tx, body: Annotated[AdminPostSalesChannelsReq | None, Body()] = None
) -> Response:
    channel = await service.create_sales_channel(tx, body_or_empty(AdminPostSalesChannelsReq, body))
    return _channel(await service.retrieve_sales_channel(tx, channel.id))


@admin.get("/sales-channels/{sales_channel_id}")
async def get_sales_channel(sales_channel_id: str, tx: Tx) -> Response:
    # Medusa's route takes no query parameters (and ignores any)
    return _channel(await service.retrieve_sales_channel(tx, sales_channel_id))


@admin.post("/sales-channels/{sales_channel_id}")
async def update_sales_channel(
    sales_channel_id: str,
    tx: Tx,
    body: Annotated[AdminPostSalesChannelsSalesChannelReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostSalesChannelsSalesChannelReq, body)
    channel = await service.update_sales_channel(tx, sales_channel_id, data)
    return _channel(channel)


@admin.delete("/sales-channels/{sales_channel_id}")
async def delete_sales_channel(sales_channel_id: str, tx: Tx) -> Response:
    await service.delete_sales_channel(tx, sales_channel_id)
    return ok({"id": sales_channel_id, "object": "sales-channel", "deleted": True})


@admin.post("/sales-channels/{sales_channel_id}/products/batch")
async def add_products(
    sales_channel_id: str,
    tx: Tx,
    body: Annotated[AdminPostSalesChannelsChannelProductsBatchReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostSalesChannelsChannelProductsBatchReq, body)
    channel = await service.add_products(tx, sales_channel_id, [p.id for p in data.product_ids])
    return _channel(channel)


@admin.delete("/sales-channels/{sales_channel_id}/products/batch")
async def remove_products(
    sales_channel_id: str,
    tx: Tx,
    body: Annotated[AdminDeleteSalesChannelsChannelProductsBatchReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminDeleteSalesChannelsChannelProductsBatchReq, body)
    channel = await service.remove_products(tx, sales_channel_id, [p.id for p in data.product_ids])
    return _channel(channel)


async def _require_stock_locations() -> None:
    if not service.stock_locations_enabled():
        # checkRegisteredModules runs after authentication and before the body is read; Medusa's
        # error handler answers its plain Error with a 500 unknown_error
        raise MedusaError("unknown_error", service.STOCK_LOCATIONS_DISABLED)


@admin.post(
    "/sales-channels/{sales_channel_id}/stock-locations", dependencies=[Depends(_require_stock_locations)]
)
async def associate_stock_location(
    sales_channel_id: str,
    tx: Tx,
    body: Annotated[AdminPostSalesChannelsChannelStockLocationsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostSalesChannelsChannelStockLocationsReq, body)
    await service.associate_location(tx, sales_channel_id, data.location_id)
    return _channel(await service.retrieve_sales_channel(tx, sales_channel_id))


@admin.delete(
    "/sales-channels/{sales_channel_id}/stock-locations", dependencies=[Depends(_require_stock_locations)]
)
async def remove_stock_location(
    sales_channel_id: str,
    tx: Tx,
    body: Annotated[AdminDeleteSalesChannelsChannelStockLocationsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminDeleteSalesChannelsChannelStockLocationsReq, body)
    await service.remove_location(tx, data.location_id, sales_channel_id)
    return ok({"id": sales_channel_id, "object": "stock-location", "deleted": True})


# ---- publishable API keys ------------------------------------------------------------------------


@keys.get("/publishable-api-keys")
async def list_publishable_api_keys(
    p: Annotated[GetPublishableApiKeysParams, Depends(params(GetPublishableApiKeysParams))], tx: Tx
) -> Response:
    tree, fields = service.query_config(p, PublishableApiKey, is_list=True)
    found, count = await service.list_keys(tx, p, tree)
    return ok(
        {
            "publishable_api_keys": [service.present_key(k, fields) for k in found],
            "count": count,
            "limit": p.limit,
            "offset": p.offset,
        }
    )


@keys.post("/publishable-api-keys")
async def create_publishable_api_key(
    user: AdminUser, tx: Tx, body: Annotated[AdminPostPublishableApiKeysReq | None, Body()] = None
) -> Response:
    key = await service.create_key(tx, body_or_empty(AdminPostPublishableApiKeysReq, body), user.id)
    return _key(key)


@keys.get("/publishable-api-keys/{key_id}")
async def get_publishable_api_key(key_id: str, tx: Tx) -> Response:
    return _key(await service.retrieve_key(tx, key_id))


@keys.post("/publishable-api-keys/{key_id}")
async def update_publishable_api_key(
    key_id: str,
    tx: Tx,
    body: Annotated[AdminPostPublishableApiKeysPublishableApiKeyReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostPublishableApiKeysPublishableApiKeyReq, body)
    return _key(await service.update_key(tx, key_id, data))


@keys.delete("/publishable-api-keys/{key_id}")
async def delete_publishable_api_key(key_id: str, tx: Tx) -> Response:
    await service.delete_key(tx, key_id)
    return ok({"id": key_id, "object": "publishable_api_key", "deleted": True})


@keys.post("/publishable-api-keys/{key_id}/revoke")
async def revoke_publishable_api_key(key_id: str, user: AdminUser, tx: Tx) -> Response:
    # Medusa's route reads no body
    return _key(await service.revoke_key(tx, key_id, user.id))


@keys.get("/publishable-api-keys/{key_id}/sales-channels")
async def list_publishable_api_key_sales_channels(
    key_id: str,
    p: Annotated[
        GetPublishableApiKeySalesChannelsParams, Depends(params(GetPublishableApiKeySalesChannelsParams))
    ],
    tx: Tx,
) -> Response:
    channels = await service.list_key_sales_channels(tx, key_id, p.q)
    return ok({"sales_channels": [service.present_sales_channel(c) for c in channels]})


@keys.post("/publishable-api-keys/{key_id}/sales-channels/batch")
async def add_publishable_api_key_sales_channels(
    key_id: str,
    tx: Tx,
    body: Annotated[AdminPostPublishableApiKeySalesChannelsBatchReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostPublishableApiKeySalesChannelsBatchReq, body)
    await service.add_key_sales_channels(tx, key_id, [c.id for c in data.sales_channel_ids])
    return _key(await service.retrieve_key(tx, key_id))


@keys.delete("/publishable-api-keys/{key_id}/sales-channels/batch")
async def remove_publishable_api_key_sales_channels(
    key_id: str,
    tx: Tx,
    body: Annotated[AdminDeletePublishableApiKeySalesChannelsBatchReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminDeletePublishableApiKeySalesChannelsBatchReq, body)
    await service.remove_key_sales_channels(tx, key_id, [c.id for c in data.sales_channel_ids])
    return _key(await service.retrieve_key(tx, key_id))
