"""Data generator: bulk rows for benchmarks, written with SQLAlchemy Core (no ORM, no HTTP).

    python -m bench.generate --database-url sqlite+aiosqlite:///./bench.db --products 1000 --variants 3 \
        --customers 100 --orders 0 [--admin-password secret] [--demo-seed]

Migrates the database and prepares the store (store row, default sales channel, default shipping
profiles) first, then adds N published products, each with one option ("Size"), V variants with one
option value each, an eur and a usd price per variant (money_amount + product_variant_money_amount),
availability in the store's default sales channel and the default shipping profile; and M customers
with an account. Runs again on the same database add more rows (handles and emails continue the
numbering). With --orders K, K placed orders (items, tax lines, a shipping method, a captured
payment, an address) for the first region; it needs customers and a region with a shipping option.

Rows go in with executemany, --batch-size rows a statement, one transaction per --batch-size
products; 100,000 products x 3 variants (~2.2 million rows) take a few minutes on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
CURRENCIES = ("eur", "usd")
FIRST_NAMES = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger"]
LAST_NAMES = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Thompson",
    "Liskov",
    "Ritchie",
    "Allen",
]
DESCRIPTION = (
    "A generated product for load tests. Soft cotton, regular fit, made to be listed, searched, "
    "priced and carted many thousands of times."
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _slices(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


async def _insert(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]], batch_size: int) -> None:
    for chunk in _slices(rows, batch_size):
        await conn.execute(table.insert(), chunk)


def _size(j: int) -> str:
    return SIZES[j] if j < len(SIZES) else f"Size {j + 1}"


async def _ensure_admin(db: Any, email: str, password: str) -> str:
    from mercato.modules.users.models import User
    from mercato.modules.users.service import create_user_record

    async with db.write_session() as tx:
        found = (
            await tx.execute(select(User.id).where(User.email == email.lower(), User.deleted_at.is_(None)))
        ).scalar_one_or_none()
        if found is not None:
            return f"admin {email} exists (password left unchanged)"
        await create_user_record(tx, email=email, password=password, role="admin")
        await tx.commit()
        return f"admin {email} created"


async def generate(
    url: str,
    *,
    products: int,
    variants: int,
    customers: int,
    orders: int,
    batch_size: int = 1000,
    seed: int = 0,
    admin_email: str = "admin@mercato.local",
    admin_password: str | None = None,
    customer_password: str | None = None,
    demo_seed: bool = False,
    stock: int = 100,
) -> dict[str, Any]:
    from mercato.core.clock import utcnow
    from mercato.core.ids import generate_id
    from mercato.db.migrate import migrate
    from mercato.db.registry import load_all_models
    from mercato.db.session import create_database
    from mercato.modules.customers.models import Customer
    from mercato.modules.products.models import (
        MoneyAmount,
        Product,
        ProductOption,
        ProductOptionValue,
        ProductSalesChannel,
        ProductVariant,
        ProductVariantMoneyAmount,
        t_product_shipping_profile,
    )
    from mercato.modules.shipping.models import ShippingProfile
    from mercato.modules.store.models import Store
    from mercato.startup import prepare_store

    load_all_models()
    rng = random.Random(seed)
    t_begin = time.perf_counter()
    applied = await migrate(url)
    log(f"migrated ({', '.join(applied) if applied else 'already up to date'})")

    db = create_database(url)
    summary: dict[str, Any] = {"database_url": url, "migrations_applied": list(applied or [])}
    try:
        async with db.write_session() as tx:
            await prepare_store(tx)
            if demo_seed:
                from mercato.seed.loader import load_seed, read_seed_file

                existing = (await tx.execute(select(func.count()).select_from(Product))).scalar_one()
                if existing:
                    log("--demo-seed: the database already has products; demo seed skipped")
                else:
                    import mercato.seed

                    demo = Path(mercato.seed.__file__).parent / "demo.json"
                    summary["demo_seed"] = await load_seed(tx, read_seed_file(demo))
                    log(f"demo seed loaded: {summary['demo_seed']}")
            await tx.commit()
        if admin_password:
            summary["admin"] = await _ensure_admin(db, admin_email, admin_password)
            log(summary["admin"])

        async with db.read_session() as tx:
            channel_id = (await tx.execute(select(Store.default_sales_channel_id).limit(1))).scalar_one()
            profile_id = (
                await tx.execute(
                    select(ShippingProfile.id).where(
                        ShippingProfile.type == "default", ShippingProfile.deleted_at.is_(None)
                    )
                )
            ).scalar_one()
            first_product = (
                await tx.execute(
                    select(func.count()).select_from(Product).where(Product.handle.like("bench-product-%"))
                )
            ).scalar_one()
            first_customer = (
                await tx.execute(
                    select(func.count()).select_from(Customer).where(Customer.email.like("bench-customer-%"))
                )
            ).scalar_one()

        tables = {
            "product": Product.__table__,
            "product_option": ProductOption.__table__,
            "product_variant": ProductVariant.__table__,
            "product_option_value": ProductOptionValue.__table__,
            "money_amount": MoneyAmount.__table__,
            "product_variant_money_amount": ProductVariantMoneyAmount.__table__,
            "product_sales_channel": ProductSalesChannel.__table__,
            "product_shipping_profile": t_product_shipping_profile,
        }
        prefix = {
            name: getattr(model, "__id_prefix__", None)
            for name, model in (
                ("product", Product),
                ("option", ProductOption),
                ("variant", ProductVariant),
                ("optval", ProductOptionValue),
                ("ma", MoneyAmount),
                ("pvma", ProductVariantMoneyAmount),
                ("customer", Customer),
            )
        }
        counts = dict.fromkeys(tables, 0)

        # --- products ---
        t0 = time.perf_counter()
        chunk = max(1, batch_size)
        for start in range(0, products, chunk):
            now = utcnow()
            ts = {"created_at": now, "updated_at": now}
            rows: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
            for i in range(first_product + start, first_product + min(start + chunk, products)):
                product_id = generate_id(prefix["product"])
                option_id = generate_id(prefix["option"])
                rows["product"].append(
                    {
                        "id": product_id,
                        "title": f"Bench Product {i}",
                        "subtitle": f"Generated #{i}",
                        "description": DESCRIPTION,
                        "handle": f"bench-product-{i}",
                        "status": "published",
                        "is_giftcard": False,
                        "discountable": True,
                        "weight": rng.randint(100, 2000),
                        **ts,
                    }
                )
                rows["product_option"].append(
                    {"id": option_id, "title": "Size", "product_id": product_id, **ts}
                )
                rows["product_sales_channel"].append(
                    {"product_id": product_id, "sales_channel_id": channel_id}
                )
                rows["product_shipping_profile"].append({"profile_id": profile_id, "product_id": product_id})
                base_price = rng.randint(5, 300) * 100
                for j in range(variants):
                    variant_id = generate_id(prefix["variant"])
                    size = _size(j)
                    rows["product_variant"].append(
                        {
                            "id": variant_id,
                            "title": size,
                            "product_id": product_id,
                            "sku": f"BENCH-{i}-{j}",
                            "inventory_quantity": stock,
                            "allow_backorder": False,
                            "manage_inventory": True,
                            "variant_rank": j,
                            **ts,
                        }
                    )
                    rows["product_option_value"].append(
                        {
                            "id": generate_id(prefix["optval"]),
                            "value": size,
                            "option_id": option_id,
                            "variant_id": variant_id,
                            **ts,
                        }
                    )
                    for k, currency in enumerate(CURRENCIES):
                        amount_id = generate_id(prefix["ma"])
                        rows["money_amount"].append(
                            {
                                "id": amount_id,
                                "currency_code": currency,
                                "amount": base_price + 100 * (j + k),
                                **ts,
                            }
                        )
                        rows["product_variant_money_amount"].append(
                            {
                                "id": generate_id(prefix["pvma"]),
                                "money_amount_id": amount_id,
                                "variant_id": variant_id,
                                **ts,
                            }
                        )
            async with db.writer.begin() as conn:
                for name, table in tables.items():
                    await _insert(conn, table, rows[name], batch_size)
                    counts[name] += len(rows[name])
            done = min(start + chunk, products)
            if done == products or (done // chunk) % 10 == 0:
                elapsed = time.perf_counter() - t0
                log(f"products {done}/{products}  ({sum(counts.values()) / elapsed:,.0f} rows/s)")

        # --- customers ---
        password_hash = None
        if customer_password:
            from mercato.core.passwords import hash_password

            password_hash = hash_password(customer_password)  # one hash shared by all: hashing is slow
        customer_rows: list[dict[str, Any]] = []
        now = utcnow()
        for i in range(first_customer, first_customer + customers):
            row = {
                "id": generate_id(prefix["customer"]),
                "email": f"bench-customer-{i}@example.com",
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": rng.choice(LAST_NAMES),
                "has_account": True,
                "created_at": now,
                "updated_at": now,
            }
            if password_hash:
                row["password_hash"] = password_hash
            customer_rows.append(row)
        for part in _slices(customer_rows, chunk):
            async with db.writer.begin() as conn:
                await _insert(conn, Customer.__table__, part, batch_size)
        counts["customer"] = len(customer_rows)
        if customers:
            log(f"customers {customers}/{customers}")

        if orders:
            counts.update(await _generate_orders(db, orders, rng=rng, batch_size=batch_size))
    finally:
        await db.dispose()

    elapsed = time.perf_counter() - t_begin
    summary.update(
        {
            "rows": counts,
            "total_rows": sum(counts.values()),
            "seconds": round(elapsed, 1),
            "product_numbers": [first_product, first_product + products - 1] if products else [],
            "customer_numbers": [first_customer, first_customer + customers - 1] if customers else [],
        }
    )
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and os.path.exists(parsed.database):
        summary["sqlite_file_mb"] = round(os.path.getsize(parsed.database) / 2**20, 1)
    return summary


async def _generate_orders(db: Any, orders: int, *, rng: random.Random, batch_size: int) -> dict[str, int]:
    """Placed orders as cart completion leaves them: 1-3 line items of bench variants with a tax line
    each, one shipping method, one captured payment, a shipping address; status pending, payment
    captured, not fulfilled. Customers and the first region (with one of its shipping options) must
    exist: run with --customers and --demo-seed (or your own regions) first."""
    from sqlalchemy import text

    from mercato.core.clock import utcnow
    from mercato.core.ids import generate_id
    from mercato.modules.carts.models import LineItem, LineItemTaxLine, ShippingMethod
    from mercato.modules.customers.models import Address, Customer
    from mercato.modules.orders.models import Order, Payment
    from mercato.modules.products.models import (
        MoneyAmount,
        Product,
        ProductVariant,
        ProductVariantMoneyAmount,
    )
    from mercato.modules.regions.models import Region
    from mercato.modules.shipping.models import ShippingOption

    async with db.read_session() as tx:
        region = (
            await tx.execute(select(Region).where(Region.deleted_at.is_(None)).limit(1))
        ).scalar_one_or_none()
        if region is None:
            raise SystemExit("--orders needs a region: add --demo-seed (or create regions) first")
        option = (
            await tx.execute(
                select(ShippingOption.id, ShippingOption.amount).where(
                    ShippingOption.region_id == region.id,
                    ShippingOption.is_return.is_(False),
                    ShippingOption.deleted_at.is_(None),
                )
            )
        ).first()
        if option is None:
            raise SystemExit(f"--orders needs a shipping option in region {region.id}")
        customers = (await tx.execute(select(Customer.id, Customer.email).limit(5000))).all()
        if not customers:
            raise SystemExit("--orders needs customers: add --customers N")
        variants = (
            await tx.execute(
                select(ProductVariant.id, ProductVariant.title, Product.title, Product.id, MoneyAmount.amount)
                .join(Product, Product.id == ProductVariant.product_id)
                .join(ProductVariantMoneyAmount, ProductVariantMoneyAmount.variant_id == ProductVariant.id)
                .join(MoneyAmount, MoneyAmount.id == ProductVariantMoneyAmount.money_amount_id)
                .where(MoneyAmount.currency_code == region.currency_code, MoneyAmount.region_id.is_(None))
                .limit(3000)
            )
        ).all()
        if not variants:
            raise SystemExit(f"--orders needs variants priced in {region.currency_code}")
        next_display = (
            await tx.execute(select(func.coalesce(func.max(Order.display_id), 0)))
        ).scalar_one() + 1
    tax_rate = float(region.tax_rate or 0)
    counts = dict.fromkeys(
        ("order", "address", "line_item", "line_item_tax_line", "shipping_method", "payment"), 0
    )
    tables = {
        "address": Address.__table__,
        "order": Order.__table__,
        "line_item": LineItem.__table__,
        "line_item_tax_line": LineItemTaxLine.__table__,
        "shipping_method": ShippingMethod.__table__,
        "payment": Payment.__table__,
    }
    chunk = max(1, batch_size)
    for start in range(0, orders, chunk):
        now = utcnow()
        ts = {"created_at": now, "updated_at": now}
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        for n in range(start, min(start + chunk, orders)):
            customer_id, email = customers[n % len(customers)]
            order_id = generate_id("order")
            address_id = generate_id("addr")
            rows["address"].append(
                {
                    "id": address_id,
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(LAST_NAMES),
                    "address_1": f"{rng.randint(1, 200)} Bench Street",
                    "city": "Copenhagen",
                    "country_code": "dk",
                    "postal_code": f"{rng.randint(1000, 9999)}",
                    **ts,
                }
            )
            subtotal = 0
            for _ in range(rng.randint(1, 3)):
                variant_id, variant_title, product_title, product_id, amount = rng.choice(variants)
                quantity = rng.randint(1, 3)
                item_id = generate_id("item")
                rows["line_item"].append(
                    {
                        "id": item_id,
                        "order_id": order_id,
                        "title": product_title,
                        "description": variant_title,
                        "variant_id": variant_id,
                        "product_id": product_id,
                        "unit_price": amount,
                        "quantity": quantity,
                        "fulfilled_quantity": 0,
                        "allow_discounts": True,
                        "has_shipping": True,
                        "should_merge": True,
                        "includes_tax": False,
                        "is_giftcard": False,
                        "is_return": False,
                        **ts,
                    }
                )
                rows["line_item_tax_line"].append(
                    {
                        "id": generate_id("litl"),
                        "item_id": item_id,
                        "rate": tax_rate,
                        "name": "default",
                        "code": "default",
                        **ts,
                    }
                )
                subtotal += amount * quantity
            shipping = int(option.amount or 0)
            rows["shipping_method"].append(
                {
                    "id": generate_id("sm"),
                    "order_id": order_id,
                    "shipping_option_id": option.id,
                    "price": shipping,
                    "data": {},
                    "includes_tax": False,
                }
            )
            total = subtotal + shipping + round((subtotal + shipping) * tax_rate / 100)
            rows["payment"].append(
                {
                    "id": generate_id("pay"),
                    "order_id": order_id,
                    "amount": total,
                    "currency_code": region.currency_code,
                    "amount_refunded": 0,
                    "provider_id": "manual",
                    "data": {},
                    "captured_at": now,
                    **ts,
                }
            )
            rows["order"].append(
                {
                    "id": order_id,
                    "status": "pending",
                    "fulfillment_status": "not_fulfilled",
                    "payment_status": "captured",
                    "display_id": next_display + n,
                    "customer_id": customer_id,
                    "email": email,
                    "region_id": region.id,
                    "currency_code": region.currency_code,
                    "shipping_address_id": address_id,
                    "billing_address_id": address_id,
                    "metadata": {},
                    **ts,
                }
            )
        async with db.writer.begin() as conn:
            for name, table in tables.items():
                await _insert(conn, table, rows[name], batch_size)
                counts[name] += len(rows[name])
        log(f"orders {min(start + chunk, orders)}/{orders}")
    if not db.is_sqlite:
        # display ids were given explicitly: move the sequence past them for orders placed later
        async with db.writer.begin() as conn:
            await conn.execute(
                text("SELECT setval('order_display_id_seq', (SELECT max(display_id) FROM \"order\"))")
            )
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--database-url", default=os.environ.get("MERCATO_DATABASE_URL", "sqlite+aiosqlite:///./bench.db")
    )
    p.add_argument("--products", type=int, default=1000)
    p.add_argument("--variants", type=int, default=3, help="variants per product (default 3)")
    p.add_argument("--customers", type=int, default=100)
    p.add_argument(
        "--stock",
        type=int,
        default=100,
        help="inventory of each variant (default 100; raise it for write flows)",
    )
    p.add_argument("--orders", type=int, default=0, help="placed orders to generate (needs --demo-seed)")
    p.add_argument("--batch-size", type=int, default=1000, help="rows per INSERT, products per transaction")
    p.add_argument("--seed", type=int, default=0, help="random seed (prices, weights, names)")
    p.add_argument("--admin-email", default="admin@mercato.local")
    p.add_argument(
        "--admin-password",
        default=os.environ.get("MERCATO_BENCH_PASSWORD"),
        help="create this admin user if missing (default: $MERCATO_BENCH_PASSWORD; none: no user)",
    )
    p.add_argument("--customer-password", help="give every generated customer this password")
    p.add_argument(
        "--demo-seed", action="store_true", help="load the demo seed first (regions, shipping options…)"
    )
    args = p.parse_args(argv)
    if min(args.products, args.variants, args.customers, args.orders) < 0 or args.batch_size < 1:
        p.error("counts must be >= 0 and --batch-size >= 1")
    if args.products and args.variants < 1:
        p.error("--variants must be >= 1")
    try:
        summary = asyncio.run(
            generate(
                args.database_url,
                products=args.products,
                variants=args.variants,
                customers=args.customers,
                orders=args.orders,
                batch_size=args.batch_size,
                seed=args.seed,
                admin_email=args.admin_email,
                admin_password=args.admin_password,
                customer_password=args.customer_password,
                demo_seed=args.demo_seed,
                stock=args.stock,
            )
        )
    except ValueError as exc:  # a bad database URL, from migrate()
        log(f"error: {exc}")
        return 2
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
