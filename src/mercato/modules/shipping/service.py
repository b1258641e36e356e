"""Shipping profiles: the default and gift-card profiles Medusa creates on first start, and the
admin routes' rules (services/shipping-profile.ts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import not_allowed, not_found, refuse_nulls
from mercato.core.events import emit
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, load_options, present, with_profile
from mercato.modules.products.models import Product, t_product_shipping_profile
from mercato.modules.shipping.models import ShippingOption, ShippingProfile
from mercato.modules.shipping.schemas import AdminPostShippingProfilesProfileReq, AdminPostShippingProfilesReq

_BUILT_IN = {"default": "Default Shipping Profile", "gift_card": "Gift Card Profile"}


async def ensure_default_profiles(tx: AsyncSession) -> dict[str, ShippingProfile]:
    rows = (
        await tx.execute(
            select(ShippingProfile)
            .where(ShippingProfile.type.in_(list(_BUILT_IN)), ShippingProfile.deleted_at.is_(None))
            .order_by(ShippingProfile.created_at, ShippingProfile.id)
        )
    ).scalars()
    # retrieveDefault / retrieveGiftCardDefault: the first profile of the type, when an admin
    # has made more of them (Medusa's findOne reads them in the order they were written)
    found: dict[str, ShippingProfile] = {}
    for profile in rows:
        found.setdefault(profile.type, profile)
    for kind, name in _BUILT_IN.items():
        if kind not in found:
            found[kind] = ShippingProfile(name=name, type=kind)
            tx.add(found[kind])
    await tx.flush()
    return found


# ---- shipping profiles (services/shipping-profile.ts) ----------------------------------------------

# api/routes/admin/shipping-profiles/index.ts: defaultAdminShippingProfilesRelations
DEFAULT_TREE: Tree = {"products": {}, "shipping_options": {}}

# ShippingProfileService.list's default config (no order: Mercato orders by creation)
LIST_LIMIT = 10

_PROFILE_KIND_NAMES = {"default": "default shipping profile", "gift_card": "gift card shipping profile"}


async def list_profiles(tx: AsyncSession) -> list[ShippingProfile]:
    stmt = (
        select(ShippingProfile)
        .where(ShippingProfile.deleted_at.is_(None))
        .order_by(ShippingProfile.created_at, ShippingProfile.id)
        .limit(LIST_LIMIT)
    )
    return list((await tx.execute(stmt)).scalars().all())


async def retrieve_profile(tx: AsyncSession, profile_id: str, tree: Tree | None = None) -> ShippingProfile:
    stmt = select(ShippingProfile).where(
        ShippingProfile.id == profile_id, ShippingProfile.deleted_at.is_(None)
    )
    if tree:
        stmt = stmt.options(*load_options(ShippingProfile, tree))
    profile = (await tx.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()
    if profile is None:
        raise not_found(f"Profile with id: {profile_id} was not found")
    return profile


def present_profile(profile: ShippingProfile) -> dict[str, Any]:
    out = present(profile)
    assert out is not None
    return out


async def present_profile_with_relations(tx: AsyncSession, profile: ShippingProfile) -> dict[str, Any]:
    """The profile with Medusa's default relations: `products.profiles` (each product also gets
    `profile` and `profile_id`, as Product's afterLoad sets them) and `shipping_options`."""
    out = present_profile(profile)
    product_ids = [p.id for p in profile.products]
    profiles_of: dict[str, list[dict[str, Any]]] = {pid: [] for pid in product_ids}
    if product_ids:
        rows = (
            await tx.execute(
                select(t_product_shipping_profile.c.product_id, ShippingProfile)
                .join(ShippingProfile, ShippingProfile.id == t_product_shipping_profile.c.profile_id)
                .where(
                    t_product_shipping_profile.c.product_id.in_(product_ids),
                    ShippingProfile.deleted_at.is_(None),
                )
                .order_by(ShippingProfile.created_at, ShippingProfile.id)
            )
        ).all()
        for product_id, owner in rows:
            profiles_of[product_id].append(present_profile(owner))
    products = []
    for product in profile.products:
        item = present(product)
        assert item is not None
        owned = profiles_of[product.id]
        item["profiles"] = owned
        products.append(with_profile(item))
    out["products"] = products
    out["shipping_options"] = [present(o) for o in profile.shipping_options]
    return out


async def create_profile(tx: AsyncSession, data: AdminPostShippingProfilesReq) -> ShippingProfile:
    profile = ShippingProfile(name=data.name, type=data.type)
    if data.metadata is not None:
        profile.metadata_ = merge_metadata(None, data.metadata)
    tx.add(profile)
    await tx.flush()
    return profile


async def _move_products(tx: AsyncSession, profile_id: str, product_ids: Sequence[str]) -> None:
    """ProductService.updateShippingProfile: each (existing) product now belongs to this profile
    only; unknown ids are skipped."""
    if not product_ids:
        return
    found = list(
        (
            await tx.execute(
                select(Product.id)
                .where(Product.id.in_(list(set(product_ids))), Product.deleted_at.is_(None))
                .order_by(Product.id)
            )
        ).scalars()
    )
    if not found:
        return
    await tx.execute(
        delete(t_product_shipping_profile).where(t_product_shipping_profile.c.product_id.in_(found))
    )
    await tx.execute(
        insert(t_product_shipping_profile), [{"profile_id": profile_id, "product_id": pid} for pid in found]
    )
    for pid in found:
        # Medusa emits one product.updated carrying the list of products; one event per product here
        emit(tx, "product.updated", {"id": pid})


async def _move_shipping_options(tx: AsyncSession, profile_id: str, option_ids: Sequence[str]) -> None:
    """ShippingOptionRepository.upsertShippingProfile: unknown ids are skipped."""
    if not option_ids:
        return
    await tx.execute(
        update(ShippingOption)
        .where(ShippingOption.id.in_(list(set(option_ids))))
        .values(profile_id=profile_id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def update_profile(
    tx: AsyncSession, profile_id: str, data: AdminPostShippingProfilesProfileReq
) -> ShippingProfile:
    profile = await retrieve_profile(tx, profile_id)
    given = data.model_fields_set
    values: dict[str, Any] = {name: getattr(data, name) for name in ("name", "type") if name in given}
    refuse_nulls("shipping_profile", values, ("name", "type"))
    if data.products is not None:
        await _move_products(tx, profile.id, data.products)
    if data.shipping_options is not None:
        await _move_shipping_options(tx, profile.id, data.shipping_options)
    if data.metadata is not None:
        values["metadata_"] = merge_metadata(profile.metadata_, data.metadata)
    for attr, value in values.items():
        # TypeORM only writes (and bumps updated_at) when a value really changes
        if getattr(profile, attr) != value:
            setattr(profile, attr, value)
    await tx.flush()
    return profile


async def delete_profile(tx: AsyncSession, profile_id: str) -> None:
    """Soft delete; idempotent (an unknown id is no error), as Medusa.

    Medusa lets the last default or gift-card profile go too, leaving products created afterwards
    without a profile until the next start recreates one; Mercato refuses that."""
    profile = (
        await tx.execute(
            select(ShippingProfile).where(
                ShippingProfile.id == profile_id, ShippingProfile.deleted_at.is_(None)
            )
        )
    ).scalar_one_or_none()
    if profile is None:
        return
    if profile.type in _PROFILE_KIND_NAMES:
        others = (
            await tx.execute(
                select(func.count())
                .select_from(ShippingProfile)
                .where(
                    ShippingProfile.type == profile.type,
                    ShippingProfile.deleted_at.is_(None),
                    ShippingProfile.id != profile.id,
                )
            )
        ).scalar_one()
        if not others:
            raise not_allowed(f"You cannot delete the {_PROFILE_KIND_NAMES[profile.type]}")
    profile.deleted_at = utcnow()
    await tx.flush()
