"""Products, variants and their relations as Medusa answers them, rendered by the database
(products/sqljson.py) with the computed keys Medusa adds:

- a product's `profile` and `profile_id` (Product.afterLoad: the last of `profiles`);
- Admin pricing without a context (PricingService.setAdminProductPricing, applied when
  `variants` and `variants.prices` are both loaded): a variant that has at least one price outside
  price lists gets those prices only, each with `price_list: null` and its `variant_id`, then
  `original_price`, `calculated_price`, … all null; a variant without such a price keeps its
  loaded prices and gets no pricing keys (PriceSelectionStrategy returns nothing for it).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.present import Tree
from mercato.modules.products.models import MoneyAmount, Product, ProductVariant
from mercato.modules.products.sqljson import Pairs, Renderer, Scope

# PricingService's decoration when there is no pricing context (all null).
NULL_PRICING = (
    "original_price",
    "calculated_price",
    "original_price_includes_tax",
    "calculated_price_includes_tax",
    "original_price_incl_tax",
    "calculated_price_incl_tax",
    "original_tax",
    "calculated_tax",
    "tax_rates",
)


def _freeze(tree: Tree) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _freeze(v)) for k, v in tree.items()))


def _thaw(frozen: tuple[tuple[str, Any], ...]) -> Tree:
    return {k: _thaw(v) for k, v in frozen}


class ProductRenderer(Renderer):
    def __init__(
        self, dialect: str, admin_pricing: bool = False, nested_fields: dict[str, set[str]] | None = None
    ) -> None:
        super().__init__(dialect, nested_fields)
        self._refs: dict[str, str] = {}
        # a selection of the variants' columns leaves them without ids: PricingService finds none
        self.admin_pricing = admin_pricing and "variants" not in self.nested_fields

    def extra(self, model: type, alias: str, tree: Tree, scope: Scope) -> Pairs:
        if model is Product and "profiles" in tree:
            # a product has one profile (Medusa replaces the link on every change)
            if self.pg:
                profiles = self.profiles_ref(alias, tree["profiles"], scope)
                return [("profile", f"({profiles} -> -1)"), ("profile_id", f"({profiles} -> -1 ->> 'id')")]
            rel = self.relation(Product, "profiles")
            target = rel.mapper.class_
            child = scope.alias()
            source, where, _ = self.join(rel, alias, child, scope)
            with scope.enter("profiles"):
                profile = self.single(
                    self.obj(self.pairs(target, child, tree["profiles"], scope)), source, where
                )
            child = scope.alias()
            source, where, _ = self.join(rel, alias, child, scope)
            profile_id = self.single(self.value(child, target.__table__.c.id), source, where)
            return [("profile", profile), ("profile_id", profile_id)]
        return []

    def profiles_ref(self, product: str, sub: Tree, scope: Scope) -> str:
        """PostgreSQL: the product's profiles, computed once (a lateral join) for `profiles`,
        `profile` and `profile_id`."""
        key = f"profiles:{product}"
        if key not in self._refs:
            value = super().relation_value(Product, "profiles", sub, product, scope)
            self._refs[key] = scope.lateral(product, value)
        return self._refs[key]

    def relation_value(self, model: type, name: str, sub: Tree, parent: str, scope: Scope) -> str:
        if self.pg and model is Product and name == "profiles":
            return self.profiles_ref(parent, sub, scope)
        if self.admin_pricing and model is Product and name == "variants" and "prices" in sub:
            rel = self.relation(Product, "variants")
            child = scope.alias()
            source, where, order = self.join(rel, parent, child, scope)
            with scope.enter("variants"):
                plain = self.obj(self.pairs(ProductVariant, child, sub, scope))
                prices = self.default_prices(child, sub["prices"], scope)
                if self.pg:
                    # the default prices once per variant, not once to test for them and once
                    # to list them
                    prices = scope.lateral(child, prices)
                    has_default = f"{prices} IS NOT NULL"
                else:
                    has_default = self.has_default_price(child)
                priced = self.obj(self.priced_variant_pairs(child, sub, scope, prices))
            source = scope.joined(child, source)
            return self.array(self.case(has_default, priced, plain), source, where, order)
        return super().relation_value(model, name, sub, parent, scope)

    def has_default_price(self, variant: str) -> str:
        return (
            "EXISTS (SELECT 1 FROM product_variant_money_amount l JOIN money_amount m "
            f"ON m.id = l.money_amount_id WHERE l.variant_id = {variant}.id AND l.deleted_at IS NULL "
            "AND m.deleted_at IS NULL AND m.price_list_id IS NULL)"
        )

    def priced_variant_pairs(self, variant: str, sub: Tree, scope: Scope, prices: str) -> Pairs:
        out: Pairs = []
        for key, value in self.pairs(ProductVariant, variant, sub, scope):
            out.append((key, prices if key == "prices" else value))
        out.extend((key, self.literal("null")) for key in NULL_PRICING)
        return out

    def default_prices(self, variant: str, sub: Tree, scope: Scope) -> str:
        """The variant's prices outside price lists, as PricingService lists them (on PostgreSQL
        NULL when there is none)."""
        rel = self.relation(ProductVariant, "prices")
        child = scope.alias()
        source, where, order = self.join(rel, variant, child, scope)
        with scope.enter("prices"):
            pairs = self.pairs(MoneyAmount, child, {k: v for k, v in sub.items() if k != "price_list"}, scope)
        pairs.append(("price_list", self.literal("null")))
        pairs.append(("variant_id", self.value(variant, ProductVariant.__table__.c.id)))
        where = f"{where} AND {child}.price_list_id IS NULL"
        if self.pg:
            tail = f" ORDER BY {order}" if order else ""
            return f"(SELECT json_agg({self.obj(pairs)}{tail}) FROM {source} WHERE {where})"
        return self.array(self.obj(pairs), source, where, order)

    def arrange(self, model: type, pairs: Pairs) -> Pairs:
        if model is Product:
            computed = [p for p in pairs if p[0] in ("profile", "profile_id")]
            if computed:
                rest = [p for p in pairs if p[0] not in ("profile", "profile_id")]
                at = next(i for i, p in enumerate(rest) if p[0] == "profiles") + 1
                return rest[:at] + computed + rest[at:]
        return pairs


@lru_cache(maxsize=256)
def _sql(
    dialect: str,
    model_name: str,
    frozen: tuple[Any, ...],
    fields: frozenset[str] | None,
    nested: tuple[tuple[str, frozenset[str]], ...],
    pricing: bool,
) -> TextClause:
    model = {"product": Product, "product_variant": ProductVariant}[model_name]
    renderer = ProductRenderer(dialect, admin_pricing=pricing, nested_fields={k: set(v) for k, v in nested})
    # one TextClause per shape: SQLAlchemy then reuses its compiled form
    return text(renderer.many_by_ids(model, _thaw(frozen), set(fields) if fields is not None else None))


async def render_many(
    tx: AsyncSession,
    model: type,
    ids: Sequence[str],
    tree: Tree,
    fields: set[str] | None = None,
    *,
    nested_fields: dict[str, set[str]] | None = None,
    admin_pricing: bool = False,
) -> str:
    """The JSON array (text) of the rows with these ids, in this order; `nested_fields` selects
    the columns of relations (by path, "variants.prices")."""
    if not ids:
        return "[]"
    dialect = tx.get_bind().dialect.name
    sql = _sql(
        dialect,
        model.__table__.name,  # type: ignore[attr-defined]
        _freeze(tree),
        frozenset(fields) if fields is not None else None,
        tuple(sorted((k, frozenset(v)) for k, v in (nested_fields or {}).items())),
        admin_pricing,
    )
    param = Renderer(dialect).ids_param(ids)
    result = await tx.execute(sql, {"ids": param})
    return str(result.scalar_one())


async def render_one(
    tx: AsyncSession, model: type, row_id: str, tree: Tree, fields: set[str] | None = None, **kw: Any
) -> str:
    array = await render_many(tx, model, [row_id], tree, fields, **kw)
    return array[1:-1]
