"""Read-only order trees as plain dicts, straight from Core selects (no ORM identity map).

`load_trees(tx, Model, ids, tree)` returns, in `ids` order, one dict per row holding every
column (as `core.present.present` prints it: ISO dates, JS numbers, REAL columns as JavaScript
reads a PostgreSQL `real`) plus the relations of `tree`, recursively. Many-to-one relations are
LEFT JOINed into their parent's SELECT; every collection costs one SELECT for all its parents;
so a tree costs a fixed number of statements whatever the number of rows (and a level with no
parent rows costs none). On PostgreSQL, the tree of one row is read in one statement instead:
its collections come nested as JSON arrays (see _JsonLevel). `dictify(obj, tree)` gives the
same dicts for ORM objects already loaded, so both paths share one presenter.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from sqlalchemy import (
    REAL,
    BinaryExpression,
    DateTime,
    Float,
    Numeric,
    any_,
    bindparam,
    exists,
    func,
    literal_column,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import operators
from sqlalchemy.sql.util import ClauseAdapter

from mercato.core.present import Tree, _columns, _value
from mercato.db import raw
from mercato.pricing.taxes import float4

Conv = Callable[[Any], Any]


def _real(value: Any) -> Any:
    return _value(float4(value))


def _datetime(value: Any) -> Any:
    """core.clock.iso (JavaScript's toISOString), through the faster isoformat."""
    if not isinstance(value, datetime.datetime):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="milliseconds") + "Z"


def _float(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else _value(value)


def _converter(column: Any) -> Conv | None:
    kind = column.type
    if isinstance(kind, REAL):
        return _real
    if isinstance(kind, DateTime):
        return _datetime
    if isinstance(kind, Float):
        return _float
    if isinstance(kind, Numeric):
        return _value
    python_type: Any
    try:
        python_type = kind.python_type
    except NotImplementedError:
        return _value
    if python_type in (str, int, bool, dict, list, decimal.Decimal):
        return None if python_type is not decimal.Decimal else _value
    return _value


class _Shape:
    """One mapped class: its printed columns and their converters."""

    def __init__(self, model: type) -> None:
        self.model = model
        self.mapper: Any = sa_inspect(model)
        self.table: Any = self.mapper.local_table
        self.names = [name for _attr, name in _columns(model)]
        self.attrs = [attr for attr, _name in _columns(model)]
        self.convs = [
            (i, name, conv)
            for i, name in enumerate(self.names)
            if (conv := _converter(self.table.c[name])) is not None
        ]
        self.conv_of = {name: conv for _i, name, conv in self.convs}
        primary: Any = self.mapper.primary_key
        pk: list[str] = [column.name for column in primary]
        self.pk: str = pk[0]  # the key of a parent in a join-based collection query
        self.pk_indexes = [self.names.index(n) for n in pk]

    def make(self, values: Sequence[Any]) -> dict[str, Any]:
        out = dict(zip(self.names, values, strict=False))
        for _i, name, conv in self.convs:
            value = out[name]
            if value is not None:
                out[name] = conv(value)
        return out

    def of(self, obj: Any) -> dict[str, Any]:
        return self.make([getattr(obj, a) for a in self.attrs])


_SHAPES: dict[type, _Shape] = {}


def shape(model: type) -> _Shape:
    found = _SHAPES.get(model)
    if found is None:
        found = _SHAPES[model] = _Shape(model)
    return found


def row_dict(model: type, values: dict[str, Any]) -> dict[str, Any]:
    """The dict a read of a row holding `values` (by column name; a column not given holds
    NULL) gives: for a row this transaction has just written, instead of reading it back."""
    found = shape(model)
    return found.make([values.get(name) for name in found.names])


def assign(model: type, row: dict[str, Any], values: dict[str, Any]) -> None:
    """Columns of a read row (a dict of `model`) set to `values` (by column name) as a read of
    them would give: what this transaction has written to it since it was read."""
    convs = shape(model).conv_of
    for name, value in values.items():
        conv = convs.get(name)
        row[name] = conv(value) if conv is not None and value is not None else value


# ---- ORM objects -----------------------------------------------------------------------------


def dictify(obj: Any, tree: Tree | None = None) -> dict[str, Any] | None:
    """The dict of an ORM object with the relations of `tree` that were loaded."""
    if obj is None:
        return None
    out = shape(type(obj)).of(obj)
    for name, sub in (tree or {}).items():
        if name not in obj.__dict__:
            continue
        value = obj.__dict__[name]
        if isinstance(value, list | tuple):
            out[name] = [dictify(v, sub) for v in value]
        else:
            out[name] = dictify(value, sub)
    return out


# ---- Core loading ----------------------------------------------------------------------------


class _Node:
    """A table inside one SELECT: the level's base table or a LEFT JOINed many-to-one."""

    def __init__(self, shape_: _Shape, selectable: Any) -> None:
        self.shape = shape_
        self.selectable = selectable
        self.offset = 0
        self.joined: list[tuple[str, _Node]] = []
        self.collections: list[tuple[str, Any, Tree]] = []

    def columns(self) -> list[Any]:
        return [self.selectable.c[n] for n in self.shape.names]


def _joinable(rel: Any) -> bool:
    return not rel.uselist and rel.secondary is None


def _plan(node: _Node, tree: Tree, joins: list[tuple[Any, Any]], nodes: list[_Node]) -> None:
    mapper = node.shape.mapper
    for name, sub in tree.items():
        rel = mapper.relationships[name]
        if _joinable(rel):
            target = shape(rel.mapper.class_)
            alias = target.table.alias()
            onclause = ClauseAdapter(alias).traverse(rel.primaryjoin)
            if node.selectable is not node.shape.table:
                onclause = ClauseAdapter(node.selectable).traverse(onclause)
            child = _Node(target, alias)
            joins.append((alias, onclause))
            nodes.append(child)
            node.joined.append((name, child))
            _plan(child, sub, joins, nodes)
        else:
            node.collections.append((name, rel, sub))


def _simple_key(rel: Any) -> tuple[Any, Any] | None:
    """(parent column, child column) when the collection is `parent.col == child.col` alone."""
    join = rel.primaryjoin
    if (
        rel.secondary is not None
        or not isinstance(join, BinaryExpression)
        or join.operator is not operators.eq
    ):
        return None
    pairs = rel.local_remote_pairs
    if len(pairs) != 1:
        return None
    return pairs[0]


class _Level:
    def __init__(self, model: type, tree: Tree) -> None:
        self.root = _Node(shape(model), shape(model).table)
        self.joins: list[tuple[Any, Any]] = []
        self.nodes: list[_Node] = [self.root]
        _plan(self.root, tree, self.joins, self.nodes)
        offset = 0
        columns: list[Any] = []
        for node in self.nodes:
            node.offset = offset
            cols = node.columns()
            offset += len(cols)
            columns.extend(cols)
        self.columns = columns
        self.width = offset
        # A node with at least _PROBE_MIN collections reads, with each row, whether each of
        # them has rows (orders usually have no claims, swaps, returns, refunds, gift cards…):
        # a collection empty for every row is not queried. The flags follow the columns.
        self.flags: list[Any] = []
        self.flag_slots: dict[int, list[tuple[int, int]]] = {}  # id(node) -> [(collection, row index)]
        for node in self.nodes:
            probed = [
                (i, found)
                for i, (_name, rel, _sub) in enumerate(node.collections)
                if (found := _probe_column(rel, node.shape)) is not None
            ]
            if len(node.collections) < _PROBE_MIN or len(probed) < _PROBE_MIN:
                continue
            slots = self.flag_slots[id(node)] = []
            for i, (key, remote) in probed:
                # the child table aliased: a self-referencing collection must not correlate twice
                inner = remote.table.alias()
                flag = exists().where(inner.c[remote.name] == node.selectable.c[key])
                slots.append((i, offset + len(self.flags)))
                self.flags.append(flag.label(f"__has{len(self.flags)}"))
        self.key_index = offset + len(self.flags)  # of the `extra` column of a collection query
        # statements by key mode (see _in)
        self.by_ids: dict[str, Any] = {}
        # PostgreSQL's one-statement form: per enclosing tables, and as a root (False: none)
        self.json: dict[frozenset[Any], _JsonLevel] = {}
        self.json_root: Any = None
        # relation -> (statement with an expanding `keys` parameter, parent dict key)
        self.statements: dict[tuple[Any, str], tuple[Any, str]] = {}

    def empty_collections(self, node: _Node, rows: Sequence[Any]) -> set[int]:
        """The indexes (in node.collections) of the collections no row has any of."""
        return {i for i, at in self.flag_slots.get(id(node), ()) if not any(row[at] for row in rows)}

    def source(self, from_: Any = None) -> Any:
        """The level's table (or `from_`) with its many-to-one tables LEFT JOINed."""
        source = from_ if from_ is not None else self.root.shape.table
        for alias, onclause in self.joins:
            source = source.outerjoin(alias, onclause)
        return source

    def select(self, *extra: Any, from_: Any = None) -> Any:
        return select(*self.columns, *self.flags, *extra).select_from(self.source(from_))

    def build(self, rows: Sequence[Any]) -> tuple[list[dict[str, Any]], dict[int, dict[Any, dict[str, Any]]]]:
        """The root dicts (one per row) and, per node, its distinct dicts by primary key."""
        seen: dict[int, dict[Any, dict[str, Any]]] = {id(n): {} for n in self.nodes}
        roots: list[dict[str, Any]] = []
        for row in rows:
            roots.append(self._node(self.root, row, seen))
        return roots, seen

    def _node(self, node: _Node, row: Sequence[Any], seen: dict[int, dict[Any, dict[str, Any]]]) -> Any:
        shape_ = node.shape
        start = node.offset
        values = row[start : start + len(shape_.names)]
        bucket = seen[id(node)]
        if node is self.root:
            # every row is its own parent (a collection may list one row for several parents)
            out = shape_.make(values)
            bucket[id(out)] = out
        else:
            indexes = shape_.pk_indexes
            key = values[indexes[0]] if len(indexes) == 1 else tuple(values[i] for i in indexes)
            if key is None or key == (None,) * len(indexes):
                return None
            if key in bucket:
                return bucket[key]
            out = bucket[key] = shape_.make(values)
        for name, child in node.joined:
            out[name] = self._node(child, row, seen)
        return out


_LEVELS: dict[tuple[type, str], _Level] = {}


def _freeze(tree: Tree) -> str:
    return ",".join(f"{k}({_freeze(v)})" for k, v in sorted(tree.items()))


_BY_TREE: dict[tuple[type, int], tuple[Tree, _Level]] = {}


def _level(model: type, tree: Tree) -> _Level:
    # the usual trees are module constants: found by identity before their text is built
    known = _BY_TREE.get((model, id(tree)))
    if known is not None and known[0] is tree:
        return known[1]
    level = _level_of(model, tree)
    if len(_BY_TREE) >= 512:
        _BY_TREE.clear()
    _BY_TREE[(model, id(tree))] = (tree, level)
    return level


def _level_of(model: type, tree: Tree) -> _Level:
    key = (model, _freeze(tree))
    found = _LEVELS.get(key)
    if found is None:
        if len(_LEVELS) >= 512:
            _LEVELS.clear()  # `expand` combinations are many: keep the cache bounded
        found = _LEVELS[key] = _Level(model, tree)
    return found


async def _children(
    tx: AsyncConnection, level: _Level, seen: dict[int, dict[Any, dict[str, Any]]], rows: Sequence[Any]
) -> None:
    for node in level.nodes:
        parents = list(seen[id(node)].values())
        if not parents:
            continue
        empty = level.empty_collections(node, rows)
        for i, (name, rel, sub) in enumerate(node.collections):
            if i in empty:
                for p in parents:
                    p[name] = [] if rel.uselist else None
            else:
                await _collection(tx, node.shape, parents, name, rel, sub)


_PROBE_MIN = 2


def _probe_column(rel: Any, parent: _Shape) -> tuple[str, Any] | None:
    """(parent dict key, child-side column): `child-side = parent key` holds for every row of
    the collection (a superset when the join has more conditions)."""
    pairs = rel.synchronize_pairs if rel.secondary is not None else rel.local_remote_pairs
    if len(pairs) != 1:
        return None
    local, remote = pairs[0]
    if getattr(local, "table", None) is not parent.table:
        return None
    return local.name, remote


def _is_pg(conn: AsyncConnection) -> bool:
    return conn.dialect.name == "postgresql"


_SQLITE, _PG_MANY, _PG_ONE = "sqlite", "pg", "pg1"


def _mode(conn: AsyncConnection, count: int) -> str:
    if not _is_pg(conn):
        return _SQLITE
    return _PG_ONE if count == 1 else _PG_MANY


def _in(column: Any, name: str, mode: str) -> Any:
    """`column IN (:name…)`. On PostgreSQL `= ANY(:name)` with one array parameter (one SQL
    text whatever the number of keys: no re-rendering, one prepared statement), and
    `= :name` for a single key (mode _PG_ONE, the parameter a scalar): PostgreSQL estimates an
    array of unknown length above a known one, so it plans `= ANY` anew at every execution
    for the statements whose cost depends on it (0.5 ms each for the cart's line items), where
    it keeps the generic plan of `= :name`."""
    if mode == _PG_ONE:
        return column == bindparam(name, type_=column.type)
    if mode == _PG_MANY:
        return column == any_(bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def _keys_param(mode: str, keys: list[Any]) -> Any:
    return keys[0] if mode == _PG_ONE else keys


def _collection_statement(parent: _Shape, rel: Any, level: _Level, mode: str) -> tuple[Any, str]:
    cached = level.statements.get((rel, mode))
    if cached is not None:
        return cached
    simple = _simple_key(rel)
    if simple is not None:
        local, remote = simple
        stmt = level.select(remote.label("__key")).where(_in(remote, "keys", mode))
        parent_key = local.name
    else:
        pk_col = parent.table.c[parent.pk]
        source: Any = parent.table
        if rel.secondary is not None:
            source = source.join(rel.secondary, rel.primaryjoin).join(
                level.root.shape.table, rel.secondaryjoin
            )
        else:
            source = source.join(level.root.shape.table, rel.primaryjoin)
        stmt = level.select(pk_col.label("__key"), from_=source).where(_in(pk_col, "keys", mode))
        parent_key = parent.pk
    if rel.order_by:
        stmt = stmt.order_by(*rel.order_by)
    level.statements[(rel, mode)] = (stmt, parent_key)
    return stmt, parent_key


async def _collection(
    tx: AsyncConnection, parent: _Shape, parents: list[dict[str, Any]], name: str, rel: Any, sub: Tree
) -> None:
    many = bool(rel.uselist)
    if not parents:
        return
    level = _level(rel.mapper.class_, sub)
    # the parent key is the same for every mode
    _stmt, parent_key = _collection_statement(parent, rel, level, _SQLITE)
    keys = list({k for p in parents if (k := p.get(parent_key)) is not None})
    grouped: dict[Any, list[dict[str, Any]]] = {}
    if keys:
        mode = _mode(tx, len(keys))
        stmt, _key = _collection_statement(parent, rel, level, mode)
        rows = await raw.fetch_all(tx, stmt, {"keys": _keys_param(mode, keys)})
        children, seen = level.build(rows)
        at = level.key_index
        for row, child in zip(rows, children, strict=True):
            grouped.setdefault(row[at], []).append(child)
        await _children(tx, level, seen, rows)
    for p in parents:
        found = grouped.get(p.get(parent_key), ())
        p[name] = list(found) if many else (found[0] if found else None)


# ---- PostgreSQL: the tree of one row in one statement -----------------------------------------
#
# A collection becomes a column of its parent's row: a correlated subquery aggregating the child
# rows with json_agg, each child row a JSON array of the child level's columns (its joined
# many-to-one tables included) followed by its own collections, recursively. A round trip to the
# server costs the process more CPU than most of these statements take to run, and a cart or an
# order answer reads five to eight levels. Values inside the JSON are what the columns' own
# conversions expect, except timestamps, which PostgreSQL renders as toISOString() already.

_ISO_FORMAT: Any = literal_column("""'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'""")
_UTC: Any = literal_column("'UTC'")
_EMPTY_JSON: Any = literal_column("'[]'::json")
_ARGS = 90  # json_build_array takes at most 100 arguments: longer rows go in chunks


class _Unsupported(Exception):
    """A tree the JSON form does not express (a collection of the table it hangs from)."""


def _json_value(column: Any) -> Any:
    if isinstance(column.type, DateTime):
        return func.to_char(func.timezone(_UTC, column), _ISO_FORMAT)
    return column


def _json_array(values: list[Any]) -> tuple[Any, bool]:
    """json_build_array of `values`, and whether it is chunked (an array of arrays)."""
    if len(values) <= _ARGS:
        return func.json_build_array(*values), False
    chunks = [func.json_build_array(*values[i : i + _ARGS]) for i in range(0, len(values), _ARGS)]
    return func.json_build_array(*chunks), True


class _JsonLevel:
    def __init__(self, level: _Level, outer: frozenset[Any]) -> None:
        self.level = level
        # per collection column, in order after the level's columns:
        # (joined path from the level's root dict, relation name, many, child level)
        self.slots: list[tuple[tuple[str, ...], str, bool, _JsonLevel]] = []
        self.subqueries: list[Any] = []
        own = outer | {level.root.shape.table}
        self._walk(level.root, (), own)
        values = [_json_value(c) for c in level.columns] + self.subqueries
        self.element, self.chunked = _json_array(values)

    def _walk(self, node: _Node, path: tuple[str, ...], outer: frozenset[Any]) -> None:
        for name, rel, sub in node.collections:
            child = _json_child(node, rel, sub, outer)
            self.subqueries.append(child[0])
            self.slots.append((path, name, bool(rel.uselist), child[1]))
        for name, joined in node.joined:
            self._walk(joined, (*path, name), outer)

    def flat(self, element: list[Any]) -> list[Any]:
        return [v for chunk in element for v in chunk] if self.chunked else element

    def build(self, rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        roots, _seen = self.level.build(rows)
        at = self.level.width
        for row, root in zip(rows, roots, strict=True):
            for i, (path, name, many, child) in enumerate(self.slots):
                holder: dict[str, Any] | None = root
                for step in path:
                    holder = holder.get(step) if holder is not None else None
                if holder is None:
                    continue
                holder[name] = child.value(row[at + i], many)
        return roots

    def value(self, aggregated: Any, many: bool) -> Any:
        """A collection column's value (JSON text, or decoded already) as the relation's value."""
        if isinstance(aggregated, str | bytes):
            aggregated = orjson.loads(aggregated)
        items = self.build([self.flat(e) for e in aggregated]) if aggregated else []
        return items if many else (items[0] if items else None)


def _json_child(node: _Node, rel: Any, sub: Tree, outer: frozenset[Any]) -> tuple[Any, _JsonLevel]:
    """The subquery aggregating collection `rel` of `node`'s rows, and its child level."""
    level = _level(rel.mapper.class_, sub)
    table = level.root.shape.table
    tables = {table} | ({rel.secondary} if rel.secondary is not None else set())
    if tables & outer:
        raise _Unsupported  # its columns would be taken for the enclosing query's
    child = _json_level_of(level, outer | tables)
    source: Any = level.source()
    parent = node.selectable
    simple = _simple_key(rel)
    if simple is not None:
        local, remote = simple
        condition: Any = remote == parent.c[local.name]
    else:
        condition = rel.primaryjoin
        if parent is not node.shape.table:
            condition = ClauseAdapter(parent).traverse(condition)
        if rel.secondary is not None:
            source = rel.secondary.join(source, rel.secondaryjoin)
    aggregated: Any = child.element
    if rel.order_by:
        aggregated = postgresql.aggregate_order_by(aggregated, *rel.order_by)
    subquery = (
        select(func.coalesce(func.json_agg(aggregated), _EMPTY_JSON))
        .select_from(source)
        .where(condition)
        .correlate(parent)
        .scalar_subquery()
    )
    return subquery, child


def _json_level_of(level: _Level, outer: frozenset[Any]) -> _JsonLevel:
    found = level.json.get(outer)
    if found is None:
        found = level.json[outer] = _JsonLevel(level, outer)
    return found


def _json_root(level: _Level) -> Any:
    """The statement reading a row of `level` by key with its whole tree, or None."""
    if level.json_root is None:
        try:
            json_level = _json_level_of(level, frozenset())
        except _Unsupported:
            level.json_root = False
        else:
            pk_col = level.root.shape.table.c[level.root.shape.pk]
            stmt = (
                select(*level.columns, *json_level.subqueries)
                .select_from(level.source())
                .where(pk_col == bindparam("keys", type_=pk_col.type))
            )
            level.json_root = (stmt, json_level)
    return level.json_root or None


async def load_relation(
    tx: AsyncSession, model: type, parents: list[dict[str, Any]], name: str, tree: Tree | None = None
) -> None:
    """Read relation `name` (with its own `tree`) afresh onto dicts of `model` loaded earlier:
    one statement per level, as load_trees reads it (one in all for one parent on PostgreSQL)."""
    conn = await raw.flushed(tx)
    rel: Any = sa_inspect(model).relationships[name]
    sub = tree or {}
    if len(parents) == 1 and _is_pg(conn):
        found = _json_relation(model, rel, sub)
        if found is not None:
            stmt, child = found
            parent = parents[0]
            got = await raw.fetch_all(conn, stmt, {"keys": parent[shape(model).pk]})
            parent[name] = child.value(got[0][0] if got else None, bool(rel.uselist))
            return
    await _collection(conn, shape(model), parents, name, rel, sub)


_RELATIONS: dict[tuple[type, str, str], Any] = {}


def _json_relation(model: type, rel: Any, tree: Tree) -> tuple[Any, _JsonLevel] | None:
    """The statement reading relation `rel` of one `model` row (by key) in one go, or None."""
    key = (model, rel.key, _freeze(tree))
    found: Any = _RELATIONS.get(key)
    if found is None:
        root = _level(model, {}).root
        try:
            subquery, child = _json_child(root, rel, tree, frozenset({root.shape.table}))
        except _Unsupported:
            found = False
        else:
            pk_col = root.shape.table.c[root.shape.pk]
            stmt = select(subquery).where(pk_col == bindparam("keys", type_=pk_col.type))
            found = (stmt, child)
        if len(_RELATIONS) >= 512:
            _RELATIONS.clear()
        _RELATIONS[key] = found
    return found if found else None


async def load_trees(tx: AsyncSession, model: type, ids: Sequence[Any], tree: Tree) -> list[dict[str, Any]]:
    """Rows of `model` with primary keys `ids` (in that order) and the relations of `tree`."""
    if not ids:
        return []
    level = _level(model, tree)
    root = level.root.shape
    pk_col = root.table.c[root.pk]
    # Core statements on the session's connection (its transaction): no ORM result machinery;
    # pending ORM changes are flushed first, as an ORM query would autoflush them
    conn = await raw.flushed(tx)
    mode = _mode(conn, len(ids))
    if mode == _PG_ONE:
        found = _json_root(level)
        if found is not None:
            stmt, json_level = found
            return json_level.build(await raw.fetch_all(conn, stmt, {"keys": ids[0]}))
    by_ids = level.by_ids.get(mode)
    if by_ids is None:
        by_ids = level.by_ids[mode] = level.select().where(_in(pk_col, "keys", mode))
    rows = await raw.fetch_all(conn, by_ids, {"keys": _keys_param(mode, list(ids))})
    roots, seen = level.build(rows)
    await _children(conn, level, seen, rows)
    by_id = {r[root.pk]: r for r in roots}
    return [by_id[i] for i in ids if i in by_id]
