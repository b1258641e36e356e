from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import insert, select

from mercato.db.session import Database
from mercato.modules.customers.models import Address, Customer, CustomerGroup, t_customer_group_customers
from tests.conftest import Events  # noqa: F401  (re-exported for the tests)

MakeCustomer = Callable[..., Awaitable[str]]
MakeGroup = Callable[..., Awaitable[str]]
Join = Callable[[str, str], Awaitable[None]]


@pytest.fixture
def make_customer(db: Database) -> MakeCustomer:
    """A customer row written directly (a guest unless has_account=True); returns its id."""

    async def make(email: str, **values: Any) -> str:
        async with db.write_session() as tx:
            customer = Customer(email=email, has_account=values.pop("has_account", False), **values)
            tx.add(customer)
            await tx.commit()
            return customer.id

    return make


@pytest.fixture
def make_group(db: Database) -> MakeGroup:
    async def make(name: str, **values: Any) -> str:
        async with db.write_session() as tx:
            group = CustomerGroup(name=name, **values)
            tx.add(group)
            await tx.commit()
            return group.id

    return make


@pytest.fixture
def join(db: Database) -> Join:
    async def add(group_id: str, customer_id: str) -> None:
        async with db.write_session() as tx:
            await tx.execute(
                insert(t_customer_group_customers).values(customer_group_id=group_id, customer_id=customer_id)
            )
            await tx.commit()

    return add


@pytest.fixture
def make_address(db: Database) -> Callable[..., Awaitable[str]]:
    async def make(**values: Any) -> str:
        async with db.write_session() as tx:
            address = Address(**values)
            tx.add(address)
            await tx.commit()
            return address.id

    return make


async def memberships(db: Database) -> set[tuple[str, str]]:
    async with db.read_session() as tx:
        rows = (await tx.execute(select(t_customer_group_customers))).all()
        return {(r.customer_group_id, r.customer_id) for r in rows}
