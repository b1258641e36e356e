"""Product categories: a tree (parent_category_id + TypeORM's materialized path `mpath`) whose
siblings are ordered by `rank`, with products linked through product_category_product
(Medusa's services/product-category.ts, repositories/product-category.ts and the tree
transformer utils/transformers/tree.ts)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, literal, null, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.clock import utcnow
from mercato.core.errors import (
    RequestErrors,
    duplicate,
    invalid_data,
    not_allowed,
    not_found,
    refuse_nulls,
)
from mercato.core.events import emit
from mercato.core.ids import generate_id
from mercato.core.metadata import merge_metadata
from mercato.core.present import present
from mercato.core.query import count_rows
from mercato.core.text import kebab_case
from mercato.modules.categories.models import ProductCategory, t_product_category_product
from mercato.modules.categories.schemas import (
    AdminGetProductCategoriesParams,
    AdminPostProductCategoriesCategoryReq,
    AdminPostProductCategoriesReq,
    CategoryListParams,
    CategoryRetrieveParams,
)
from mercato.modules.products.models import Product

# ProductCategoryService.Events
CREATED = "product-category.created"
UPDATED = "product-category.updated"
DELETED = "product-category.deleted"

# The entity's columns in the order Medusa serialises them (mpath is never answered); the admin
# routes' defaultProductCategoryFields are all of them.
COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "name",
    "description",
    "handle",
    "is_active",
    "is_internal",
    "parent_category_id",
    "rank",
    "metadata",
)
# defaultStoreProductCategoryFields = allowedStoreProductCategoryFields
STORE_FIELDS = (
    "id",
    "name",
    "description",
    "handle",
    "parent_category_id",
    "created_at",
    "updated_at",
    "rank",
    "metadata",
)
TREE_RELATIONS = ("parent_category", "category_children")
KNOWN_RELATIONS = (*TREE_RELATIONS, "products")
# types/product-category.ts tempReorderRank: where a moving category waits while siblings shift
TEMP_RANK = 99999
# siblings are shifted in two steps through this offset, so the unique (parent_category_id, rank)
# index never sees two rows on one rank in between
_SHIFT_OFFSET = 1_000_000_000

_BOOLEAN_TEXT = {
    "true": True,
    "t": True,
    "yes": True,
    "y": True,
    "on": True,
    "1": True,
    "false": False,
    "f": False,
    "no": False,
    "n": False,
    "off": False,
    "0": False,
}


@dataclass(frozen=True)
class QueryConfig:
    """What utils/get-query-config.ts makes of `fields` and `expand`: the columns to answer and
    the relations to load."""

    fields: tuple[str, ...]
    relations: tuple[str, ...]
    explicit_fields: bool = False


@dataclass
class Node:
    """A category with its loaded relations, ready to be shaped for an answer."""

    row: ProductCategory
    children: list[Node] | None = None
    parent: ProductCategory | None = None
    has_parent: bool = False
    products: list[Product] | None = None
    tree: bool = False


# ---- query configuration ---------------------------------------------------------------------


def query_config(
    p: CategoryRetrieveParams | CategoryListParams,
    *,
    is_list: bool,
    default_fields: Sequence[str],
    allowed_fields: Sequence[str] = (),
    allowed_relations: Sequence[str] = (),
) -> QueryConfig:
    chosen: list[str] = list(default_fields)
    explicit = False
    if p.fields is not None:
        explicit = True
        custom = [f for f in p.fields.split(",") if f]
        if not custom or any(not f.startswith(("-", "+", "*")) for f in custom):
            chosen = list(dict.fromkeys(f[1:] if f.startswith(("+", "-")) else f for f in custom))
        else:
            for f in custom:
                if f.startswith("+"):
                    chosen.append(f[1:])
                elif f.startswith("-"):
                    chosen = [c for c in chosen if c != f[1:]]
                else:
                    chosen.append(f)
        if is_list:
            chosen.append("created_at")
        chosen.append("id")
    stars = [f[1:] for f in chosen if f.startswith("*")]
    chosen = list(dict.fromkeys(f for f in chosen if not f.startswith("*")))
    if allowed_fields:
        refused = [
            f
            for f in [*chosen, *stars]
            if f not in allowed_fields
            and (f in stars or not any(f.startswith(allowed) for allowed in allowed_fields))
        ]
        if chosen and refused:
            raise invalid_data(f"Requested fields [{', '.join(refused)}] are not valid")
    relations = [f.rsplit(".", 1)[0] for f in chosen if "." in f]
    relations = list(dict.fromkeys([*relations, *TREE_RELATIONS, *stars]))
    if p.expand is not None:
        relations = list(dict.fromkeys(r for r in p.expand.split(",") if r))
        if allowed_relations and p.expand:
            refused = [r for r in relations if r not in allowed_relations]
            if refused:
                raise invalid_data(f"Requested fields [{', '.join(refused)}] are not valid")
    unknown = [r for r in relations if r not in KNOWN_RELATIONS]
    if unknown:
        # TypeORM fails on an unknown relation (Medusa answers 500); this is the caller's mistake
        raise invalid_data(f"Requested fields [{', '.join(unknown)}] are not valid")
    fields = tuple(f for f in chosen if "." not in f)
    return QueryConfig(fields=fields, relations=tuple(relations), explicit_fields=explicit)


ADMIN_RETRIEVE_DEFAULTS = QueryConfig(fields=COLUMNS, relations=TREE_RELATIONS)


def admin_config(p: CategoryRetrieveParams | CategoryListParams, *, is_list: bool) -> QueryConfig:
    return query_config(p, is_list=is_list, default_fields=COLUMNS, allowed_relations=TREE_RELATIONS)


def store_config(p: CategoryRetrieveParams | CategoryListParams, *, is_list: bool) -> QueryConfig:
    return query_config(p, is_list=is_list, default_fields=STORE_FIELDS, allowed_fields=STORE_FIELDS)


# ---- reading ---------------------------------------------------------------------------------


def _in_scope(category: ProductCategory) -> bool:
    # defaultStoreCategoryScope: what a storefront may see
    return category.is_active is True and category.is_internal is False


def _scoped(stmt: Select[Any]) -> Select[Any]:
    return stmt.where(ProductCategory.is_active.is_(True), ProductCategory.is_internal.is_(False))


def _sort_key(category: ProductCategory) -> tuple[int, str, str]:
    return (category.rank, category.handle, category.id)


async def get_category(tx: AsyncSession, category_id: str, *, store: bool = False) -> ProductCategory:
    stmt = select(ProductCategory).where(ProductCategory.id == category_id)
    if store:
        stmt = _scoped(stmt)
    category = (await tx.execute(stmt)).scalar_one_or_none()
    if category is None:
        # selectorConstraintsToString(selector)
        scope = ", is_internal: false, is_active: true" if store else ""
        raise not_found(f"ProductCategory with id: {category_id}{scope} was not found")
    return category


async def _descendants(tx: AsyncSession, root_ids: Iterable[str]) -> dict[str, list[ProductCategory]]:
    """Every category below `root_ids`, grouped by parent and sorted by rank: one recursive
    query (TypeORM's findDescendantsTree, whatever the depth or the number of roots)."""
    roots = list(dict.fromkeys(root_ids))
    if not roots:
        return {}
    tree = (
        select(ProductCategory.id)
        .where(ProductCategory.parent_category_id.in_(roots))
        .cte("category_tree", recursive=True)
    )
    child = ProductCategory.__table__.alias("child")
    tree = tree.union(select(child.c.id).join(tree, child.c.parent_category_id == tree.c.id))
    rows = (
        await tx.execute(select(ProductCategory).where(ProductCategory.id.in_(select(tree.c.id))))
    ).scalars()
    grouped: dict[str, list[ProductCategory]] = {}
    for row in rows:
        assert row.parent_category_id is not None
        grouped.setdefault(row.parent_category_id, []).append(row)
    for siblings in grouped.values():
        siblings.sort(key=_sort_key)
    return grouped


def _build_tree(
    category: ProductCategory,
    grouped: dict[str, list[ProductCategory]],
    scoped: bool,
    seen: frozenset[str] = frozenset(),
) -> list[Node]:
    seen = seen | {category.id}
    out = []
    for child in grouped.get(category.id, []):
        if child.id in seen or (scoped and not _in_scope(child)):
            # a hidden category hides its whole subtree
            continue
        out.append(Node(row=child, children=_build_tree(child, grouped, scoped, seen), tree=True))
    return out


async def _direct_children(
    tx: AsyncSession, parent_ids: Sequence[str], scoped: bool
) -> dict[str, list[ProductCategory]]:
    grouped: dict[str, list[ProductCategory]] = {pid: [] for pid in parent_ids}
    if not parent_ids:
        return grouped
    stmt = select(ProductCategory).where(ProductCategory.parent_category_id.in_(list(parent_ids)))
    if scoped:
        stmt = _scoped(stmt)
    for row in (await tx.execute(stmt)).scalars():
        assert row.parent_category_id is not None
        grouped[row.parent_category_id].append(row)
    for siblings in grouped.values():
        siblings.sort(key=_sort_key)
    return grouped


async def _parents(
    tx: AsyncSession, rows: Sequence[ProductCategory], scoped: bool
) -> dict[str, ProductCategory]:
    ids = list({r.parent_category_id for r in rows if r.parent_category_id})
    if not ids:
        return {}
    stmt = select(ProductCategory).where(ProductCategory.id.in_(ids))
    if scoped:
        stmt = _scoped(stmt)
    return {p.id: p for p in (await tx.execute(stmt)).scalars()}


async def _products(tx: AsyncSession, category_ids: Sequence[str]) -> dict[str, list[Product]]:
    grouped: dict[str, list[Product]] = {cid: [] for cid in category_ids}
    if not category_ids:
        return grouped
    link = t_product_category_product
    rows = await tx.execute(
        select(link.c.product_category_id, Product)
        .join(Product, Product.id == link.c.product_id)
        .where(link.c.product_category_id.in_(list(category_ids)), Product.deleted_at.is_(None))
        .order_by(Product.created_at, Product.id)
    )
    for category_id, product in rows.all():
        grouped[category_id].append(product)
    return grouped


async def load_nodes(
    tx: AsyncSession,
    rows: Sequence[ProductCategory],
    relations: Sequence[str],
    *,
    full_tree: bool,
    scoped: bool,
) -> list[Node]:
    """The relations of a page of categories in a bounded number of queries: parents, children
    (direct, or every descendant), products."""
    nodes = [Node(row=r) for r in rows]
    ids = [r.id for r in rows]
    if full_tree:
        grouped = await _descendants(tx, ids)
        for node in nodes:
            node.children = _build_tree(node.row, grouped, scoped)
            node.tree = True
    elif "category_children" in relations:
        direct = await _direct_children(tx, ids, scoped)
        for node in nodes:
            node.children = [Node(row=c) for c in direct[node.row.id]]
    if "parent_category" in relations:
        parents = await _parents(tx, rows, scoped)
        for node in nodes:
            node.has_parent = True
            pid = node.row.parent_category_id
            node.parent = parents.get(pid) if pid else None
    if "products" in relations:
        products = await _products(tx, ids)
        for node in nodes:
            node.products = products[node.row.id]
    return nodes


def _columns(category: ProductCategory, fields: Sequence[str]) -> dict[str, Any]:
    row = present(category) or {}
    return {name: row[name] for name in fields if name in row}


def present_node(
    node: Node, fields: Sequence[str], parent_fields: Sequence[str] | None = None
) -> dict[str, Any]:
    """A list's or an admin retrieve's shape: the root's selected columns; tree descendants with
    every column and their own category_children; direct children with the root's columns; the
    parent with the root's columns in a list (a join), all of them in a retrieve."""
    out = _columns(node.row, fields)
    if node.children is not None:
        out["category_children"] = [
            _present_descendant(c) if c.tree else _columns(c.row, fields) for c in node.children
        ]
    if node.has_parent:
        shown = fields if parent_fields is None else parent_fields
        out["parent_category"] = _columns(node.parent, shown) if node.parent is not None else None
    if node.products is not None:
        out["products"] = [present(p) for p in node.products]
    return out


def _present_descendant(node: Node) -> dict[str, Any]:
    out = _columns(node.row, COLUMNS)
    out["category_children"] = [_present_descendant(c) for c in node.children or []]
    return out


def present_picked(node: Node, config: QueryConfig) -> dict[str, Any]:
    """The store's retrieve: transformTreeNodesWithConfig picks the selected columns and the
    relations from the category and, with the same list, from every node below it (keys in
    alphabetical order, as Medusa's answer has them)."""
    fields = sorted(f for f in config.fields if f in COLUMNS)
    relations = sorted(config.relations)

    def pick(n: Node, with_parent: bool) -> dict[str, Any]:
        out = _columns(n.row, fields)
        for relation in relations:
            if relation == "category_children" and n.children is not None:
                out[relation] = [pick(c, False) for c in n.children]
            elif relation == "parent_category" and with_parent and n.has_parent:
                out[relation] = pick(Node(row=n.parent), False) if n.parent is not None else None
            elif relation == "products" and n.products is not None:
                out[relation] = [present(p) for p in n.products]
        return out

    return pick(node, True)


async def retrieve_node(
    tx: AsyncSession, category_id: str, relations: Sequence[str], *, store: bool = False
) -> Node:
    """findOneWithDescendants: the category, its parent, and every category below it."""
    category = await get_category(tx, category_id, store=store)
    (node,) = await load_nodes(tx, [category], relations, full_tree=True, scoped=store)
    return node


async def present_admin_category(tx: AsyncSession, category_id: str, config: QueryConfig) -> dict[str, Any]:
    node = await retrieve_node(tx, category_id, config.relations)
    return present_node(node, _answer_fields(config), parent_fields=COLUMNS)


def _answer_fields(config: QueryConfig) -> tuple[str, ...]:
    if not config.explicit_fields:
        return config.fields
    return tuple(c for c in COLUMNS if c in config.fields)


def _bool_filter(name: str, value: str) -> bool:
    parsed = _BOOLEAN_TEXT.get(value.strip().lower())
    if parsed is None:
        # PostgreSQL refuses the text (Medusa answers 500)
        raise invalid_data(f"{name} must be a boolean value")
    return parsed


async def list_categories(
    tx: AsyncSession, p: CategoryListParams, *, store: bool
) -> tuple[list[ProductCategory], int]:
    """getFreeTextSearchResultsAndCount: filters, `q` on name or handle, rank then handle order
    (Medusa ignores `order` here)."""
    stmt = select(ProductCategory)
    if store:
        stmt = _scoped(stmt)
    given = p.model_fields_set
    if p.q:
        pattern = f"%{p.q}%"
        stmt = stmt.where(or_(ProductCategory.name.ilike(pattern), ProductCategory.handle.ilike(pattern)))
    elif p.handle is not None:
        stmt = stmt.where(ProductCategory.handle == p.handle)
    if isinstance(p, AdminGetProductCategoriesParams):
        if p.is_internal is not None:
            stmt = stmt.where(ProductCategory.is_internal == _bool_filter("is_internal", p.is_internal))
        if p.is_active is not None:
            stmt = stmt.where(ProductCategory.is_active == _bool_filter("is_active", p.is_active))
    if "parent_category_id" in given:
        if p.parent_category_id is None:
            stmt = stmt.where(ProductCategory.parent_category_id.is_(None))
        else:
            stmt = stmt.where(ProductCategory.parent_category_id == p.parent_category_id)
    count = await count_rows(tx, stmt)
    stmt = stmt.order_by(ProductCategory.rank, ProductCategory.handle, ProductCategory.id).offset(p.offset)
    if p.limit:
        stmt = stmt.limit(p.limit)
    return list((await tx.execute(stmt)).scalars()), count


async def present_list(
    tx: AsyncSession, p: CategoryListParams, config: QueryConfig, *, store: bool
) -> tuple[list[dict[str, Any]], int]:
    rows, count = await list_categories(tx, p, store=store)
    nodes = await load_nodes(
        tx, rows, config.relations, full_tree=bool(p.include_descendants_tree), scoped=store
    )
    fields = _answer_fields(config)
    if store and not config.explicit_fields:
        fields = tuple(c for c in COLUMNS if c in STORE_FIELDS)
    return [present_node(n, fields) for n in nodes], count


async def present_store_category(tx: AsyncSession, category_id: str, config: QueryConfig) -> dict[str, Any]:
    node = await retrieve_node(tx, category_id, config.relations, store=True)
    return present_picked(node, config)


# ---- writing: checks -------------------------------------------------------------------------


async def _ensure_handle_free(tx: AsyncSession, handle: str, category_id: str | None) -> None:
    stmt = select(ProductCategory.id).where(ProductCategory.handle == handle)
    if category_id is not None:
        stmt = stmt.where(ProductCategory.id != category_id)
    if (await tx.execute(stmt.limit(1))).first() is not None:
        # PostgreSQL's 23505 as Medusa's exception formatter words it
        raise duplicate(f"Product_category with handle {handle} already exists.")


async def _count_siblings(tx: AsyncSession, parent_id: str | None, exclude_id: str | None = None) -> int:
    stmt = select(func.count()).select_from(ProductCategory).where(_parent_is(parent_id))
    if exclude_id is not None:
        stmt = stmt.where(ProductCategory.id != exclude_id)
    return int((await tx.execute(stmt)).scalar_one())


def _parent_is(parent_id: str | None) -> Any:
    if parent_id is None:
        return ProductCategory.parent_category_id.is_(None)
    return ProductCategory.parent_category_id == parent_id


async def _lock_siblings(tx: AsyncSession, *parent_ids: str | None) -> None:
    """Serialise the writers of one sibling list on PostgreSQL (a transaction-scoped advisory
    lock per parent, in a fixed order), so two requests never count the same free rank. SQLite
    writers are serial already (BEGIN IMMEDIATE)."""
    if tx.get_bind().dialect.name != "postgresql":
        return
    for key in sorted({f"product_category:{pid or ''}" for pid in parent_ids}):
        await tx.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


async def _flush_unique_handle(tx: AsyncSession, handle: str) -> None:
    """Flush; a handle taken by a concurrent request since the check is Medusa's duplicate."""
    try:
        async with tx.begin_nested():
            await tx.flush()
    except IntegrityError:
        raise duplicate(f"Product_category with handle {handle} already exists.") from None


async def _shift(
    tx: AsyncSession,
    parent_id: str | None,
    exclude_id: str,
    delta: int,
    now: datetime.datetime,
    *,
    low: int,
    high: int | None = None,
) -> None:
    """Move the siblings ranked in [low, high] (high None: no upper bound) one rank up or down,
    as shiftSiblings saves them one by one, in two set-based steps."""
    where = [_parent_is(parent_id), ProductCategory.id != exclude_id, ProductCategory.rank >= low]
    if high is not None:
        where.append(ProductCategory.rank <= high)
    else:
        where.append(ProductCategory.rank < _SHIFT_OFFSET)
    moved = await tx.execute(
        update(ProductCategory)
        .where(*where)
        .values(rank=ProductCategory.rank + _SHIFT_OFFSET)
        .execution_options(synchronize_session=False)
    )
    if not getattr(moved, "rowcount", 1):
        return
    await tx.execute(
        update(ProductCategory)
        .where(_parent_is(parent_id), ProductCategory.id != exclude_id, ProductCategory.rank >= _SHIFT_OFFSET)
        .values(rank=ProductCategory.rank - _SHIFT_OFFSET + delta, updated_at=now)
        .execution_options(synchronize_session=False)
    )


# ---- writing ---------------------------------------------------------------------------------


async def create_category(tx: AsyncSession, data: AdminPostProductCategoriesReq) -> ProductCategory:
    given = data.model_fields_set
    parent_id = data.parent_category_id or None
    await _lock_siblings(tx, parent_id)
    # Medusa counts every category when parent_category_id is left out (countBy with undefined);
    # the rank a new category takes is the end of its own siblings, root or not.
    rank = await _count_siblings(tx, parent_id)
    parent = await get_category(tx, parent_id) if parent_id else None
    handle = data.handle or kebab_case(data.name)
    await _ensure_handle_free(tx, handle, None)
    category_id = generate_id("pcat")
    values: dict[str, Any] = {
        "id": category_id,
        "name": data.name,
        "handle": handle,
        "rank": rank,
        "parent_category_id": parent.id if parent is not None else None,
        "mpath": f"{parent.mpath or ''}{category_id}." if parent is not None else f"{category_id}.",
    }
    if "description" in given and data.description is not None:
        values["description"] = data.description
    for flag in ("is_active", "is_internal"):
        if flag in given:
            # an explicit null is stored as NULL (TypeORM inserts it), not the column default
            value = getattr(data, flag)
            values[flag] = null() if value is None else value
    if data.metadata is not None:
        values["metadata_"] = data.metadata
    category = ProductCategory(**values)
    tx.add(category)
    await _flush_unique_handle(tx, handle)
    emit(tx, CREATED, {"id": category.id})
    return category


async def _is_below(tx: AsyncSession, category_id: str, candidate_id: str) -> bool:
    """Whether `candidate_id` is `category_id` or one of its descendants."""
    if candidate_id == category_id:
        return True
    grouped = await _descendants(tx, [category_id])
    return any(c.id == candidate_id for siblings in grouped.values() for c in siblings)


async def update_category(
    tx: AsyncSession, category_id: str, data: AdminPostProductCategoriesCategoryReq
) -> ProductCategory:
    category = await get_category(tx, category_id)
    given = data.model_fields_set
    now = utcnow()

    # fetchReorderConditions
    original_parent = category.parent_category_id
    original_rank = category.rank
    parent_given = "parent_category_id" in given
    # "" makes a root, as null does (Medusa's transformParentIdToEntity reads it so)
    target_parent = (data.parent_category_id or None) if parent_given else None
    change_parent = parent_given and target_parent != original_parent
    rank_given = "rank" in given
    change_rank = change_parent or (rank_given and data.rank != original_rank)

    if change_rank:
        await _lock_siblings(tx, original_parent, *([target_parent] if change_parent else []))
    # Medusa's order: the new parent is fetched (404), then the row is saved (NOT NULL before the
    # unique handle), then the siblings are shifted (a null rank fails there)
    new_parent = None
    if change_parent and target_parent is not None:
        new_parent = await get_category(tx, target_parent)
        if await _is_below(tx, category.id, new_parent.id):
            raise invalid_data(
                f"ProductCategory ({category.id}) cannot be moved under itself or one of its descendants"
            )
    for column in ("name", "handle"):
        if column in given:
            refuse_nulls("product_category", {column: getattr(data, column)}, (column,))
    if "handle" in given and data.handle != category.handle:
        assert data.handle is not None
        await _ensure_handle_free(tx, data.handle, category.id)
    if rank_given and change_rank:
        refuse_nulls("product_category", {"rank": data.rank}, ("rank",))

    changes: dict[str, Any] = {}
    if data.metadata is not None:
        changes["metadata_"] = merge_metadata(category.metadata_, data.metadata)
    for column in ("name", "handle", "description", "is_active", "is_internal"):
        if column in given:
            changes[column] = getattr(data, column)
    old_mpath = category.mpath
    if change_parent:
        changes["parent_category_id"] = new_parent.id if new_parent is not None else None
        prefix = (new_parent.mpath or "") if new_parent is not None else ""
        changes["mpath"] = f"{prefix}{category.id}."
    if change_rank:
        changes["rank"] = TEMP_RANK
    for attr, value in changes.items():
        if getattr(category, attr) != value:
            setattr(category, attr, value)
    await _flush_unique_handle(tx, category.handle)

    if change_parent:
        await _move_subtree(tx, category, old_mpath, now)
    if change_rank:
        await _reorder(
            tx,
            category,
            original_parent=original_parent,
            original_rank=original_rank,
            change_parent=change_parent,
            target_rank=data.rank if rank_given else None,
            now=now,
        )
    emit(tx, UPDATED, {"id": category.id})
    return category


async def _move_subtree(tx: AsyncSession, category: ProductCategory, old_mpath: str | None, now: Any) -> None:
    """TypeORM's materialized-path update: every descendant's mpath gets the new prefix."""
    if not old_mpath or not category.mpath or old_mpath == category.mpath:
        return
    await tx.execute(
        update(ProductCategory)
        .where(
            func.substr(ProductCategory.mpath, 1, len(old_mpath)) == old_mpath,
            ProductCategory.id != category.id,
        )
        .values(
            mpath=literal(category.mpath) + func.substr(ProductCategory.mpath, len(old_mpath) + 1),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )


async def _reorder(
    tx: AsyncSession,
    category: ProductCategory,
    *,
    original_parent: str | None,
    original_rank: int,
    change_parent: bool,
    target_rank: int | None,
    now: datetime.datetime,
) -> None:
    """performReordering / shiftSiblings, for a category parked at TEMP_RANK."""
    if change_parent:
        # close the gap it left among its old siblings
        remaining = await _count_siblings(tx, original_parent, category.id)
        await _shift(tx, original_parent, category.id, -1, now, low=min(original_rank, remaining))
        parent_id = category.parent_category_id
        count = await _count_siblings(tx, parent_id, category.id)
        rank = count if target_rank is None or target_rank > count else target_rank
        # open a slot among the new siblings
        await _shift(tx, parent_id, category.id, +1, now, low=rank)
    else:
        count = await _count_siblings(tx, original_parent, category.id)
        rank = count if target_rank is None or target_rank > count else target_rank
        if original_rank > rank:
            await _shift(tx, original_parent, category.id, +1, now, low=rank, high=original_rank)
        else:
            await _shift(tx, original_parent, category.id, -1, now, low=original_rank, high=rank)
    category.rank = rank
    await tx.flush()


async def delete_category(tx: AsyncSession, category_id: str) -> None:
    """A hard delete (its product links go with it); an unknown id is no error, a category with
    children is refused; the siblings after it move one rank up."""
    category = (
        await tx.execute(select(ProductCategory).where(ProductCategory.id == category_id))
    ).scalar_one_or_none()
    if category is None:
        return
    await _lock_siblings(tx, category.parent_category_id)
    has_children = (
        await tx.execute(
            select(ProductCategory.id).where(ProductCategory.parent_category_id == category.id).limit(1)
        )
    ).first()
    if has_children is not None:
        raise not_allowed(f"Deleting ProductCategory ({category_id}) with category children is not allowed")
    parent_id, rank = category.parent_category_id, category.rank
    await tx.execute(
        delete(t_product_category_product).where(
            t_product_category_product.c.product_category_id == category.id
        )
    )
    await tx.delete(category)
    await tx.flush()
    remaining = await _count_siblings(tx, parent_id, category.id)
    await _shift(tx, parent_id, category.id, -1, utcnow(), low=min(rank, remaining))
    emit(tx, DELETED, {"id": category.id})


async def ensure_products_exist(tx: AsyncSession, product_ids: Sequence[str]) -> None:
    """validateProductsExist: every id names a product that is not deleted."""
    if not product_ids:
        return
    found = set(
        (
            await tx.execute(
                select(Product.id).where(Product.id.in_(list(product_ids)), Product.deleted_at.is_(None))
            )
        ).scalars()
    )
    missing = [pid for pid in product_ids if pid not in found]
    if missing:
        raise RequestErrors([f"Products {', '.join(missing)} do not exist"])


async def add_products(tx: AsyncSession, category_id: str, product_ids: Sequence[str]) -> None:
    """validateProductsExist, then ProductCategoryRepository.addProducts (INSERT … ON CONFLICT
    DO NOTHING)."""
    await ensure_products_exist(tx, product_ids)
    wanted = list(dict.fromkeys(product_ids))
    if not wanted:
        return
    exists = (await tx.execute(select(ProductCategory.id).where(ProductCategory.id == category_id))).first()
    if exists is None:
        # the foreign key's refusal, as Medusa's exception formatter words it
        raise not_found(f"Product_category with product_category_id {category_id} does not exist.")
    link = t_product_category_product
    present_ids = set(
        (
            await tx.execute(
                select(link.c.product_id).where(
                    and_(link.c.product_category_id == category_id, link.c.product_id.in_(wanted))
                )
            )
        ).scalars()
    )
    new = [pid for pid in wanted if pid not in present_ids]
    if new:
        await tx.execute(
            insert(link), [{"product_category_id": category_id, "product_id": pid} for pid in new]
        )


async def remove_products(tx: AsyncSession, category_id: str, product_ids: Sequence[str]) -> None:
    """validateProductsExist, then the links go (the category's 404 comes with the answer)."""
    await ensure_products_exist(tx, product_ids)
    if not product_ids:
        return
    link = t_product_category_product
    await tx.execute(
        delete(link).where(
            link.c.product_category_id == category_id, link.c.product_id.in_(list(product_ids))
        )
    )
