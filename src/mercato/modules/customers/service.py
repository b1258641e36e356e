"""Customers and customer groups (Medusa's services/customer.ts, services/customer-group.ts,
repositories/customer.ts, repositories/customer-group.ts and controllers/customers)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select, bindparam, delete, exists, func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, duplicate, invalid_data, not_found
from mercato.core.events import emit
from mercato.core.ids import generate_id
from mercato.core.metadata import merge_metadata
from mercato.core.passwords import hash_password
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.core.query import DateFilter, apply_date_filter, apply_order, apply_search
from mercato.db import raw
from mercato.modules.customers.models import Address, Customer, CustomerGroup, t_customer_group_customers
from mercato.modules.customers.schemas import (
    AdminGetCustomerGroupsParams,
    AdminGetCustomersParams,
    AdminPostCustomerGroupsGroupReq,
    AdminPostCustomerGroupsReq,
    AdminPostCustomersCustomerReq,
    CreateCustomerInput,
    FindParams,
    StringComparison,
)
from mercato.modules.discounts.models import DiscountConditionCustomerGroup

# api/routes/admin/customers/index.ts defaultAdminCustomersRelations
DEFAULT_RELATIONS = ["orders", "shipping_addresses"]
DEFAULT_TREE = relation_tree(DEFAULT_RELATIONS)
# api/routes/admin/customer-groups/index.ts defaultAdminCustomerGroupsRelations
GROUP_DEFAULT_RELATIONS: list[str] = []

EMAIL_LOCKED = "Email cannot be changed when the user has registered their account"
ACCOUNT_EXISTS = "A customer with the given email already has an account. Log in instead"
GUEST_EXISTS = "Guest customer with email already exists"

CUSTOMER_EVENTS = {
    "created": "customer.created",
    "updated": "customer.updated",
    "password_reset": "customer.password_reset",
}


async def _hash(password: str) -> str:
    # scrypt takes tens of milliseconds of CPU: keep it off the event loop.
    return await asyncio.to_thread(hash_password, password)


def _apply_dates(stmt: Select[Any], model: type, dates: Mapping[str, DateFilter]) -> Select[Any]:
    for name, op in dates.items():
        stmt = apply_date_filter(stmt, getattr(model, name), op)
    return stmt


def _expand_tree(expand: str | None, defaults: Sequence[str]) -> Tree:
    """The routes that read `expand` themselves: a non-empty `expand` replaces the defaults."""
    if expand:
        return relation_tree(r for r in expand.split(",") if r)
    return relation_tree(defaults)


# ---- customers: reading ------------------------------------------------------------------------


def present_customer(customer: Customer, tree: Tree | None = None) -> dict[str, Any]:
    out = present(customer, tree)
    assert out is not None
    return out


def _customer_options(tree: Tree, group_ids: Sequence[str] | None = None) -> list[_AbstractLoad]:
    if group_ids is None or "groups" not in tree:
        return load_options(Customer, tree)
    # repositories/customer.ts: with a `groups` filter the customers come with their groups
    # joined under that same condition, so only the matching groups are listed
    rest = {k: v for k, v in tree.items() if k != "groups"}
    loader = selectinload(Customer.groups.and_(CustomerGroup.id.in_(list(group_ids))))
    children = load_options(CustomerGroup, tree["groups"])
    return [*load_options(Customer, rest), loader.options(*children) if children else loader]


async def retrieve_customer(tx: AsyncSession, customer_id: str, tree: Tree | None = None) -> Customer:
    stmt = select(Customer).where(Customer.id == customer_id, Customer.deleted_at.is_(None))
    if tree is not None:
        stmt = stmt.options(*load_options(Customer, tree)).execution_options(populate_existing=True)
    customer = (await tx.execute(stmt)).scalar_one_or_none()
    if customer is None:
        raise not_found(f"Customer with id: {customer_id} was not found")
    return customer


def customer_tree(p: FindParams) -> Tree:
    return _expand_tree(p.expand, DEFAULT_RELATIONS)


async def list_customers(tx: AsyncSession, p: AdminGetCustomersParams) -> tuple[list[Customer], int, Tree]:
    """controllers/customers/list-customers.ts: no relations unless `expand` names some (plus
    `groups` when filtering by groups); no order unless `order` is given (we use creation order)."""
    tree = relation_tree(r for r in (p.expand or "").split(",") if r)
    stmt = select(Customer).where(Customer.deleted_at.is_(None))
    if "has_account" in p.model_fields_set:
        stmt = stmt.where(
            Customer.has_account.is_(None) if p.has_account is None else Customer.has_account == p.has_account
        )
    group_ids = list(p.groups) if p.groups is not None else None
    if group_ids is not None:
        tree.setdefault("groups", {})
        members = (
            select(t_customer_group_customers.c.customer_id)
            .join(CustomerGroup, CustomerGroup.id == t_customer_group_customers.c.customer_group_id)
            .where(CustomerGroup.id.in_(group_ids), CustomerGroup.deleted_at.is_(None))
        )
        stmt = stmt.where(Customer.id.in_(members))
    dates = {n: v for n in ("created_at", "updated_at") if isinstance(v := getattr(p, n), DateFilter)}
    stmt = _apply_dates(stmt, Customer, dates)
    stmt = apply_search(stmt, p.q, [Customer.email, Customer.first_name, Customer.last_name])
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    if p.order and p.order.lstrip("-") == "password_hash":
        raise invalid_data("Order field password_hash is not valid")
    stmt = apply_order(stmt, Customer, p.order, default="created_at").offset(p.offset)
    if p.limit:
        # TypeORM reads `take: 0` as "no limit"
        stmt = stmt.limit(p.limit)
    stmt = stmt.options(*_customer_options(tree, group_ids))
    rows = (await tx.execute(stmt)).scalars().all()
    return list(rows), count, tree


async def customer_by_email(tx: AsyncSession, email: str, has_account: bool = True) -> Customer | None:
    """CustomerService.retrieveRegisteredByEmail / retrieveUnregisteredByEmail without the 404:
    the customer (password_hash loaded, for a login to verify) or None."""
    stmt = (
        select(Customer)
        .where(
            Customer.email == email.lower(),
            Customer.has_account == has_account,
            Customer.deleted_at.is_(None),
        )
        .limit(1)
    )
    return (await tx.execute(stmt)).scalar_one_or_none()


_GUEST = raw.Entities(
    Customer,
    Customer.email == bindparam("email"),
    Customer.has_account.is_(False),
    Customer.deleted_at.is_(None),
)


# The guests this transaction created: they belong to no customer group, which pricing then
# need not read (until a membership of theirs is written: see _add_memberships).
_NEW_GUESTS = "mercato_new_guests"


def is_new_guest(tx: AsyncSession, customer_id: str) -> bool:
    """The customer is a guest made in this transaction, in no group yet."""
    return customer_id in tx.info.get(_NEW_GUESTS, ())


def _guest_or_new() -> Any:
    """PostgreSQL: the live guest with an email, or a new one inserted when there is none, in
    one statement (the second column set's last value says which). Two requests inserting the
    same new guest at once: the unique index on (email, has_account) refuses the second."""
    table: Any = Customer.__table__
    names = [c.name for c in table.c]
    found = (
        select(*table.c)
        .where(
            table.c.email == bindparam("email"), table.c.has_account.is_(False), table.c.deleted_at.is_(None)
        )
        .limit(1)
        .cte("found")
    )
    new_values = [bindparam(f"new_{n}", type_=table.c[n].type) for n in names]
    made = (
        insert(table)
        .from_select(names, select(*new_values).where(~exists(select(found.c.id))))
        .returning(*table.c)
        .cte("made")
    )
    return select(*found.c, literal(False)).union_all(select(*made.c, literal(True)))


_GUEST_OR_NEW = _guest_or_new()


async def guest_customer(tx: AsyncSession, email: str) -> Customer:
    """CartService.createOrFetchGuestCustomerFromEmail_: the live guest with that email, created
    when there is none. Read-only: carts and draft orders only take its id and email."""
    if tx.get_bind().dialect.name == "postgresql":
        return await _guest_in_one(tx, email.lower())
    found: Customer | None = await _GUEST.first(tx, {"email": email.lower()})
    if found is not None:
        return found
    made = await create_customer(tx, {"email": email}, no_guest=True)
    tx.info.setdefault(_NEW_GUESTS, set()).add(made.id)
    return made


async def _guest_in_one(tx: AsyncSession, email: str) -> Customer:
    """guest_customer in one round trip (_GUEST_OR_NEW): what create_customer does for a guest
    (the same row, event and refusal), without the round trip between the look and the write."""
    row = raw.new_row(
        Customer,
        {
            "email": email,
            "first_name": None,
            "last_name": None,
            "phone": None,
            "metadata": None,
            "has_account": False,
            "password_hash": None,
        },
    )
    table: Any = Customer.__table__
    params = {f"new_{c.name}": row.get(c.name) for c in table.c}
    params["email"] = email
    try:
        found = await raw.rows(tx, _GUEST_OR_NEW, params)
    except IntegrityError:
        # a concurrent request made the guest since this statement's look
        raise duplicate(GUEST_EXISTS) from None
    values = found[0]
    customer: Customer = raw.instance_of(Customer, dict(zip([c.name for c in table.c], values, strict=False)))
    if values[-1]:
        emit(tx, CUSTOMER_EVENTS["created"], present_customer(customer))
        tx.info.setdefault(_NEW_GUESTS, set()).add(customer.id)
    return customer


async def group_ids_for_customer(tx: AsyncSession, customer_id: str) -> list[str]:
    """The ids of the (live) groups a customer belongs to: the customer's side of price selection."""
    stmt = (
        select(t_customer_group_customers.c.customer_group_id)
        .join(CustomerGroup, CustomerGroup.id == t_customer_group_customers.c.customer_group_id)
        .where(t_customer_group_customers.c.customer_id == customer_id, CustomerGroup.deleted_at.is_(None))
        .order_by(t_customer_group_customers.c.customer_group_id)
    )
    return list((await tx.execute(stmt)).scalars())


# ---- customers: writing ------------------------------------------------------------------------


def _input(data: CreateCustomerInput | BaseModel | Mapping[str, Any]) -> CreateCustomerInput:
    if isinstance(data, CreateCustomerInput):
        return data
    if isinstance(data, BaseModel):
        return CreateCustomerInput.model_validate(data.model_dump(exclude_unset=True))
    return CreateCustomerInput.model_validate(dict(data))


async def _event_payload(tx: AsyncSession, customer_id: str) -> dict[str, Any]:
    # Medusa emits the saved entity; the payload is its columns (never the password hash)
    return present_customer(await retrieve_customer(tx, customer_id, {}))


async def insert_address(tx: AsyncSession, values: Mapping[str, Any]) -> str:
    """A new address row (values by column name: `metadata`), written on the driver; its id."""
    return str((await insert_address_row(tx, values))["id"])


async def insert_address_row(tx: AsyncSession, values: Mapping[str, Any]) -> dict[str, Any]:
    """insert_address, answering every value it wrote (the id and timestamps with `values`)."""
    now = utcnow()
    row = {**values, "id": generate_id(Address.__id_prefix__ or "addr"), "created_at": now, "updated_at": now}
    # a new row: the caller's pending changes (the owner's reference to it comes later) can
    # wait, and the row itself goes out with the next statement (the owner's reference, at the
    # latest: a country_code unknown to the country table fails that statement)
    await raw.insert_later(tx, Address.__table__, row, flush=False)
    return row


_ACCOUNT_FLAGS = (
    select(Customer.has_account)
    .where(Customer.email == bindparam("email"), Customer.deleted_at.is_(None))
    .limit(2)
)


async def create_customer(
    tx: AsyncSession, data: CreateCustomerInput | BaseModel | Mapping[str, Any], *, no_guest: bool = False
) -> Customer:
    """CustomerService.create: the one way a customer comes to be (Admin create, Store registration).

    The email is lowercased. One live customer with an account and one guest may share an email
    (the unique index is on (email, has_account)); a second of either kind is refused. A password
    makes an account (hashed, off the event loop). `no_guest`: the caller has just looked for
    the email's guest in this transaction and found none (then a new guest needs no check)."""
    values = _input(data)
    email = values.email.lower()
    existing: list[bool] = []
    if not (no_guest and not values.password):
        existing = [row[0] for row in await raw.rows(tx, _ACCOUNT_FLAGS, {"email": email})]
    if any(existing) and values.password:
        raise duplicate(ACCOUNT_EXISTS)
    if any(not has for has in existing) and not values.password:
        raise duplicate(GUEST_EXISTS)
    has_account = bool(values.has_account)
    password_hash = values.password_hash
    if values.password:
        password_hash = await _hash(values.password)
        has_account = True
    try:
        # on the driver (the ORM's unit of work costs more than the INSERT); the instance is
        # outside the session: callers only present it or take its id
        customer: Customer = await raw.insert_entity(
            tx,
            Customer,
            {
                "email": email,
                "first_name": values.first_name,
                "last_name": values.last_name,
                "phone": values.phone,
                "metadata": values.metadata,
                "has_account": has_account,
                "password_hash": password_hash,
            },
        )
    except IntegrityError:
        # a concurrent request took the (email, has_account) pair since the check above
        raise duplicate(ACCOUNT_EXISTS if has_account else GUEST_EXISTS) from None
    emit(tx, CUSTOMER_EVENTS["created"], present_customer(customer))
    return customer


async def _add_memberships(tx: AsyncSession, rows: list[dict[str, str]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING (TypeORM's orIgnore): a membership a concurrent request
    just wrote is no error."""
    if not rows:
        return
    new_guests: set[str] = tx.info.get(_NEW_GUESTS, set())
    new_guests.difference_update(row["customer_id"] for row in rows)
    if tx.get_bind().dialect.name == "postgresql":
        stmt: Any = pg_insert(t_customer_group_customers).on_conflict_do_nothing()
    else:
        stmt = sqlite_insert(t_customer_group_customers).on_conflict_do_nothing()
    await tx.execute(stmt, rows)


def _assign(obj: Any, attr: str, value: Any) -> None:
    # TypeORM only writes (and bumps updated_at) when a value really changes
    if getattr(obj, attr) != value:
        setattr(obj, attr, value)


async def _set_groups(tx: AsyncSession, customer_id: str, group_ids: Sequence[str]) -> None:
    wanted = list(dict.fromkeys(group_ids))
    if wanted:
        known = set(
            (await tx.execute(select(CustomerGroup.id).where(CustomerGroup.id.in_(wanted)))).scalars()
        )
        for group_id in wanted:
            if group_id not in known:
                # the foreign-key violation, as utils/exception-formatter.ts words it
                raise not_found(f"Customer_group with customer_group_id {group_id} does not exist.")
    table = t_customer_group_customers
    current = set(
        (
            await tx.execute(select(table.c.customer_group_id).where(table.c.customer_id == customer_id))
        ).scalars()
    )
    gone = current - set(wanted)
    if gone:
        await tx.execute(
            delete(table).where(table.c.customer_id == customer_id, table.c.customer_group_id.in_(gone))
        )
    await _add_memberships(
        tx, [{"customer_id": customer_id, "customer_group_id": g} for g in wanted if g not in current]
    )


def _email_taken(email: Any, has_account: bool) -> str:
    # the (email, has_account) unique index's violation, as utils/exception-formatter.ts words it
    return f"Customer with email, has_account {email}, {'t' if has_account else 'f'} already exists."


async def check_new_email(tx: AsyncSession, customer: Customer, email: str | None) -> None:
    """A customer's email about to become `email`: the column is NOT NULL, and (email,
    has_account) is unique among live customers; refused as Medusa's database errors are worded
    (utils/exception-formatter.ts)."""
    if email is None:
        raise invalid_data("Can't insert null value in field email on insert in table customer")
    if email == customer.email:
        return
    taken = (
        await tx.execute(
            select(Customer.id)
            .where(
                Customer.email == email,
                Customer.has_account == customer.has_account,
                Customer.deleted_at.is_(None),
                Customer.id != customer.id,
            )
            .limit(1)
        )
    ).first()
    if taken is not None:
        raise duplicate(_email_taken(email, customer.has_account))


async def flush_email_change(tx: AsyncSession, customer: Customer) -> None:
    try:
        await tx.flush()
    except IntegrityError:
        # a concurrent request took the (email, has_account) pair since check_new_email
        raise duplicate(_email_taken(customer.email, customer.has_account)) from None


async def update_customer(
    tx: AsyncSession, customer_id: str, data: AdminPostCustomersCustomerReq
) -> Customer:
    """update-customer.ts + CustomerService.update."""
    customer = await retrieve_customer(tx, customer_id)
    if data.email and customer.has_account:
        raise invalid_data(EMAIL_LOCKED)
    given = data.model_fields_set
    values: dict[str, Any] = {
        name: getattr(data, name) for name in ("email", "first_name", "last_name", "phone") if name in given
    }
    if "email" in values:
        await check_new_email(tx, customer, values["email"])
    if data.metadata:
        values["metadata_"] = merge_metadata(customer.metadata_, data.metadata)
    if data.password:
        values["password_hash"] = await _hash(data.password)
    for attr, value in values.items():
        _assign(customer, attr, value)
    await flush_email_change(tx, customer)
    if data.groups is not None:
        await _set_groups(tx, customer.id, [g.id for g in data.groups])
    emit(tx, CUSTOMER_EVENTS["updated"], await _event_payload(tx, customer.id))
    return customer


# ---- customer groups: reading ------------------------------------------------------------------


def group_query_config(
    p: AdminGetCustomerGroupsParams | FindParams, *, is_list: bool
) -> tuple[Tree, set[str] | None]:
    """utils/get-query-config.ts for the customer-groups routes (no allowed lists): `fields`
    selects columns (always id, and created_at on lists; "rel.col" selects a relation's column,
    "*rel" a whole relation), `expand` replaces the relations."""
    relations: list[str] = list(GROUP_DEFAULT_RELATIONS)
    fields: set[str] | None = None
    if p.fields is not None:
        custom = [f for f in p.fields.split(",") if f]
        chosen: set[str] = set()  # the routes have no default fields
        if not custom or any(not f.startswith(("-", "+", "*")) for f in custom):
            chosen = {f[1:] if f.startswith(("+", "-")) else f for f in custom}
        else:
            for f in custom:
                if f.startswith("-"):
                    chosen.discard(f[1:])
                else:
                    chosen.add(f[1:] if f.startswith("+") else f)
        if is_list:
            chosen.add("created_at")
        chosen.add("id")
        for f in sorted(chosen):
            if f.startswith("*"):
                relations.append(f[1:])
            elif "." in f:
                relations.append(f.rsplit(".", 1)[0])
        fields = {f for f in chosen if not f.startswith("*")}
    if p.expand is not None:
        relations = [r for r in p.expand.split(",") if r]
    return relation_tree(dict.fromkeys(relations)), fields


def present_group(
    group: CustomerGroup, tree: Tree | None = None, fields: set[str] | None = None
) -> dict[str, Any]:
    own = None if fields is None else {f for f in fields if "." not in f}
    out = present(group, tree, own)
    assert out is not None
    if fields is not None:
        # "customers.email": the relation's rows carry only the selected columns
        picked: dict[str, set[str]] = {}
        for f in fields:
            if f.count(".") == 1:
                relation, column = f.split(".")
                picked.setdefault(relation, set()).add(column)
        for relation, columns in picked.items():
            if isinstance(out.get(relation), list):
                out[relation] = [{k: v for k, v in row.items() if k in columns} for row in out[relation]]
    return out


async def retrieve_group(tx: AsyncSession, group_id: str, tree: Tree | None = None) -> CustomerGroup:
    stmt = select(CustomerGroup).where(CustomerGroup.id == group_id, CustomerGroup.deleted_at.is_(None))
    if tree is not None:
        stmt = stmt.options(*load_options(CustomerGroup, tree)).execution_options(populate_existing=True)
    group = (await tx.execute(stmt)).scalar_one_or_none()
    if group is None:
        raise not_found(f"CustomerGroup with id {group_id} was not found")
    return group


def _string_filter(column: Any, value: str | list[str] | StringComparison) -> Any:
    if isinstance(value, str):
        return column == value
    if isinstance(value, list):
        return column.in_(value)
    conditions = []
    for op, build in (
        ("lt", lambda v: column < v),
        ("gt", lambda v: column > v),
        ("gte", lambda v: column >= v),
        ("lte", lambda v: column <= v),
        ("contains", lambda v: column.ilike(f"%{v}%")),
        ("starts_with", lambda v: column.ilike(f"{v}%")),
        ("ends_with", lambda v: column.ilike(f"%{v}")),
    ):
        operand = getattr(value, op)
        if operand is not None:
            conditions.append(build(operand))
    return conditions


async def list_groups(
    tx: AsyncSession, p: AdminGetCustomerGroupsParams, tree: Tree
) -> tuple[list[CustomerGroup], int]:
    stmt = select(CustomerGroup).where(CustomerGroup.deleted_at.is_(None))
    if p.id is not None:
        condition = _string_filter(CustomerGroup.id, p.id)
        stmt = stmt.where(*condition) if isinstance(condition, list) else stmt.where(condition)
    if p.name is not None and not p.q:
        # the search replaces the `name` filter (the service sets where.name = ILike(q))
        stmt = stmt.where(CustomerGroup.name.in_(p.name))
    if p.discount_condition_id is not None:
        link = DiscountConditionCustomerGroup
        stmt = stmt.where(
            CustomerGroup.id.in_(
                select(link.customer_group_id).where(link.condition_id == p.discount_condition_id)
            )
        )
    stmt = _apply_dates(stmt, CustomerGroup, p.date_filters())
    stmt = apply_search(stmt, p.q, [CustomerGroup.name])
    count = (await tx.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    stmt = apply_order(stmt, CustomerGroup, p.order, default="-created_at").offset(p.offset)
    if p.limit:
        stmt = stmt.limit(p.limit)
    rows = (await tx.execute(stmt.options(*load_options(CustomerGroup, tree)))).scalars().all()
    return list(rows), count


# ---- customer groups: writing ------------------------------------------------------------------


async def _name_taken(tx: AsyncSession, name: str, group_id: str | None = None) -> bool:
    stmt = select(CustomerGroup.id).where(CustomerGroup.name == name, CustomerGroup.deleted_at.is_(None))
    if group_id is not None:
        stmt = stmt.where(CustomerGroup.id != group_id)
    return (await tx.execute(stmt.limit(1))).first() is not None


async def create_group(tx: AsyncSession, data: AdminPostCustomerGroupsReq) -> CustomerGroup:
    # CustomerGroupService.create answers the database's own detail for a taken name
    message = f"Key (name)=({data.name}) already exists."
    if await _name_taken(tx, data.name):
        raise duplicate(message)
    group = CustomerGroup(name=data.name, metadata_=data.metadata)
    tx.add(group)
    try:
        await tx.flush()
    except IntegrityError:
        raise duplicate(message) from None
    return group


async def update_group(
    tx: AsyncSession, group_id: str, data: AdminPostCustomerGroupsGroupReq
) -> CustomerGroup:
    group = await retrieve_group(tx, group_id)
    given = data.model_fields_set
    if "name" in given:
        if data.name is None:
            # isDefined(null) is true: Medusa writes the null and PostgreSQL refuses it
            raise MedusaError(
                "invalid_data", "Can't insert null value in field name on insert in table customer_group"
            )
        # the unique index's violation, as utils/exception-formatter.ts words it
        message = f"Customer_group with name {data.name} already exists."
        if data.name != group.name and await _name_taken(tx, data.name, group.id):
            raise duplicate(message)
        _assign(group, "name", data.name)
    if data.metadata is not None:
        _assign(group, "metadata_", merge_metadata(group.metadata_, data.metadata))
    try:
        await tx.flush()
    except IntegrityError:
        raise duplicate(f"Customer_group with name {data.name} already exists.") from None
    return group


async def delete_group(tx: AsyncSession, group_id: str) -> None:
    """CustomerGroupService.delete: a hard delete (memberships, price-list and discount-condition
    links go with it through ON DELETE CASCADE); an unknown id is no error."""
    await tx.execute(
        delete(t_customer_group_customers).where(t_customer_group_customers.c.customer_group_id == group_id)
    )
    await tx.execute(delete(CustomerGroup).where(CustomerGroup.id == group_id))


async def add_customers(tx: AsyncSession, group_id: str, customer_ids: Sequence[str]) -> CustomerGroup:
    """CustomerGroupService.addCustomers: memberships already there are kept (INSERT … OR IGNORE);
    an unknown customer is refused with the list of unknown ids."""
    group = await retrieve_group(tx, group_id)
    wanted = list(dict.fromkeys(customer_ids))
    if not wanted:
        return group
    live = set(
        (
            await tx.execute(
                select(Customer.id).where(Customer.id.in_(wanted), Customer.deleted_at.is_(None))
            )
        ).scalars()
    )
    if len(live) != len(wanted):
        rows = set((await tx.execute(select(Customer.id).where(Customer.id.in_(wanted)))).scalars())
        if len(rows) != len(wanted):
            # handleCreationFail: the ids that are not live customers, JSON.stringify'd as one string
            missing = [c for c in customer_ids if c not in live]
            raise not_found(f"The following customer ids do not exist: {json.dumps(', '.join(missing))}")
    table = t_customer_group_customers
    current = set(
        (
            await tx.execute(
                select(table.c.customer_id).where(
                    table.c.customer_group_id == group.id, table.c.customer_id.in_(wanted)
                )
            )
        ).scalars()
    )
    await _add_memberships(
        tx, [{"customer_group_id": group.id, "customer_id": c} for c in wanted if c not in current]
    )
    return group


async def remove_customers(tx: AsyncSession, group_id: str, customer_ids: Sequence[str]) -> CustomerGroup:
    group = await retrieve_group(tx, group_id)
    if customer_ids:
        table = t_customer_group_customers
        await tx.execute(
            delete(table).where(
                table.c.customer_group_id == group.id, table.c.customer_id.in_(list(customer_ids))
            )
        )
    return group
