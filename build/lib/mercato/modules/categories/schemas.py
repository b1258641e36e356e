"""Request models of the product categories group, mirroring Medusa's validator classes
(api/routes/admin/product-categories/*.ts, api/routes/store/product-categories/*.ts,
types/product-category.ts)."""

from __future__ import annotations

from typing import Any, ClassVar

from mercato.core.validation import (
    MISSING,
    Prop,
    Validated,
    is_array,
    is_boolean,
    is_int,
    is_non_negative_integer,
    is_not_empty,
    is_number,
    is_object,
    is_string,
    js_number,
    min_value,
)


def _null_text(value: Any) -> Any:
    """@Transform(({ value }) => value === "null" ? null : value)"""
    return None if value == "null" else value


def _string_unless_null(name: str, value: Any) -> str | None:
    # the transform turned "null" into null, which @IsOptional() lets through
    return None if value is None else is_string(name, value)


def _string_when_defined(name: str, value: Any) -> str | None:
    # @ValidateIf((input) => isDefined(input.description)): only undefined skips the check
    return None if value is MISSING else is_string(name, value)


def _optional_boolean(value: Any) -> Any:
    """utils/validators/is-boolean.ts optionalBooleanMapper: "true"/"false"/"null", anything else
    is undefined (left out)."""
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def _boolean_or_unset(name: str, value: Any) -> str | None:
    return None if value is None or value is MISSING else is_boolean(name, value)


# AdminProductCategoriesReqBase's properties; a subclass's own properties are reported first.
_BASE_RULES: dict[str, Prop] = {
    "description": Prop((_string_when_defined,), convert=_null_text),
    "handle": Prop((is_string,), optional=True),
    "is_internal": Prop((is_boolean,), optional=True),
    "is_active": Prop((is_boolean,), optional=True),
    "parent_category_id": Prop((_string_unless_null,), optional=True, convert=_null_text),
}


class AdminPostProductCategoriesReq(Validated):
    __rules__ = {
        "name": Prop((is_not_empty, is_string)),
        "metadata": Prop((is_object,), optional=True),
        **_BASE_RULES,
    }
    name: str
    metadata: dict[str, Any] | None = None
    description: str | None = None
    handle: str | None = None
    is_internal: bool | None = None
    is_active: bool | None = None
    parent_category_id: str | None = None


class AdminPostProductCategoriesCategoryReq(Validated):
    __rules__ = {
        "name": Prop((is_string,), optional=True),
        "handle": Prop((is_not_empty, is_string), optional=True),
        "rank": Prop((min_value(0), is_not_empty, is_int), optional=True),
        "metadata": Prop((is_object,), optional=True),
        **{k: v for k, v in _BASE_RULES.items() if k != "handle"},
    }
    name: str | None = None
    handle: str | None = None
    rank: int | None = None
    metadata: dict[str, Any] | None = None
    description: str | None = None
    is_internal: bool | None = None
    is_active: bool | None = None
    parent_category_id: str | None = None


class ProductBatchProductCategory(Validated):
    __rules__ = {"id": Prop((is_string,))}
    id: str


_BATCH_ITEM_RULES = {"id": Prop((is_string,))}


class AdminPostProductCategoriesCategoryProductsBatchReq(Validated):
    __rules__ = {"product_ids": Prop((is_array,), nested=_BATCH_ITEM_RULES, nested_each=True)}
    product_ids: list[ProductBatchProductCategory]


class AdminDeleteProductCategoriesCategoryProductsBatchReq(Validated):
    __rules__ = {"product_ids": Prop((is_array,), nested=_BATCH_ITEM_RULES, nested_each=True)}
    product_ids: list[ProductBatchProductCategory]


# ---- query strings ---------------------------------------------------------------------------

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_TEXT = Prop((is_string,), optional=True)

# FindParams (expand, fields), then extendedFindParamsMixin's offset, limit and order
_FIND_RULES: dict[str, Prop] = {
    "expand": _TEXT,
    "fields": _TEXT,
}
_PAGE_RULES: dict[str, Prop] = {
    "offset": _PAGE_BOUND,
    "limit": _PAGE_BOUND,
    "order": _TEXT,
}


class CategoryRetrieveParams(Validated):
    """FindParams: GET /:id and the query string of every admin write."""

    __rules__: ClassVar[dict[str, Prop]] = dict(_FIND_RULES)
    expand: str | None = None
    fields: str | None = None


class CategoryListParams(Validated):
    expand: str | None = None
    fields: str | None = None
    offset: int = 0
    limit: int = 100
    order: str | None = None
    q: str | None = None
    handle: str | None = None
    include_descendants_tree: bool | None = None
    is_internal: str | None = None
    is_active: str | None = None
    parent_category_id: str | None = None


_TREE_FLAG = Prop((_boolean_or_unset,), optional=True, convert=_optional_boolean)
_PARENT = Prop((_string_unless_null,), optional=True, convert=_null_text)


class AdminGetProductCategoriesParams(CategoryListParams):
    __rules__: ClassVar[dict[str, Prop]] = {
        "q": _TEXT,
        "handle": _TEXT,
        "include_descendants_tree": _TREE_FLAG,
        "is_internal": _TEXT,
        "is_active": _TEXT,
        "parent_category_id": _PARENT,
        **_FIND_RULES,
        **_PAGE_RULES,
    }


class StoreGetProductCategoriesParams(CategoryListParams):
    __rules__: ClassVar[dict[str, Prop]] = {
        "q": _TEXT,
        "handle": _TEXT,
        "parent_category_id": _PARENT,
        "include_descendants_tree": _TREE_FLAG,
        **_FIND_RULES,
        **_PAGE_RULES,
    }
