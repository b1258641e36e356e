"""Discounts: codes, their rule, conditions and regions (Medusa's services/discount.ts,
services/discount-condition.ts and repositories/discount-condition.ts)."""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import MedusaError, duplicate, invalid_data, not_allowed, not_found, refuse_nulls
from mercato.core.events import emit
from mercato.core.metadata import merge_metadata
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.core.query import apply_date_filter, apply_order, apply_page, apply_search, count_rows
from mercato.modules.collections.models import ProductCollection
from mercato.modules.customers.models import CustomerGroup
from mercato.modules.discounts.models import (
    Discount,
    DiscountCondition,
    DiscountConditionCustomerGroup,
    DiscountConditionProduct,
    DiscountConditionProductCollection,
    DiscountConditionProductTag,
    DiscountConditionProductType,
    DiscountRule,
    t_discount_regions,
)
from mercato.modules.discounts.schemas import (
    AdminGetDiscountParams,
    AdminGetDiscountsParams,
    AdminPostDiscountsDiscountConditions,
    AdminPostDiscountsDiscountConditionsCondition,
    AdminPostDiscountsDiscountDynamicCodesReq,
    AdminPostDiscountsDiscountReq,
    AdminPostDiscountsReq,
    ConditionInput,
)
from mercato.modules.products.models import Product, ProductTag, ProductType
from mercato.modules.regions.models import Region

# api/routes/admin/discounts/index.ts
DEFAULT_RELATIONS = ["parent_discount", "regions", "rule.conditions"]
DEFAULT_TREE = relation_tree(DEFAULT_RELATIONS)

# condition type -> (body key, join model, join column, resource table, resource model)
CONDITION_TYPES: dict[str, tuple[str, Any, str, str, Any]] = {
    "products": ("products", DiscountConditionProduct, "product_id", "product", Product),
    "product_types": (
        "product_types",
        DiscountConditionProductType,
        "product_type_id",
        "product_type",
        ProductType,
    ),
    "product_collections": (
        "product_collections",
        DiscountConditionProductCollection,
        "product_collection_id",
        "product_collection",
        ProductCollection,
    ),
    "product_tags": (
        "product_tags",
        DiscountConditionProductTag,
        "product_tag_id",
        "product_tag",
        ProductTag,
    ),
    "customer_groups": (
        "customer_groups",
        DiscountConditionCustomerGroup,
        "customer_group_id",
        "customer_group",
        CustomerGroup,
    ),
}
# DiscountConditionService.resolveConditionType_ checks the keys in this order
_RESOLVE_ORDER = ("products", "product_collections", "product_types", "product_tags", "customer_groups")


# ---- reading ---------------------------------------------------------------------------------


def query_config(
    p: AdminGetDiscountsParams | AdminGetDiscountParams, *, is_list: bool
) -> tuple[Tree, set[str] | None]:
    """utils/get-query-config.ts: `expand` replaces the default relations, `fields` picks columns."""
    relations: list[str] = list(DEFAULT_RELATIONS)
    fields: set[str] | None = None
    if p.fields is not None:
        chosen = {f.lstrip("+-") for f in p.fields.split(",") if f and not f.startswith("*")}
        if is_list:
            chosen.add("created_at")
        chosen.add("id")
        relations.extend(f.rsplit(".", 1)[0] for f in sorted(chosen) if "." in f)
        fields = {f for f in chosen if "." not in f}
    if p.expand is not None:
        # the discounts routes allow any relation of the entity (no allowedRelations), nested
        # ones too (rule.conditions.products, regions.countries); an unknown one is a 400 here
        # (Medusa: TypeORM's 500)
        relations = [r for r in p.expand.split(",") if r]
        bad = [r for r in dict.fromkeys(relations) if not _is_relation(r)]
        if p.expand and bad:
            raise invalid_data(f"Requested fields [{', '.join(bad)}] are not valid")
    return relation_tree(sorted(dict.fromkeys(relations))), fields


def _is_relation(path: str) -> bool:
    try:
        load_options(Discount, relation_tree([path]))
    except MedusaError:
        return False
    return True


def present_discount(discount: Discount, tree: Tree, fields: set[str] | None = None) -> dict[str, Any]:
    out = present(discount, tree, fields)
    assert out is not None
    return out


async def retrieve_discount(tx: AsyncSession, discount_id: str, tree: Tree | None = None) -> Discount:
    stmt = select(Discount).where(Discount.id == discount_id, Discount.deleted_at.is_(None))
    if tree:
        stmt = stmt.options(*load_options(Discount, tree)).execution_options(populate_existing=True)
    discount = (await tx.execute(stmt)).scalar_one_or_none()
    if discount is None:
        raise not_found(f"Discount with id {discount_id} was not found")
    return discount


async def retrieve_by_code(tx: AsyncSession, code: str, tree: Tree | None = None) -> Discount:
    stmt = select(Discount).where(Discount.code == code.upper().strip(), Discount.deleted_at.is_(None))
    if tree:
        stmt = stmt.options(*load_options(Discount, tree)).execution_options(populate_existing=True)
    discount = (await tx.execute(stmt)).scalar_one_or_none()
    if discount is None:
        raise not_found(f"Discounts with code {code} was not found")
    return discount


async def list_discounts(
    tx: AsyncSession, p: AdminGetDiscountsParams, tree: Tree
) -> tuple[list[Discount], int]:
    stmt = select(Discount).where(Discount.deleted_at.is_(None))
    if p.is_dynamic is not None:
        stmt = stmt.where(Discount.is_dynamic == p.is_dynamic)
    if p.is_disabled is not None:
        stmt = stmt.where(Discount.is_disabled == p.is_disabled)
    if p.rule is not None and (p.rule.type is not None or p.rule.allocation is not None):
        rules = select(DiscountRule.id)
        if p.rule.type is not None:
            rules = rules.where(DiscountRule.type == p.rule.type)
        if p.rule.allocation is not None:
            rules = rules.where(DiscountRule.allocation == p.rule.allocation)
        stmt = stmt.where(Discount.rule_id.in_(rules))
    for name in ("created_at", "updated_at"):
        value = getattr(p, name)
        if value is not None:
            stmt = apply_date_filter(stmt, getattr(Discount, name), value)
    stmt = apply_search(stmt, p.q, [Discount.code])
    count = await count_rows(tx, stmt)
    stmt = apply_page(apply_order(stmt, Discount, p.order, default="-created_at"), p.offset, p.limit)
    rows = (await tx.execute(stmt.options(*load_options(Discount, tree)))).scalars().all()
    return list(rows), count


# ---- helpers ---------------------------------------------------------------------------------


def _int(value: float | None) -> Any:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _aware(value: datetime.datetime) -> datetime.datetime:
    """SQLite hands back naive datetimes (stored as UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def _validate_rule(rule_type: str, value: float) -> None:
    if rule_type == "percentage" and value > 100:
        raise invalid_data("Discount value above 100 is not allowed when type is percentage")


async def _code_taken(tx: AsyncSession, code: str, but: str | None = None) -> None:
    stmt = select(Discount.id).where(Discount.code == code, Discount.deleted_at.is_(None))
    if but is not None:
        stmt = stmt.where(Discount.id != but)
    if (await tx.execute(stmt.limit(1))).scalar_one_or_none() is not None:
        raise duplicate(f"Discount with code {code} already exists.")


async def _regions(tx: AsyncSession, region_ids: list[str]) -> list[str]:
    found = set(
        (
            await tx.execute(select(Region.id).where(Region.id.in_(region_ids), Region.deleted_at.is_(None)))
        ).scalars()
    )
    for region_id in region_ids:
        if region_id not in found:
            raise not_found(f"Region with {region_id} was not found")
    return list(dict.fromkeys(region_ids))


async def _set_regions(tx: AsyncSession, discount_id: str, region_ids: list[str]) -> None:
    await tx.execute(delete(t_discount_regions).where(t_discount_regions.c.discount_id == discount_id))
    if region_ids:
        await tx.execute(
            insert(t_discount_regions), [{"discount_id": discount_id, "region_id": r} for r in region_ids]
        )


def _add_duration(start: datetime.datetime, duration: str) -> datetime.datetime:
    """iso8601-duration's toSeconds(parse(d)) added to `start` (calendar years and months)."""
    m = re.match(
        r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", duration
    )
    if m is None:
        return start
    years, months, weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in m.groups())
    month_index = start.month - 1 + months + 12 * years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    moved = start.replace(year=year, month=month, day=day)
    return moved + datetime.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)


# ---- conditions (DiscountConditionService.upsertCondition) -----------------------------------


def resolve_condition_type(data: ConditionInput) -> tuple[str, list[str]]:
    for key in _RESOLVE_ORDER:
        ids = getattr(data, key)
        if ids:
            return key, list(ids)
    raise invalid_data("Missing one of products, collections, tags, types or customer groups in data")


async def _check_resources(tx: AsyncSession, cond_type: str, ids: list[str]) -> None:
    """The foreign key of the join table, worded by Medusa's exception formatter."""
    _, _, column, table, model = CONDITION_TYPES[cond_type]
    found = set((await tx.execute(select(model.id).where(model.id.in_(ids)))).scalars())
    for resource_id in ids:
        if resource_id not in found:
            raise not_found(f"{table[:1].upper()}{table[1:]} with {column} {resource_id} does not exist.")


async def add_condition_resources(
    tx: AsyncSession, condition_id: str, cond_type: str, ids: list[str], override: bool = False
) -> None:
    _, join, column, _, _ = CONDITION_TYPES[cond_type]
    ids = list(dict.fromkeys(ids))
    await _check_resources(tx, cond_type, ids)
    col = getattr(join, column)
    existing = set(
        (await tx.execute(select(col).where(join.condition_id == condition_id, col.in_(ids)))).scalars()
    )
    new = [i for i in ids if i not in existing]
    if new:
        now = utcnow()
        await tx.execute(
            insert(join),
            [{"condition_id": condition_id, column: i, "created_at": now, "updated_at": now} for i in new],
        )
    if override:
        await tx.execute(delete(join).where(join.condition_id == condition_id, col.not_in(ids)))


async def retrieve_condition(tx: AsyncSession, condition_id: str) -> DiscountCondition:
    condition = (
        await tx.execute(
            select(DiscountCondition).where(
                DiscountCondition.id == condition_id, DiscountCondition.deleted_at.is_(None)
            )
        )
    ).scalar_one_or_none()
    if condition is None:
        raise not_found(f"DiscountCondition with id {condition_id} was not found")
    return condition


async def upsert_condition(tx: AsyncSession, rule_id: str | None, data: ConditionInput) -> None:
    cond_type, ids = resolve_condition_type(data)
    if data.id:
        condition = await retrieve_condition(tx, data.id)
        if data.operator and data.operator != condition.operator:
            condition.operator = data.operator
            await tx.flush()
        await add_condition_resources(tx, data.id, cond_type, ids, override=True)
        return
    if data.operator not in ("in", "not_in"):
        # the column is an enum: PostgreSQL refuses any other value, and Medusa answers 500
        raise MedusaError("unknown_error", "An unknown error occurred.")
    taken = (
        await tx.execute(
            select(DiscountCondition.id).where(
                DiscountCondition.discount_rule_id == rule_id,
                DiscountCondition.type == cond_type,
                DiscountCondition.operator == data.operator,
            )
        )
    ).scalar_one_or_none()
    if taken is not None:
        raise duplicate(
            f"Discount Condition with operator '{data.operator}' and type '{cond_type}' "
            "already exist on a Discount Rule"
        )
    condition = DiscountCondition(discount_rule_id=rule_id, operator=data.operator, type=cond_type)
    tx.add(condition)
    await tx.flush()
    await add_condition_resources(tx, condition.id, cond_type, ids)


# ---- writing ---------------------------------------------------------------------------------


async def create_discount(tx: AsyncSession, data: AdminPostDiscountsReq) -> Discount:
    rule_in = data.rule
    _validate_rule(rule_in.type, rule_in.value)
    if len(data.regions) > 1 and rule_in.type == "fixed":
        raise invalid_data("Fixed discounts can have one region")
    region_ids = await _regions(tx, data.regions)
    if not region_ids:
        raise invalid_data("Discount must have at least 1 region")
    code = data.code.upper().strip()
    await _code_taken(tx, code)
    rule = DiscountRule(
        type=rule_in.type,
        value=_int(rule_in.value),
        allocation=rule_in.allocation,
        description=rule_in.description,
    )
    tx.add(rule)
    await tx.flush()
    # Medusa saves the nulls it was given, and the NOT NULL columns refuse them (1.20.11)
    refuse_nulls("discount", data, ("is_disabled", "starts_at"))
    now = utcnow()
    discount = Discount(
        code=code,
        is_dynamic=data.is_dynamic,
        is_disabled=bool(data.is_disabled),
        rule_id=rule.id,
        starts_at=data.starts_at or now,
        ends_at=data.ends_at,
        valid_duration=data.valid_duration,
        usage_limit=_int(data.usage_limit),
        usage_count=0,
        metadata_=data.metadata,
    )
    tx.add(discount)
    await tx.flush()
    await _set_regions(tx, discount.id, region_ids)
    for cond in rule_in.conditions or []:
        await upsert_condition(tx, rule.id, cond)
    emit(tx, "discount.created", {"id": discount.id})
    return discount


async def update_discount(
    tx: AsyncSession, discount_id: str, data: AdminPostDiscountsDiscountReq
) -> Discount:
    discount = await retrieve_discount(tx, discount_id, {"rule": {}})
    given = data.model_fields_set
    if data.ends_at is not None and _aware(discount.starts_at) >= _aware(data.ends_at):
        raise invalid_data('"ends_at" must be greater than "starts_at"')
    if data.regions is not None and len(data.regions) > 1 and discount.rule.type == "fixed":
        raise invalid_data("Fixed discounts can have one region")
    if data.rule is not None:
        for cond in data.rule.conditions or []:
            await upsert_condition(tx, discount.rule_id, cond)
    if data.regions is not None:
        await _set_regions(tx, discount.id, await _regions(tx, data.regions))
    if data.metadata:
        discount.metadata_ = merge_metadata(discount.metadata_, data.metadata)
    if data.rule is not None:
        rule = discount.rule
        if data.rule.value:
            _validate_rule(rule.type, data.rule.value)
        rule_given = data.rule.model_fields_set
        if "description" in rule_given:
            rule.description = data.rule.description
        if "value" in rule_given and data.rule.value is not None:
            rule.value = _int(data.rule.value)
        if "allocation" in rule_given and data.rule.allocation is not None:
            rule.allocation = data.rule.allocation
    if "code" in given and data.code is None:
        # Medusa calls toUpperCase() on the null it assigned: a TypeError, answered 500
        raise MedusaError("unknown_error", "An unknown error occurred.")
    for name in ("is_disabled", "starts_at", "ends_at", "valid_duration", "usage_limit"):
        if name in given:
            value = getattr(data, name)
            if name in ("is_disabled", "starts_at") and value is None:
                raise invalid_data(f"Can't insert null value in field {name} on insert in table discount")
            setattr(discount, name, _int(value) if name == "usage_limit" else value)
    if data.code is not None:
        code = data.code.upper()
        if code != discount.code:
            await _code_taken(tx, code, but=discount.id)
        discount.code = code
    await tx.flush()
    return discount


async def delete_discount(tx: AsyncSession, discount_id: str) -> None:
    discount = (
        await tx.execute(select(Discount).where(Discount.id == discount_id, Discount.deleted_at.is_(None)))
    ).scalar_one_or_none()
    if discount is None:
        return
    discount.deleted_at = utcnow()
    await tx.flush()


async def create_dynamic_code(
    tx: AsyncSession, discount_id: str, data: AdminPostDiscountsDiscountDynamicCodesReq
) -> Discount:
    discount = await retrieve_discount(tx, discount_id)
    if not discount.is_dynamic:
        raise not_allowed("Discount must be set to dynamic")
    if not data.code:
        raise invalid_data("Discount must have a code")
    code = data.code.upper().strip()
    await _code_taken(tx, code)
    now = utcnow()
    created = Discount(
        code=code,
        rule_id=discount.rule_id,
        is_dynamic=True,
        is_disabled=False,
        parent_discount_id=discount.id,
        usage_limit=discount.usage_limit,
        usage_count=0,
        starts_at=now,
        ends_at=_add_duration(now, discount.valid_duration) if discount.valid_duration else None,
        metadata_=data.metadata,
    )
    tx.add(created)
    await tx.flush()
    return created


async def delete_dynamic_code(tx: AsyncSession, discount_id: str, code: str) -> None:
    child = (
        await tx.execute(
            select(Discount).where(
                Discount.parent_discount_id == discount_id,
                Discount.code == code,
                Discount.deleted_at.is_(None),
            )
        )
    ).scalar_one_or_none()
    if child is not None:
        child.deleted_at = utcnow()
        await tx.flush()


async def add_region(tx: AsyncSession, discount_id: str, region_id: str) -> None:
    discount = await retrieve_discount(tx, discount_id, {"regions": {}, "rule": {}})
    if any(r.id == region_id for r in discount.regions):
        return
    if len(discount.regions) == 1 and discount.rule is not None and discount.rule.type == "fixed":
        raise invalid_data("Fixed discounts can have one region")
    await _regions(tx, [region_id])
    await tx.execute(insert(t_discount_regions), [{"discount_id": discount.id, "region_id": region_id}])
    await tx.flush()


async def remove_region(tx: AsyncSession, discount_id: str, region_id: str) -> None:
    discount = await retrieve_discount(tx, discount_id, {"regions": {}})
    if not any(r.id == region_id for r in discount.regions):
        return
    await tx.execute(
        delete(t_discount_regions).where(
            t_discount_regions.c.discount_id == discount.id, t_discount_regions.c.region_id == region_id
        )
    )
    await tx.flush()


# ---- condition routes --------------------------------------------------------------------------

CONDITION_FIELDS = {"id", "type", "operator", "discount_rule_id", "created_at", "updated_at"}
CONDITION_TREE = relation_tree(["discount_rule"])


async def condition_belongs(tx: AsyncSession, discount_id: str, condition_id: str) -> None:
    """middlewares/discount/does-condition-belong-to-discount.ts"""
    discount = await retrieve_discount(tx, discount_id)
    condition = await retrieve_condition(tx, condition_id)
    if condition.discount_rule_id != discount.rule_id:
        raise invalid_data(
            f"Condition with id {condition_id} does not belong to Discount with id {discount_id}"
        )


def condition_query_config(p: AdminGetDiscountParams) -> tuple[Tree, set[str]]:
    relations = ["discount_rule"]
    fields = set(CONDITION_FIELDS)
    if p.fields is not None:
        fields = {f.lstrip("+-") for f in p.fields.split(",") if f and not f.startswith("*")} | {"id"}
        relations.extend(f.rsplit(".", 1)[0] for f in sorted(fields) if "." in f)
        fields = {f for f in fields if "." not in f}
    if p.expand is not None:
        relations = [r for r in p.expand.split(",") if r]
    return relation_tree(sorted(dict.fromkeys(relations))), fields


async def get_condition(tx: AsyncSession, condition_id: str, p: AdminGetDiscountParams) -> dict[str, Any]:
    tree, fields = condition_query_config(p)
    stmt = (
        select(DiscountCondition)
        .where(DiscountCondition.id == condition_id, DiscountCondition.deleted_at.is_(None))
        .options(*load_options(DiscountCondition, tree))
        .execution_options(populate_existing=True)
    )
    condition = (await tx.execute(stmt)).scalar_one_or_none()
    if condition is None:
        raise not_found(f"DiscountCondition with id {condition_id} was not found")
    out = present(condition, tree, fields)
    assert out is not None
    return out


async def create_condition(
    tx: AsyncSession, discount_id: str, data: AdminPostDiscountsDiscountConditions
) -> None:
    discount = await retrieve_discount(tx, discount_id)
    await upsert_condition(tx, discount.rule_id, ConditionInput(**data.model_dump()))


async def update_condition(
    tx: AsyncSession, discount_id: str, condition_id: str, data: AdminPostDiscountsDiscountConditionsCondition
) -> None:
    condition = await retrieve_condition(tx, condition_id)
    discount = await retrieve_discount(tx, discount_id)
    await upsert_condition(tx, discount.rule_id, ConditionInput(**data.model_dump(), id=condition.id))


async def delete_condition(tx: AsyncSession, discount_id: str, condition_id: str) -> None:
    condition = (
        await tx.execute(
            select(DiscountCondition).where(
                DiscountCondition.id == condition_id, DiscountCondition.deleted_at.is_(None)
            )
        )
    ).scalar_one_or_none()
    if condition is None:
        await retrieve_discount(tx, discount_id)  # idempotent for an unknown condition
        return
    discount = await retrieve_discount(tx, discount_id)
    if condition.discount_rule_id != discount.rule_id:
        raise not_found(f"Condition with id {condition_id} does not belong to Discount with id {discount_id}")
    for _, join, _, _, _ in CONDITION_TYPES.values():
        await tx.execute(delete(join).where(join.condition_id == condition.id))
    await tx.delete(condition)
    await tx.flush()


async def add_condition_batch(tx: AsyncSession, condition_id: str, resource_ids: list[str | None]) -> None:
    condition = await retrieve_condition(tx, condition_id)
    # a resource without an id ({}) reaches the join table's NOT NULL column, which refuses it
    _, join, column, _, _ = CONDITION_TYPES[condition.type]
    refuse_nulls(join.__tablename__, {column: None} if None in resource_ids else {}, (column,))
    data = ConditionInput(id=condition.id, **{condition.type: [i for i in resource_ids if i is not None]})
    cond_type, ids = resolve_condition_type(data)
    await add_condition_resources(tx, condition.id, cond_type, ids, override=False)


async def remove_condition_batch(tx: AsyncSession, condition_id: str, resource_ids: list[str | None]) -> None:
    condition = await retrieve_condition(tx, condition_id)
    given = [i for i in resource_ids if i is not None]
    if resource_ids and not given:
        return  # resources without ids match no row (Medusa: 200, nothing removed)
    data = ConditionInput(id=condition.id, **{condition.type: given})
    cond_type, ids = resolve_condition_type(data)
    _, join, column, _, _ = CONDITION_TYPES[cond_type]
    await tx.execute(delete(join).where(join.condition_id == condition.id, getattr(join, column).in_(ids)))
