"""A small catalog for the price list tests: two regions, a product with two variants and their
default prices, a customer in a group."""

from __future__ import annotations

from dataclasses import dataclass

import pytest_asyncio

from mercato.db.session import Database
from mercato.modules.customers.models import Customer, CustomerGroup, t_customer_group_customers
from mercato.modules.products.models import MoneyAmount, Product, ProductVariant, ProductVariantMoneyAmount
from mercato.modules.regions.models import Region


@dataclass
class Catalog:
    eu: str
    na: str
    product: str
    other_product: str
    v1: str
    v2: str
    v3: str
    group: str
    customer: str
    prices: dict[str, str]


async def add_price(
    tx: object,
    variant_id: str,
    amount: int,
    currency: str,
    region_id: str | None = None,
    price_list_id: str | None = None,
    min_quantity: int | None = None,
    max_quantity: int | None = None,
) -> str:
    from sqlalchemy.ext.asyncio import AsyncSession

    assert isinstance(tx, AsyncSession)
    ma = MoneyAmount(
        currency_code=currency,
        amount=amount,
        region_id=region_id,
        price_list_id=price_list_id,
        min_quantity=min_quantity,
        max_quantity=max_quantity,
    )
    tx.add(ma)
    await tx.flush()
    tx.add(ProductVariantMoneyAmount(money_amount_id=ma.id, variant_id=variant_id))
    await tx.flush()
    return ma.id


@pytest_asyncio.fixture
async def catalog(db: Database, app: object) -> Catalog:
    async with db.write_session() as tx:
        eu = Region(name="EU", currency_code="eur", tax_rate=20, automatic_taxes=True, includes_tax=False)
        na = Region(name="NA", currency_code="usd", tax_rate=0, automatic_taxes=False)
        tx.add_all([eu, na])
        product = Product(title="Shirt", handle="shirt", status="published")
        other = Product(title="Mug", handle="mug", status="published")
        tx.add_all([product, other])
        await tx.flush()
        v1 = ProductVariant(title="S", product_id=product.id, inventory_quantity=5, variant_rank=0)
        v2 = ProductVariant(title="M", product_id=product.id, inventory_quantity=5, variant_rank=1)
        v3 = ProductVariant(title="Mug", product_id=other.id, inventory_quantity=5, variant_rank=0)
        tx.add_all([v1, v2, v3])
        group = CustomerGroup(name="VIP")
        customer = Customer(email="vip@example.com", has_account=True)
        tx.add_all([group, customer])
        await tx.flush()
        await tx.execute(
            t_customer_group_customers.insert().values(customer_group_id=group.id, customer_id=customer.id)
        )
        prices = {
            "v1_eur": await add_price(tx, v1.id, 1000, "eur"),
            "v1_usd": await add_price(tx, v1.id, 1200, "usd"),
            "v1_eu": await add_price(tx, v1.id, 950, "eur", eu.id),
            "v2_eur": await add_price(tx, v2.id, 2000, "eur"),
            "v3_eur": await add_price(tx, v3.id, 500, "eur"),
        }
        await tx.commit()
        return Catalog(
            eu=eu.id,
            na=na.id,
            product=product.id,
            other_product=other.id,
            v1=v1.id,
            v2=v2.id,
            v3=v3.id,
            group=group.id,
            customer=customer.id,
            prices=prices,
        )
