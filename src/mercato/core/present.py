"""Turning rows into Medusa's JSON: every column, plus the relations that were asked for.

A relation tree is a dict {name: subtree}. `load_options` turns it into selectinload chains, so a
page of N rows costs one query per relation level, never one per row.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from mercato.core.clock import iso
from mercato.core.errors import invalid_data

Tree = dict[str, "Tree"]

# Medusa's entities whose afterLoad gives them an `object` property
OBJECT_ENTITIES = frozenset({"cart", "order"})


def with_object(out: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    """A Cart or Order as Medusa prints it: `object` first (its entity's afterLoad)."""
    if out is None:
        return None
    return {"object": name, **out}


def relation_tree(paths: Iterable[str]) -> Tree:
    tree: Tree = {}
    for path in paths:
        node = tree
        for part in path.split("."):
            if part:
                node = node.setdefault(part, {})
    return tree


def merge_trees(*trees: Tree) -> Tree:
    out: Tree = {}
    for tree in trees:
        for key, sub in tree.items():
            out[key] = merge_trees(out.get(key, {}), sub)
    return out


def load_options(model: type, tree: Tree) -> list[_AbstractLoad]:
    """selectinload chains for a relation tree; unknown relation names are Medusa's 400."""
    options: list[_AbstractLoad] = []
    mapper: Any = inspect(model)
    for name, sub in tree.items():
        rel = mapper.relationships.get(name)
        if rel is None:
            raise invalid_data(f"Relation {name} is not a valid relation of {model.__name__}")
        loader = selectinload(getattr(model, name))
        children = load_options(rel.mapper.class_, sub)
        if children:
            options.append(loader.options(*children))
        else:
            options.append(loader)
    return options


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return iso(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        # JavaScript prints 12.0 as 12
        return int(value)
    return value


def _mapper(model: type) -> Any:
    return inspect(model)


def _columns(model: type) -> list[tuple[str, str]]:
    cached = model.__dict__.get("__present_columns__")
    if cached is None:
        hidden = set(getattr(model, "__hidden__", ()))
        cached = [
            (attr.key, attr.columns[0].name)
            for attr in _mapper(model).column_attrs
            if attr.columns[0].name not in hidden
        ]
        type.__setattr__(model, "__present_columns__", cached)
    return cached


def present(obj: Any, tree: Tree | None = None, fields: set[str] | None = None) -> dict[str, Any] | None:
    if obj is None:
        return None
    model = type(obj)
    out: dict[str, Any] = {}
    for attr, column in _columns(model):
        if fields is not None and column not in fields and column != "id":
            continue
        out[column] = _value(getattr(obj, attr))
    for name, sub in (tree or {}).items():
        value = getattr(obj, name)
        if isinstance(value, list | tuple):
            out[name] = [_related(v, sub) for v in value]
        else:
            out[name] = _related(value, sub)
    extra = getattr(obj, "__extra_json__", None)
    if extra:
        out.update(extra)
    if tree and "profiles" in tree and getattr(model, "__tablename__", None) == "product":
        with_profile(out)
    return out


def with_profile(product: dict[str, Any]) -> dict[str, Any]:
    """Product.afterLoad: with `profiles` loaded, `profile` is the last of them and `profile_id`
    its id; with none, both stay undefined (absent from the JSON)."""
    profiles = product.get("profiles")
    if profiles:
        product["profile"] = profiles[-1]
        product["profile_id"] = profiles[-1]["id"]
    return product


def _related(obj: Any, tree: Tree) -> dict[str, Any] | None:
    """A loaded relation: a cart or order carries its `object` wherever it is loaded (its
    entity's afterLoad), e.g. a customer's orders."""
    out = present(obj, tree)
    name = getattr(type(obj), "__tablename__", None)
    return with_object(out, name) if name in OBJECT_ENTITIES else out


def present_many(rows: Iterable[Any], tree: Tree | None = None, fields: set[str] | None = None) -> list[Any]:
    return [present(r, tree, fields) for r in rows]
