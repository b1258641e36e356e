"""Rows rendered as Medusa's JSON by the database itself, in one statement.

Listing 20 products with their variants, prices, options, images, tags, type, collection, profiles,
sales channels and categories costs one SQL statement that returns the finished JSON text: no ORM
objects, no per-row Python, no parsing (PostgreSQL builds it with json_build_object / json_agg,
SQLite by concatenating json_quote()d values, which never re-parses nested arrays). Python only
splices that text into the response envelope.

A relation tree ({"variants": {"prices": {}}, ...}) names the ORM relationships to include; the
joins, the soft-delete filters (TypeORM leaves deleted rows out of its joins) and the order of each
relation come from the relationship declarations of the models. Keys come in Medusa's order
(`KEY_ORDER`, else the model's columns with id and the timestamps first and metadata last), and
values as Medusa writes them: timestamps as JavaScript's toISOString() (millisecond precision,
"Z"), booleans as true/false, JSON columns embedded.

The SQL text depends only on the shape (model, tree, fields, dialect), so it is built once per
shape and cached; the rows are chosen by bound parameters.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, inspect
from sqlalchemy.orm import RelationshipProperty

from mercato.core.errors import invalid_data
from mercato.core.present import Tree

Pairs = list[tuple[str, str]]

# Medusa's key order for the models products answer with (TypeORM's column order).
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "product": (
        "id", "created_at", "updated_at", "deleted_at", "title", "subtitle", "description", "handle",
        "is_giftcard", "status", "thumbnail", "weight", "length", "height", "width", "hs_code",
        "origin_country", "mid_code", "material", "collection_id", "type_id", "discountable",
        "external_id", "metadata",
    ),
    "product_variant": (
        "id", "created_at", "updated_at", "deleted_at", "title", "product_id", "sku", "barcode", "ean",
        "upc", "variant_rank", "inventory_quantity", "allow_backorder", "manage_inventory", "hs_code",
        "origin_country", "mid_code", "material", "weight", "length", "height", "width", "metadata",
    ),
    "money_amount": (
        "id", "created_at", "updated_at", "deleted_at", "currency_code", "amount", "min_quantity",
        "max_quantity", "price_list_id", "region_id",
    ),
    "product_option": ("id", "created_at", "updated_at", "deleted_at", "title", "product_id", "metadata"),
    "product_option_value": (
        "id", "created_at", "updated_at", "deleted_at", "value", "option_id", "variant_id", "metadata",
    ),
    "image": ("id", "created_at", "updated_at", "deleted_at", "url", "metadata"),
    "product_tag": ("id", "created_at", "updated_at", "deleted_at", "value", "metadata"),
    "product_type": ("id", "created_at", "updated_at", "deleted_at", "value", "metadata"),
    "product_collection": ("id", "created_at", "updated_at", "deleted_at", "title", "handle", "metadata"),
    "product_category": (
        "id", "created_at", "updated_at", "name", "description", "handle", "is_active", "is_internal",
        "parent_category_id", "rank", "metadata",
    ),
    "shipping_profile": ("id", "created_at", "updated_at", "deleted_at", "name", "type", "metadata"),
    "sales_channel": (
        "id", "created_at", "updated_at", "deleted_at", "name", "description", "is_disabled", "metadata",
    ),
    "price_list": (
        "id", "created_at", "updated_at", "deleted_at", "name", "description", "type", "status",
        "starts_at", "ends_at", "includes_tax",
    ),
}  # fmt: skip

_FIRST = ("id", "created_at", "updated_at", "deleted_at")


def key_order(model: type) -> tuple[str, ...]:
    table = model.__table__  # type: ignore[attr-defined]
    known = KEY_ORDER.get(table.name)
    if known is not None:
        return known
    hidden = set(getattr(model, "__hidden__", ()))
    names = [c.name for c in table.columns if c.name not in hidden]
    head = [n for n in _FIRST if n in names]
    tail = [n for n in names if n not in _FIRST and n != "metadata"]
    return tuple(head + tail + (["metadata"] if "metadata" in names else []))


def _q(name: str) -> str:
    return f'"{name}"'


@dataclass
class Scope:
    """One render: fresh table aliases, and the relation path being rendered."""

    count: int = 0
    path: list[str] = field(default_factory=list)
    # PostgreSQL: lateral subqueries joined to the row of an alias, computed once per row
    laterals: dict[str, list[str]] = field(default_factory=dict)

    def alias(self) -> str:
        self.count += 1
        return f"j{self.count}"

    def lateral(self, row: str, sql: str) -> str:
        """Compute `sql` once per row of `row` (a LEFT JOIN LATERAL); returns its reference."""
        name = self.alias()
        self.laterals.setdefault(row, []).append(f" LEFT JOIN LATERAL (SELECT {sql} AS v) {name} ON true")
        return f"{name}.v"

    def joined(self, row: str, source: str) -> str:
        return source + "".join(self.laterals.pop(row, ()))

    @contextmanager
    def enter(self, name: str) -> Iterator[None]:
        self.path.append(name)
        try:
            yield
        finally:
            self.path.pop()


class Renderer:
    """Builds the SQL that renders rows of a model (and their relations) as JSON text."""

    def __init__(self, dialect: str, nested_fields: dict[str, set[str]] | None = None) -> None:
        if dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported dialect {dialect}")
        self.pg = dialect == "postgresql"
        # `fields=variants.title`: the columns of a relation, by its path ("variants")
        self.nested_fields = nested_fields or {}

    # ---- values ------------------------------------------------------------------------------

    def value(self, alias: str, column: Any) -> str:
        ref = f"{alias}.{_q(column.name)}"
        kind = column.type
        if isinstance(kind, DateTime):
            if self.pg:
                return f"""to_char({ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"""
            # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC); toISOString() truncates to ms
            stamp = f"""printf('"%.10sT%.12sZ"', {ref}, substr({ref}||'.000',12))"""
            if column.nullable:
                return f"(CASE WHEN {ref} IS NULL THEN 'null' ELSE {stamp} END)"
            return stamp
        if self.pg:
            return ref
        if isinstance(kind, Boolean):
            return f"(CASE WHEN {ref} IS NULL THEN 'null' WHEN {ref} THEN 'true' ELSE 'false' END)"
        if isinstance(kind, JSON):
            return f"coalesce({ref},'null')"
        return f"json_quote({ref})"

    def literal(self, text: str) -> str:
        """A constant JSON value (null, true, a number) as a pair value."""
        if self.pg:
            return f"'{text}'::json"
        return f"'{text}'"

    # ---- composition -------------------------------------------------------------------------

    def obj(self, pairs: Pairs) -> str:
        if self.pg:
            if len(pairs) > 50:
                raise ValueError("json_build_object takes at most 100 arguments")
            return "json_build_object(" + ", ".join(f"'{k}', {v}" for k, v in pairs) + ")"
        if not pairs:
            return "'{}'"
        # one printf builds the object in a single pass (chained || would copy it once per key)
        template = "{" + ",".join(f'"{key}":%s' for key, _ in pairs) + "}"
        return f"printf('{template}', " + ", ".join(value for _, value in pairs) + ")"

    def array(self, item: str, source: str, where: str, order: str) -> str:
        if self.pg:
            order = f" ORDER BY {order}" if order else ""
            return f"coalesce((SELECT json_agg({item}{order}) FROM {source} WHERE {where}), '[]'::json)"
        if not order:
            return f"('['||coalesce((SELECT group_concat({item}, ',') FROM {source} WHERE {where}),'')||']')"
        return (
            f"('['||coalesce((SELECT group_concat(o, ',') FROM (SELECT {item} AS o FROM {source} "
            f"WHERE {where} ORDER BY {order})),'')||']')"
        )

    def single(self, item: str, source: str, where: str, order: str | None = None) -> str:
        tail = f" ORDER BY {order}" if order else ""
        if self.pg:
            return f"(SELECT {item} FROM {source} WHERE {where}{tail} LIMIT 1)"
        return f"coalesce((SELECT {item} FROM {source} WHERE {where}{tail} LIMIT 1),'null')"

    def case(self, condition: str, then: str, otherwise: str) -> str:
        return f"(CASE WHEN {condition} THEN {then} ELSE {otherwise} END)"

    # ---- models ------------------------------------------------------------------------------

    def columns(
        self, model: type, alias: str, fields: set[str] | None = None, *, with_id: bool = True
    ) -> Pairs:
        table = model.__table__  # type: ignore[attr-defined]
        pairs: Pairs = []
        for name in key_order(model):
            if fields is not None and name not in fields and (name != "id" or not with_id):
                continue
            pairs.append((name, self.value(alias, table.c[name])))
        return pairs

    def relation(self, model: type, name: str) -> RelationshipProperty[Any]:
        rel: RelationshipProperty[Any] | None = inspect(model).relationships.get(name)
        if rel is None:
            raise invalid_data(f"Relation {name} is not a valid relation of {model.__name__}")
        return rel

    def join(
        self, rel: RelationshipProperty[Any], parent: str, child: str, scope: Scope
    ) -> tuple[str, str, str]:
        """FROM, WHERE and ORDER BY of the rows of `rel` for the parent row aliased `parent`."""
        target = rel.mapper.class_
        table = target.__table__
        conditions: list[str] = []
        source = f"{_q(table.name)} {child}"
        secondary: Any = rel.secondary
        if secondary is not None:
            link = scope.alias()
            source += f" JOIN {_q(secondary.name)} {link} ON " + " AND ".join(
                f"{link}.{_q(sec.name)} = {child}.{_q(col.name)}"
                for col, sec in rel.secondary_synchronize_pairs or ()
            )
            conditions += [
                f"{link}.{_q(sec.name)} = {parent}.{_q(col.name)}" for col, sec in rel.synchronize_pairs
            ]
            if "deleted_at" in secondary.c:
                conditions.append(f"{link}.deleted_at IS NULL")
        else:
            for local, remote in rel.local_remote_pairs:
                conditions.append(f"{child}.{_q(remote.name)} = {parent}.{_q(local.name)}")
        if "deleted_at" in table.c:
            conditions.append(f"{child}.deleted_at IS NULL")
        # Without an explicit order, rows come in the order of the index on the link (insertion
        # order), as Medusa's unordered joins return them.
        order = ", ".join(f"{child}.{_q(col.name)}" for col in rel.order_by or ())
        return source, " AND ".join(conditions), order

    def relation_value(self, model: type, name: str, sub: Tree, parent: str, scope: Scope) -> str:
        rel = self.relation(model, name)
        child = scope.alias()
        source, where, order = self.join(rel, parent, child, scope)
        target = rel.mapper.class_
        with scope.enter(name):
            item = self.obj(self.pairs(target, child, sub, scope))
        source = scope.joined(child, source)
        if rel.uselist:
            return self.array(item, source, where, order)
        return self.single(item, source, where)

    def pairs(
        self, model: type, alias: str, tree: Tree, scope: Scope, fields: set[str] | None = None
    ) -> Pairs:
        """The keys of one row: its columns, then its relations (Medusa's merge puts them in name
        order), then whatever `extra` adds."""
        with_id = True
        if fields is None and scope.path:
            fields = self.nested_fields.get(".".join(scope.path))
            # a relation's selected columns come without its id, as TypeORM answers them
            with_id = fields is None
        out = self.columns(model, alias, fields, with_id=with_id)
        for name in sorted(tree):
            out.append((name, self.relation_value(model, name, tree[name], alias, scope)))
        out.extend(self.extra(model, alias, tree, scope))
        return self.arrange(model, out)

    def extra(self, model: type, alias: str, tree: Tree, scope: Scope) -> Pairs:
        """Computed keys of a model (none by default)."""
        return []

    def arrange(self, model: type, pairs: Pairs) -> Pairs:
        return pairs

    # ---- statements --------------------------------------------------------------------------

    def many_by_ids(self, model: type, tree: Tree, fields: set[str] | None = None) -> str:
        """SQL with one text column: the JSON array of the rows whose ids are `:ids`, in that order."""
        scope = Scope()
        alias = scope.alias()
        table = _q(model.__table__.name)  # type: ignore[attr-defined]
        item = self.obj(self.pairs(model, alias, tree, scope, fields))
        if self.pg:
            ids = "CAST(:ids AS text[])"
            source = scope.joined(alias, f"{table} {alias}")
            return (
                f"SELECT coalesce(json_agg({item} ORDER BY array_position({ids}, {alias}.id::text)), "
                f"'[]'::json)::text FROM {source} WHERE {alias}.id = ANY({ids})"
            )
        return (
            f"SELECT '['||coalesce(group_concat(o, ','),'')||']' FROM (SELECT {item} AS o "
            f"FROM json_each(:ids) AS u JOIN {table} {alias} ON {alias}.id = u.value ORDER BY u.key)"
        )

    def ids_param(self, ids: Sequence[str]) -> Any:
        if self.pg:
            return list(ids)
        import orjson

        return orjson.dumps(list(ids)).decode()
