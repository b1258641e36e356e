"""Orders built directly in the database, as cart completion / Mark Paid leave them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from mercato.db.session import Database
from mercato.modules.carts.models import (
    LineItem,
    LineItemAdjustment,
    LineItemTaxLine,
    ShippingMethod,
    ShippingMethodTaxLine,
)
from mercato.modules.customers.models import Address, Customer
from mercato.modules.orders.models import Order, Payment
from mercato.modules.orders.service import next_display_id
from mercato.modules.regions.models import Country, Region
from mercato.modules.sales_channels.models import SalesChannel
from mercato.modules.shipping.models import ShippingOption, ShippingProfile


@dataclass
class Built:
    order_id: str
    region_id: str
    item_ids: list[str]
    shipping_method_id: str
    option_id: str
    profile_id: str
    payment_id: str | None
    customer_id: str
    extra: dict[str, Any] = field(default_factory=dict)


async def build_order(
    db: Database,
    *,
    items: list[tuple[str, int, int]] | None = None,  # (title, unit_price, quantity)
    tax_rate: float = 10,
    shipping_price: int = 1000,
    captured: bool = True,
    payment_status: str | None = None,
    email: str = "ord-buyer@example.com",
    first_name: str = "Ada",
    adjustment: int = 0,
    status: str = "pending",
) -> Built:
    """An order with custom items (each with one tax line), one shipping method (taxed), a
    shipping address in the region, and one `system` payment (captured unless told otherwise)."""
    items = items if items is not None else [("Shirt", 1000, 3), ("Mug", 500, 2)]
    async with db.write_session() as tx:
        region = (await tx.execute(select(Region).where(Region.name == "ord-EU"))).scalar_one_or_none()
        if region is None:
            region = Region(name="ord-EU", currency_code="eur", tax_rate=0)
            tx.add(region)
            await tx.flush()
            await tx.execute(
                update(Country).where(Country.iso_2.in_(["de", "fr"])).values(region_id=region.id)
            )
        profile = (
            await tx.execute(select(ShippingProfile).where(ShippingProfile.name == "ord-default"))
        ).scalar_one_or_none()
        if profile is None:
            profile = ShippingProfile(name="ord-default", type="default")
            tx.add(profile)
            await tx.flush()
        option = (
            await tx.execute(select(ShippingOption).where(ShippingOption.name == "ord-standard"))
        ).scalar_one_or_none()
        if option is None:
            option = ShippingOption(
                name="ord-standard",
                region_id=region.id,
                profile_id=profile.id,
                provider_id="manual",
                price_type="flat_rate",
                amount=shipping_price,
                data={"id": "manual-fulfillment"},
            )
            tx.add(option)
            await tx.flush()
        channel = (await tx.execute(select(SalesChannel))).scalars().first()
        customer = (await tx.execute(select(Customer).where(Customer.email == email))).scalar_one_or_none()
        if customer is None:
            customer = Customer(email=email, first_name=first_name, last_name="Lovelace")
        address = Address(
            first_name=first_name,
            last_name="Lovelace",
            address_1="1 Main",
            city="Berlin",
            country_code="de",
            postal_code="10115",
        )
        tx.add_all([customer, address])
        await tx.flush()
        order = Order(
            display_id=await next_display_id(tx),
            status=status,
            fulfillment_status="not_fulfilled",
            payment_status=payment_status or ("captured" if captured else "awaiting"),
            customer_id=customer.id,
            email=email,
            region_id=region.id,
            currency_code="eur",
            shipping_address_id=address.id,
            sales_channel_id=channel.id if channel else None,
            metadata_={},
        )
        tx.add(order)
        await tx.flush()
        item_rows = []
        for title, price, qty in items:
            item = LineItem(title=title, unit_price=price, quantity=qty, order_id=order.id, has_shipping=True)
            tx.add(item)
            item_rows.append(item)
        await tx.flush()
        for item in item_rows:
            tx.add(LineItemTaxLine(rate=tax_rate, name="VAT", code="vat", item_id=item.id))
        if adjustment:
            tx.add(LineItemAdjustment(item_id=item_rows[0].id, description="discount", amount=adjustment))
        method = ShippingMethod(
            shipping_option_id=option.id, order_id=order.id, price=shipping_price, data={}
        )
        tx.add(method)
        await tx.flush()
        tx.add(ShippingMethodTaxLine(rate=tax_rate, name="VAT", code="vat", shipping_method_id=method.id))
        subtotal = sum(p * q for _, p, q in items) - adjustment
        total = (
            subtotal
            + shipping_price
            + round(subtotal * tax_rate / 100)
            + round(shipping_price * tax_rate / 100)
        )
        payment = Payment(
            amount=total,
            currency_code="eur",
            provider_id="system",
            data={},
            order_id=order.id,
            captured_at=datetime.datetime.now(datetime.UTC) if captured else None,
        )
        tx.add(payment)
        await tx.flush()
        built = Built(
            order_id=order.id,
            region_id=region.id,
            item_ids=[i.id for i in item_rows],
            shipping_method_id=method.id,
            option_id=option.id,
            profile_id=profile.id,
            payment_id=payment.id,
            customer_id=customer.id,
            extra={"total": total},
        )
        await tx.commit()
    return built


async def row(db: Database, model: type, id_: str) -> Any:
    async with db.read_session() as tx:
        return (await tx.execute(select(model).where(model.id == id_))).scalar_one()  # type: ignore[attr-defined]
