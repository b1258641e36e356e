"""Shipping profiles: the five Admin routes (/admin/shipping-profiles…). Medusa's handlers read
no query parameters (any are ignored) and validate bodies inside the handler."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Response

from mercato.core.http import Tx, ok
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.shipping import service
from mercato.modules.shipping.schemas import AdminPostShippingProfilesProfileReq, AdminPostShippingProfilesReq

admin = admin_router("Shipping Profiles")


async def _answer(tx: Tx, profile_id: str) -> Response:
    profile = await service.retrieve_profile(tx, profile_id, service.DEFAULT_TREE)
    return ok({"shipping_profile": await service.present_profile_with_relations(tx, profile)})


@admin.get("/shipping-profiles")
async def list_shipping_profiles(tx: Tx) -> Response:
    profiles = await service.list_profiles(tx)
    return ok({"shipping_profiles": [service.present_profile(p) for p in profiles]})


@admin.post("/shipping-profiles")
async def create_shipping_profile(
    tx: Tx, body: Annotated[AdminPostShippingProfilesReq | None, Body()] = None
) -> Response:
    profile = await service.create_profile(tx, body_or_empty(AdminPostShippingProfilesReq, body))
    # Medusa answers the saved row, without relations
    return ok({"shipping_profile": service.present_profile(profile)})


@admin.get("/shipping-profiles/{profile_id}")
async def get_shipping_profile(profile_id: str, tx: Tx) -> Response:
    return await _answer(tx, profile_id)


@admin.post("/shipping-profiles/{profile_id}")
async def update_shipping_profile(
    profile_id: str, tx: Tx, body: Annotated[AdminPostShippingProfilesProfileReq | None, Body()] = None
) -> Response:
    await service.update_profile(tx, profile_id, body_or_empty(AdminPostShippingProfilesProfileReq, body))
    return await _answer(tx, profile_id)


@admin.delete("/shipping-profiles/{profile_id}")
async def delete_shipping_profile(profile_id: str, tx: Tx) -> Response:
    await service.delete_profile(tx, profile_id)
    return ok({"id": profile_id, "object": "shipping_profile", "deleted": True})


# Shipping options live in routes_options.py; app.py collects the routers found in this module.
from mercato.modules.shipping.routes_options import options_admin, options_store  # noqa: E402

__all__ = ["admin", "options_admin", "options_store"]
