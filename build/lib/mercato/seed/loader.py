"""Loads a seed file in Medusa's seed.json format (`medusa seed -f seed.json`).

Keys understood: store (currencies), users, regions, shipping_options, product_collections,
categories, sales_channels, publishable_api_keys, products. Rows are inserted with the ids the
file gives, so a seed made for Medusa gives the same ids here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.errors import MedusaError
from mercato.modules.categories.models import ProductCategory, t_product_category_product
from mercato.modules.collections.models import ProductCollection
from mercato.modules.products.models import (
    Image,
    MoneyAmount,
    Product,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductVariant,
    ProductVariantMoneyAmount,
    t_product_images,
    t_product_shipping_profile,
)
from mercato.modules.regions.models import (
    Country,
    Region,
    t_region_fulfillment_providers,
    t_region_payment_providers,
)
from mercato.modules.sales_channels.models import (
    PublishableApiKey,
    PublishableApiKeySalesChannel,
    SalesChannel,
)
from mercato.modules.shipping.models import ShippingOption
from mercato.modules.shipping.service import ensure_default_profiles
from mercato.modules.store.models import Store, t_store_currencies
from mercato.modules.users.service import create_user_record
from mercato.startup import prepare_store


class SeedError(ValueError):
    """A seed file that cannot be loaded; the message says where."""


def read_seed_file(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise SeedError(f"seed file not found: {path}") from None
    except json.JSONDecodeError as exc:
        raise SeedError(f"seed file {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise SeedError(f"seed file {path} must hold a JSON object")
    return data


def _handle(title: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in title.lower()).split())


async def load_seed(tx: AsyncSession, data: dict[str, Any]) -> dict[str, int]:
    """Insert everything the seed describes; returns how many rows of each kind were created."""
    try:
        return await _load(tx, data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise SeedError(f"malformed seed file: {type(exc).__name__}: {exc}") from None
    except MedusaError as exc:
        raise SeedError(exc.message) from None


async def _load(tx: AsyncSession, data: dict[str, Any]) -> dict[str, int]:
    await prepare_store(tx)
    counts: dict[str, int] = {}
    store = (await tx.execute(select(Store).limit(1))).scalar_one()
    profiles = await ensure_default_profiles(tx)

    store_data = data.get("store") or {}
    existing = set(
        (
            await tx.execute(
                select(t_store_currencies.c.currency_code).where(t_store_currencies.c.store_id == store.id)
            )
        ).scalars()
    )
    for code in store_data.get("currencies", []):
        if code.lower() not in existing:
            await tx.execute(insert(t_store_currencies).values(store_id=store.id, currency_code=code.lower()))
            existing.add(code.lower())
    for key in ("name", "swap_link_template", "payment_link_template", "invite_link_template"):
        if key in store_data:
            setattr(store, key, store_data[key])
    if "default_currency_code" in store_data:
        store.default_currency_code = store_data["default_currency_code"].lower()

    for user in data.get("users", []):
        await create_user_record(
            tx,
            email=user["email"],
            password=user.get("password"),
            role=user.get("role", "admin"),
            first_name=user.get("first_name"),
            last_name=user.get("last_name"),
            api_token=user.get("api_token"),
            id=user.get("id"),
        )
    counts["users"] = len(data.get("users", []))

    for reg in data.get("regions", []):
        region = Region(
            name=reg["name"],
            currency_code=reg["currency_code"].lower(),
            tax_rate=reg.get("tax_rate", 0),
            tax_code=reg.get("tax_code"),
            includes_tax=reg.get("includes_tax", False),
            automatic_taxes=reg.get("automatic_taxes", True),
            gift_cards_taxable=reg.get("gift_cards_taxable", True),
            metadata_=reg.get("metadata"),
        )
        if reg.get("id"):
            region.id = reg["id"]
        tx.add(region)
        await tx.flush()
        codes = [c.lower() for c in reg.get("countries", [])]
        if codes:
            await tx.execute(update(Country).where(Country.iso_2.in_(codes)).values(region_id=region.id))
        for provider in reg.get("payment_providers", []):
            await tx.execute(
                insert(t_region_payment_providers).values(region_id=region.id, provider_id=provider)
            )
        for provider in reg.get("fulfillment_providers", []):
            await tx.execute(
                insert(t_region_fulfillment_providers).values(region_id=region.id, provider_id=provider)
            )
    counts["regions"] = len(data.get("regions", []))

    for so in data.get("shipping_options", []):
        option = ShippingOption(
            name=so["name"],
            region_id=so["region_id"],
            provider_id=so["provider_id"],
            profile_id=so.get("profile_id") or profiles["default"].id,
            price_type=so.get("price_type", "flat_rate"),
            amount=so.get("amount"),
            is_return=so.get("is_return", False),
            admin_only=so.get("admin_only", False),
            includes_tax=so.get("includes_tax", False),
            data=so.get("data") or {},
            metadata_=so.get("metadata"),
        )
        if so.get("id"):
            option.id = so["id"]
        tx.add(option)
    counts["shipping_options"] = len(data.get("shipping_options", []))

    for col in data.get("product_collections", []):
        collection = ProductCollection(
            title=col["title"],
            handle=col.get("handle") or _handle(col["title"]),
            metadata_=col.get("metadata"),
        )
        if col.get("id"):
            collection.id = col["id"]
        tx.add(collection)
    counts["product_collections"] = len(data.get("product_collections", []))

    channels: dict[str, str] = {}
    for sc in data.get("sales_channels", []):
        channel = SalesChannel(
            name=sc["name"], description=sc.get("description"), is_disabled=sc.get("is_disabled", False)
        )
        if sc.get("id"):
            channel.id = sc["id"]
        tx.add(channel)
        await tx.flush()
        channels[sc["name"]] = channel.id
    counts["sales_channels"] = len(data.get("sales_channels", []))

    for key in data.get("publishable_api_keys", []):
        pak = PublishableApiKey(title=key["title"], created_by=None)
        if key.get("id"):
            pak.id = key["id"]
        tx.add(pak)
        await tx.flush()
        for name in key.get("sales_channels", []):
            channel_id = channels.get(name, name)
            tx.add(PublishableApiKeySalesChannel(publishable_key_id=pak.id, sales_channel_id=channel_id))
    counts["publishable_api_keys"] = len(data.get("publishable_api_keys", []))

    await tx.flush()
    category_ids = await _load_categories(tx, data.get("categories", []), None)
    counts["categories"] = len(category_ids)

    for prod in data.get("products", []):
        await _load_product(tx, prod, store, profiles, category_ids)
    counts["products"] = len(data.get("products", []))
    await tx.flush()
    return counts


async def _load_categories(
    tx: AsyncSession, items: list[dict[str, Any]], parent: ProductCategory | None
) -> dict[str, str]:
    ids: dict[str, str] = {}
    for rank, item in enumerate(items):
        category = ProductCategory(
            name=item["name"],
            handle=item.get("handle") or _handle(item["name"]),
            description=item.get("description", ""),
            is_active=item.get("is_active", True),
            is_internal=item.get("is_internal", False),
            rank=item.get("rank", rank),
            parent_category_id=parent.id if parent else None,
            metadata_=item.get("metadata"),
        )
        if item.get("id"):
            category.id = item["id"]
        tx.add(category)
        await tx.flush()
        category.mpath = f"{parent.mpath}{category.id}." if parent and parent.mpath else f"{category.id}."
        ids[category.handle] = category.id
        ids[category.name] = category.id
        ids.update(await _load_categories(tx, item.get("category_children", []), category))
    return ids


async def _load_product(
    tx: AsyncSession, prod: dict[str, Any], store: Store, profiles: dict[str, Any], categories: dict[str, str]
) -> None:
    product = Product(
        title=prod["title"],
        subtitle=prod.get("subtitle"),
        description=prod.get("description"),
        handle=prod.get("handle") or _handle(prod["title"]),
        is_giftcard=prod.get("is_giftcard", False),
        discountable=prod.get("discountable", not prod.get("is_giftcard", False)),
        # Medusa's seed publishes what it loads
        status=prod.get("status", "published"),
        thumbnail=prod.get("thumbnail"),
        weight=prod.get("weight"),
        length=prod.get("length"),
        height=prod.get("height"),
        width=prod.get("width"),
        hs_code=prod.get("hs_code"),
        origin_country=prod.get("origin_country"),
        mid_code=prod.get("mid_code"),
        material=prod.get("material"),
        collection_id=prod.get("collection_id"),
        type_id=prod.get("type_id"),
        external_id=prod.get("external_id"),
        metadata_=prod.get("metadata"),
    )
    if prod.get("id"):
        product.id = prod["id"]
    tx.add(product)
    await tx.flush()
    profile = profiles["gift_card" if product.is_giftcard else "default"]
    await tx.execute(insert(t_product_shipping_profile).values(profile_id=profile.id, product_id=product.id))
    channel_ids = [c["id"] if isinstance(c, dict) else c for c in prod.get("sales_channels", [])]
    for channel_id in channel_ids or [store.default_sales_channel_id]:
        tx.add(ProductSalesChannel(product_id=product.id, sales_channel_id=channel_id))
    for cat in prod.get("categories", []):
        cat_id = cat["id"] if isinstance(cat, dict) else categories.get(cat, cat)
        await tx.execute(
            insert(t_product_category_product).values(product_category_id=cat_id, product_id=product.id)
        )

    for url in prod.get("images", []):
        image = Image(url=url["url"] if isinstance(url, dict) else url)
        tx.add(image)
        await tx.flush()
        await tx.execute(insert(t_product_images).values(product_id=product.id, image_id=image.id))

    options: list[ProductOption] = []
    for opt in prod.get("options", []):
        option = ProductOption(title=opt["title"], product_id=product.id)
        tx.add(option)
        options.append(option)
    await tx.flush()

    for rank, var in enumerate(prod.get("variants", [])):
        variant = ProductVariant(
            title=var["title"],
            product_id=product.id,
            sku=var.get("sku"),
            barcode=var.get("barcode"),
            ean=var.get("ean"),
            upc=var.get("upc"),
            inventory_quantity=var.get("inventory_quantity", 0),
            allow_backorder=var.get("allow_backorder", False),
            manage_inventory=var.get("manage_inventory", True),
            weight=var.get("weight"),
            length=var.get("length"),
            height=var.get("height"),
            width=var.get("width"),
            hs_code=var.get("hs_code"),
            origin_country=var.get("origin_country"),
            mid_code=var.get("mid_code"),
            material=var.get("material"),
            variant_rank=var.get("variant_rank", rank),
            metadata_=var.get("metadata"),
        )
        if var.get("id"):
            variant.id = var["id"]
        tx.add(variant)
        await tx.flush()
        for index, value in enumerate(var.get("options", [])):
            if index >= len(options):
                raise SeedError(
                    f"variant {var['title']!r} has more option values than its product has options"
                )
            tx.add(
                ProductOptionValue(value=value["value"], option_id=options[index].id, variant_id=variant.id)
            )
        for price in var.get("prices", []):
            money = MoneyAmount(
                currency_code=price["currency_code"].lower() if price.get("currency_code") else None,
                amount=price["amount"],
                region_id=price.get("region_id"),
                min_quantity=price.get("min_quantity"),
                max_quantity=price.get("max_quantity"),
            )
            if money.currency_code is None and money.region_id:
                region = await tx.get(Region, money.region_id)
                if region is None:
                    raise SeedError(f"price of {var['title']!r} names unknown region {money.region_id}")
                money.currency_code = region.currency_code
            tx.add(money)
            await tx.flush()
            tx.add(ProductVariantMoneyAmount(money_amount_id=money.id, variant_id=variant.id))
    await tx.flush()
