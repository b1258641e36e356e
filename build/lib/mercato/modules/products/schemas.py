"""Request models of the products group, mirroring Medusa's validator classes
(api/routes/admin/products/*.ts, admin/variants/*.ts, admin|store/product-tags|product-types,
types/product.ts, types/product-variant.ts).

Properties are listed in class-validator's reporting order: a subclass's own properties before
the inherited ones, and `sales_channels` (registered by a feature-flag decorator after the class
body) last.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    MISSING,
    Check,
    Prop,
    Validated,
    check_rules,
    each,
    is_array,
    is_boolean,
    is_non_negative_integer,
    is_number,
    is_object,
    is_string,
    js_number,
)

PRODUCT_STATUSES = ("draft", "proposed", "published", "rejected")
# marks the message of a validator that throws (it replaces all others)
THROWN = "\x00"

# ---- checks class-validator has and core/validation does not (kept local) --------------------


def _js_truthy(value: Any) -> bool:
    if value is None or value is MISSING or value is False:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def is_int(name: str, value: Any) -> str | None:
    """@IsInt(): a number with no fraction (JSON 2.0 is JavaScript's 2)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return None
    return f"{name} must be an integer number"


def is_enum(values: tuple[str, ...]) -> Check:
    def check(name: str, value: Any) -> str | None:
        if isinstance(value, str) and value in values:
            return None
        return f"{name} must be one of the following values: {', '.join(values)}"

    return check


def not_null(name: str, value: Any) -> str | None:
    """@NotEquals(null)."""
    return f"{name} should not be equal to null" if value is None else None


def unless_missing(check: Check) -> Check:
    """`@ValidateIf((o, value) => value !== undefined)`: null is checked, an absent key is not."""

    def checked(name: str, value: Any) -> str | None:
        return None if value is MISSING else check(name, value)

    return checked


def _xor(name: str, other: str, item: dict[str, Any]) -> str | None:
    """types/validators/xor.ts: exactly one of the two is truthy."""
    mine, theirs = _js_truthy(item.get(name, MISSING)), _js_truthy(item.get(other, MISSING))
    if (mine and not theirs) or (not mine and theirs):
        return None
    return f'Failed XOR relation between "{name}" and "{other}".'


def _price_messages(item: dict[str, Any], *, update: bool) -> list[str]:
    """ProductVariantPricesCreateReq / ProductVariantPricesUpdateReq."""
    allowed = ("id", "region_id", "currency_code", "amount", "min_quantity", "max_quantity")
    known = allowed if update else allowed[1:]
    messages = [f"property {key} should not exist" for key in item if key not in known]
    if update:
        price_id = item.get("id", MISSING)
        if price_id is not MISSING and price_id is not None and not isinstance(price_id, str):
            messages.append("id must be a string")
    if not (update and _js_truthy(item.get("id", MISSING))):
        messages += [
            m
            for m in (_xor("region_id", "currency_code", item), _xor("currency_code", "region_id", item))
            if m
        ]
    messages += [m for m in (is_int("amount", item.get("amount", MISSING)),) if m]
    for bound in ("min_quantity", "max_quantity"):
        value = item.get(bound, MISSING)
        if value is not MISSING and value is not None:
            messages += [m for m in (is_int(bound, value),) if m]
    return messages


def each_nested(item_messages: Callable[[dict[str, Any]], list[str]]) -> Check:
    """`@ValidateNested({each: true})` whose item class needs more than per-property checks."""

    def check(name: str, value: Any) -> str | None:
        if value is MISSING:
            return None
        messages: list[str] = []
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                messages += item_messages(item)
            else:
                messages.append(f"each value in nested property {name} must be either object or array")
        return ", ".join(messages) or None

    return check


def each_price_create(name: str, value: Any) -> str | None:
    return each_nested(lambda item: _price_messages(item, update=False))(name, value)


def each_price_update(name: str, value: Any) -> str | None:
    return each_nested(lambda item: _price_messages(item, update=True))(name, value)


def _type_name(value: Any) -> str:
    # String(value) in JavaScript, for the messages below
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        return ",".join(_type_name(v) for v in value)
    return str(value)


def is_string_or_strings(name: str, value: Any) -> str | None:
    """utils/validators/is-type.ts `@IsType([String, [String]])` as Medusa words a refusal: the
    validator throws, and its JSON-encoded text becomes the message."""
    if isinstance(value, str) or (isinstance(value, list) and any(isinstance(v, str) for v in value)):
        return None
    details: dict[str, list[str]] = {
        "String": [f"String validation failed: {_type_name(value)} is not a string"]
    }
    if isinstance(value, list):
        details["String"] = [f"String validation failed: {_type_name(v)} is not a string" for v in value][-1:]
    else:
        details["undefined"] = ["Cannot read properties of undefined (reading 'constructor')"]
    return THROWN + json.dumps(
        {"message": f"{name} must be one of: String,String", "details": details}, separators=(",", ":")
    )


STRING_OPERATOR: dict[str, Prop] = {
    op: Prop((is_string,), optional=True)
    for op in ("lt", "gt", "gte", "lte", "contains", "starts_with", "ends_with")
}


def is_string_strings_or_operator(name: str, value: Any) -> str | None:
    """`@IsType([String, [String], StringComparisonOperator])`."""
    if isinstance(value, str) or (isinstance(value, list) and any(isinstance(v, str) for v in value)):
        return None
    details: dict[str, list[str]] = {
        "String": [f"String validation failed: {_type_name(value)} is not a string"]
    }
    if isinstance(value, dict):
        messages, _ = check_rules(value, STRING_OPERATOR)
        if not messages:
            return None
        details["undefined"] = ["Cannot read properties of undefined (reading 'constructor')"]
        details["StringComparisonOperator"] = messages
    return THROWN + json.dumps(
        {"message": f"{name} must be one of: String,String,StringComparisonOperator", "details": details},
        separators=(",", ":"),
    )


NUMBER_OPERATOR: dict[str, Prop] = {
    op: Prop((is_number,), optional=True, convert=js_number) for op in ("lt", "gt", "gte", "lte")
}


def is_number_or_operator(name: str, value: Any) -> str | None:
    """`@IsType([Number, NumericalComparisonOperator])` (query text: Number(value))."""
    details: dict[str, list[str]] = {}
    if isinstance(value, dict):
        messages, _ = check_rules(value, NUMBER_OPERATOR)
        if not messages:
            return None
        details["Number"] = ["Number validation failed: [object Object] is not a number"]
        details["NumericalComparisonOperator"] = messages
    else:
        number = js_number(value)
        if isinstance(number, int | float) and not (isinstance(number, float) and math.isnan(number)):
            return None
        details["Number"] = [f"Number validation failed: {_type_name(value)} is not a number"]
        details["NumericalComparisonOperator"] = ["an unknown value was passed to the validate function"]
    return THROWN + json.dumps(
        {"message": f"{name} must be one of: Number,NumericalComparisonOperator", "details": details},
        separators=(",", ":"),
    )


def is_date_operator(name: str, value: Any) -> str | None:
    """`@IsType([DateComparisonOperator])`."""
    if isinstance(value, dict):
        messages, _ = check_rules(value, DATE_OPERATOR)
        if not messages:
            return None
        detail = messages
    else:
        detail = ["an unknown value was passed to the validate function"]
    return THROWN + json.dumps(
        {
            "message": f"{name} must be one of: DateComparisonOperator",
            "details": {"DateComparisonOperator": detail},
        },
        separators=(",", ":"),
    )


def query_boolean(value: Any) -> Any:
    """utils/validators/is-boolean.ts optionalBooleanMapper: "true"/"false" (any case), else
    undefined (the filter is then ignored)."""
    if isinstance(value, str):
        return {"true": True, "false": False, "null": None}.get(value.lower(), MISSING)
    return value


class Rules(Validated):
    """Validated, plus what these classes need: field initialisers applied before validation
    (`defaults`), query booleans mapped first (`__query_booleans__`), and a validator that
    throws (IsType) replacing every other message, as its rejected promise does in Medusa."""

    __query_booleans__: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def defaults(cls, data: dict[str, Any]) -> dict[str, Any]:
        return data

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        if isinstance(data, BaseModel):
            return data
        if not isinstance(data, dict):
            raise ValueError("an unknown value was passed to the validate function")
        data = cls.defaults(dict(data))
        for name in cls.__query_booleans__:
            if name in data:
                value = query_boolean(data[name])
                if value is MISSING:
                    del data[name]
                else:
                    data[name] = value
        messages, converted = check_rules(data, cls.__rules__)
        thrown = [m for m in messages if m.startswith(THROWN)]
        if thrown:
            raise ValueError(thrown[0][len(THROWN) :])
        if messages:
            raise ValueError(", ".join(messages))
        return converted


# ---- bodies ----------------------------------------------------------------------------------

_OPT_STRING = Prop((is_string,), optional=True)
_OPT_NUMBER = Prop((is_number,), optional=True)
_OPT_BOOLEAN = Prop((is_boolean,), optional=True)
_OPT_OBJECT = Prop((is_object,), optional=True)

TAG_RULES = {"id": _OPT_STRING, "value": Prop((is_string,))}
TYPE_RULES = {"id": _OPT_STRING, "value": Prop((is_string,))}
ID_RULES = {"id": Prop((is_string,))}
OPTION_RULES = {"title": Prop((is_string,))}
VARIANT_OPTION_CREATE_RULES = {"value": Prop((is_string,))}
VARIANT_OPTION_RULES = {"value": Prop((is_string,)), "option_id": Prop((is_string,))}


def _variant_fields(*, title_optional: bool) -> dict[str, Prop]:
    return {
        "title": Prop((is_string,), optional=title_optional),
        "sku": _OPT_STRING,
        "ean": _OPT_STRING,
        "upc": _OPT_STRING,
        "barcode": _OPT_STRING,
        "hs_code": _OPT_STRING,
    }


def _variant_tail() -> dict[str, Prop]:
    return {
        "weight": _OPT_NUMBER,
        "length": _OPT_NUMBER,
        "height": _OPT_NUMBER,
        "width": _OPT_NUMBER,
        "origin_country": _OPT_STRING,
        "mid_code": _OPT_STRING,
        "material": _OPT_STRING,
        "metadata": _OPT_OBJECT,
    }


# create-product.ts ProductVariantReq
PRODUCT_VARIANT_CREATE_RULES: dict[str, Prop] = {
    **_variant_fields(title_optional=False),
    "inventory_quantity": _OPT_NUMBER,
    "allow_backorder": _OPT_BOOLEAN,
    "manage_inventory": _OPT_BOOLEAN,
    **_variant_tail(),
    "prices": Prop((is_array, each_price_create)),
    "options": Prop((is_array,), optional=True, nested=VARIANT_OPTION_CREATE_RULES, nested_each=True),
}

# update-product.ts ProductVariantReq
PRODUCT_VARIANT_UPDATE_RULES: dict[str, Prop] = {
    "id": _OPT_STRING,
    **_variant_fields(title_optional=True),
    "inventory_quantity": Prop((is_int,), optional=True),
    "allow_backorder": _OPT_BOOLEAN,
    "manage_inventory": _OPT_BOOLEAN,
    **_variant_tail(),
    "prices": Prop((is_array, each_price_update), optional=True),
    "options": Prop((is_array,), optional=True, nested=VARIANT_OPTION_RULES, nested_each=True),
}


class PriceIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str | None = None
    region_id: Any = None
    currency_code: Any = None
    amount: int
    min_quantity: int | None = None
    max_quantity: int | None = None


class TagIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str | None = None
    value: str


class IdIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str


class OptionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    title: str


class VariantOptionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    value: str
    option_id: str | None = None


class VariantIn(BaseModel):
    """A variant of a product create/update body, or the body of the variant routes."""

    model_config = ConfigDict(extra="ignore")
    id: str | None = None
    title: str | None = None
    sku: str | None = None
    ean: str | None = None
    upc: str | None = None
    barcode: str | None = None
    hs_code: str | None = None
    inventory_quantity: float | None = None
    allow_backorder: bool | None = None
    manage_inventory: bool | None = None
    weight: float | None = None
    length: float | None = None
    height: float | None = None
    width: float | None = None
    origin_country: str | None = None
    mid_code: str | None = None
    material: str | None = None
    metadata: dict[str, Any] | None = None
    prices: list[PriceIn] | None = None
    options: list[VariantOptionIn] | None = None


_PRODUCT_DIMENSIONS: dict[str, Prop] = {
    "weight": _OPT_NUMBER,
    "length": _OPT_NUMBER,
    "height": _OPT_NUMBER,
    "width": _OPT_NUMBER,
    "hs_code": _OPT_STRING,
    "origin_country": _OPT_STRING,
    "mid_code": _OPT_STRING,
    "material": _OPT_STRING,
    "metadata": _OPT_OBJECT,
}
_SALES_CHANNELS = Prop((is_array,), optional=True, nested=ID_RULES, nested_each=True)
_CATEGORIES = Prop((is_array,), optional=True, nested=ID_RULES, nested_each=True)
_TAGS = Prop((is_array,), optional=True, nested=TAG_RULES, nested_each=True)
_TYPE = Prop(optional=True, nested=TYPE_RULES)


class ProductBody(Rules):
    title: str | None = None
    subtitle: str | None = None
    description: str | None = None
    is_giftcard: bool | None = None
    discountable: bool | None = None
    images: list[Any] | None = None
    thumbnail: str | None = None
    handle: str | None = None
    status: str | None = None
    type: TagIn | None = None
    collection_id: str | None = None
    tags: list[TagIn] | None = None
    sales_channels: list[IdIn] | None = None
    categories: list[IdIn] | None = None
    options: list[OptionIn] | None = None
    variants: list[VariantIn] | None = None
    weight: float | None = None
    length: float | None = None
    height: float | None = None
    width: float | None = None
    hs_code: str | None = None
    origin_country: str | None = None
    mid_code: str | None = None
    material: str | None = None
    metadata: dict[str, Any] | None = None


class AdminPostProductsReq(ProductBody):
    __rules__ = {
        "title": Prop((is_string,)),
        "subtitle": _OPT_STRING,
        "description": _OPT_STRING,
        "is_giftcard": Prop((is_boolean,)),
        "discountable": Prop((is_boolean,)),
        "images": Prop((is_array,), optional=True),
        "thumbnail": _OPT_STRING,
        "handle": _OPT_STRING,
        "status": Prop((is_enum(PRODUCT_STATUSES),), optional=True),
        "type": _TYPE,
        "collection_id": _OPT_STRING,
        "tags": _TAGS,
        "categories": _CATEGORIES,
        "options": Prop((is_array,), optional=True, nested=OPTION_RULES, nested_each=True),
        "variants": Prop((is_array,), optional=True, nested=PRODUCT_VARIANT_CREATE_RULES, nested_each=True),
        **_PRODUCT_DIMENSIONS,
        "sales_channels": _SALES_CHANNELS,
    }

    @classmethod
    def defaults(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Class field initialisers (is_giftcard = false, discountable = true, status = draft,
        a variant's inventory_quantity = 0 and options = []) apply before validation."""
        out = {"is_giftcard": False, "discountable": True, "status": "draft", **data}
        if isinstance(out.get("variants"), list):
            out["variants"] = [
                {"inventory_quantity": 0, "options": [], **v} if isinstance(v, dict) else v
                for v in out["variants"]
            ]
        return out


class AdminPostProductsProductReq(ProductBody):
    __rules__ = {
        "title": _OPT_STRING,
        "subtitle": _OPT_STRING,
        "description": _OPT_STRING,
        "discountable": _OPT_BOOLEAN,
        "images": Prop((is_array,), optional=True),
        "thumbnail": _OPT_STRING,
        "handle": _OPT_STRING,
        # @IsEnum @NotEquals(null) @ValidateIf(value !== undefined)
        "status": Prop((unless_missing(not_null), unless_missing(is_enum(PRODUCT_STATUSES)))),
        "type": _TYPE,
        "collection_id": _OPT_STRING,
        "tags": _TAGS,
        "categories": _CATEGORIES,
        "variants": Prop((is_array,), optional=True, nested=PRODUCT_VARIANT_UPDATE_RULES, nested_each=True),
        **_PRODUCT_DIMENSIONS,
        "sales_channels": _SALES_CHANNELS,
    }

    @classmethod
    def defaults(cls, data: dict[str, Any]) -> dict[str, Any]:
        if isinstance(data.get("variants"), list):
            data = dict(data)
            data["variants"] = [{"options": [], **v} if isinstance(v, dict) else v for v in data["variants"]]
        return data


class AdminPostProductsProductOptionsReq(Rules):
    __rules__ = {"title": Prop((is_string,))}
    title: str


class AdminPostProductsProductOptionsOption(Rules):
    __rules__ = {"title": Prop((is_string,))}
    title: str


class AdminPostProductsProductMetadataReq(Rules):
    __rules__ = {"key": Prop((is_string,)), "value": Prop((is_string,))}
    key: str
    value: str


class VariantBody(Rules):
    title: str | None = None
    sku: str | None = None
    ean: str | None = None
    upc: str | None = None
    barcode: str | None = None
    hs_code: str | None = None
    inventory_quantity: float | None = None
    allow_backorder: bool | None = None
    manage_inventory: bool | None = None
    weight: float | None = None
    length: float | None = None
    height: float | None = None
    width: float | None = None
    origin_country: str | None = None
    mid_code: str | None = None
    material: str | None = None
    metadata: dict[str, Any] | None = None
    prices: list[PriceIn] | None = None
    options: list[VariantOptionIn] | None = None


class AdminPostProductsProductVariantsReq(VariantBody):
    __rules__ = {
        **_variant_fields(title_optional=False),
        "inventory_quantity": _OPT_NUMBER,
        "allow_backorder": _OPT_BOOLEAN,
        "manage_inventory": _OPT_BOOLEAN,
        **_variant_tail(),
        "prices": Prop((is_array, each_price_create)),
        "options": Prop((is_array,), optional=True, nested=VARIANT_OPTION_RULES, nested_each=True),
    }

    @classmethod
    def defaults(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"inventory_quantity": 0, "manage_inventory": True, "options": [], **data}


class AdminPostProductsProductVariantsVariantReq(VariantBody):
    __rules__ = {
        **_variant_fields(title_optional=True),
        "inventory_quantity": _OPT_NUMBER,
        "allow_backorder": _OPT_BOOLEAN,
        "manage_inventory": _OPT_BOOLEAN,
        **_variant_tail(),
        "prices": Prop((is_array, each_price_update), optional=True),
        "options": Prop((is_array,), optional=True, nested=VARIANT_OPTION_RULES, nested_each=True),
    }

    @classmethod
    def defaults(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"options": [], **data}


# ---- query strings ---------------------------------------------------------------------------

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)
_OPT_ARRAY = Prop((is_array,), optional=True)
_QUERY_BOOLEAN = Prop((is_boolean,), optional=True)


class FindParams(Rules):
    __rules__ = {"expand": _OPT_STRING, "fields": _OPT_STRING}
    expand: str | None = None
    fields: str | None = None


class AdminGetProductsParams(Rules):
    """list-products.ts: its own page keys, then FilterableProductProps."""

    __rules__ = {
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        "expand": _OPT_STRING,
        "fields": _OPT_STRING,
        "order": _OPT_STRING,
        "id": Prop((is_string_or_strings,), optional=True),
        "q": _OPT_STRING,
        "status": Prop((each(is_enum(PRODUCT_STATUSES)),), optional=True),
        "price_list_id": _OPT_ARRAY,
        "collection_id": _OPT_ARRAY,
        "tags": _OPT_ARRAY,
        "title": _OPT_STRING,
        "description": _OPT_STRING,
        "handle": _OPT_STRING,
        "is_giftcard": _QUERY_BOOLEAN,
        "type_id": _OPT_ARRAY,
        "discount_condition_id": _OPT_STRING,
        "category_id": _OPT_ARRAY,
        "include_category_children": _QUERY_BOOLEAN,
        "created_at": _DATES,
        "updated_at": _DATES,
        "deleted_at": _DATES,
        "sales_channel_id": _OPT_ARRAY,
    }
    __query_booleans__ = ("is_giftcard", "include_category_children")
    offset: int = 0
    limit: int = 50
    expand: str | None = None
    fields: str | None = None
    order: str | None = None
    id: str | list[str] | None = None
    q: str | None = None
    status: str | list[str] | None = None
    price_list_id: list[str] | None = None
    collection_id: list[str] | None = None
    tags: list[str] | None = None
    title: str | None = None
    description: str | None = None
    handle: str | None = None
    is_giftcard: bool | None = None
    type_id: list[str] | None = None
    discount_condition_id: str | None = None
    category_id: list[str] | None = None
    include_category_children: bool | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    deleted_at: DateFilter | None = None
    sales_channel_id: list[str] | None = None


class AdminGetProductsVariantsParams(Rules):
    """list-variants.ts (GET /admin/products/:id/variants)."""

    __rules__ = {
        "id": Prop((is_string_or_strings,), optional=True),
        "fields": _OPT_STRING,
        "expand": _OPT_STRING,
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        "q": _OPT_STRING,
        "order": _OPT_STRING,
        "inventory_quantity": Prop((is_number_or_operator,), optional=True),
        "manage_inventory": _QUERY_BOOLEAN,
        "allow_backorder": _QUERY_BOOLEAN,
        "created_at": _DATES,
        "updated_at": _DATES,
    }
    __query_booleans__ = ("manage_inventory", "allow_backorder")
    id: str | list[str] | None = None
    fields: str | None = None
    expand: str | None = None
    offset: int = 0
    limit: int = 100
    q: str | None = None
    order: str | None = None
    inventory_quantity: Any = None
    manage_inventory: bool | None = None
    allow_backorder: bool | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None


_INT_PAGE_BOUND = Prop((is_int, is_non_negative_integer), optional=True, convert=js_number)


class AdminGetVariantsParams(Rules):
    """admin/variants/list-variants.ts: own properties, then AdminPriceSelectionParams."""

    __rules__ = {
        "q": _OPT_STRING,
        "limit": _INT_PAGE_BOUND,
        "offset": _INT_PAGE_BOUND,
        "expand": _OPT_STRING,
        "fields": _OPT_STRING,
        "id": Prop((is_string_or_strings,), optional=True),
        "title": Prop((is_string_or_strings,), optional=True),
        "inventory_quantity": Prop((is_number_or_operator,), optional=True),
        "order": _OPT_STRING,
        "manage_inventory": _QUERY_BOOLEAN,
        "allow_backorder": _QUERY_BOOLEAN,
        "customer_id": _OPT_STRING,
        "cart_id": _OPT_STRING,
        "region_id": _OPT_STRING,
        "currency_code": _OPT_STRING,
    }
    __query_booleans__ = ("manage_inventory", "allow_backorder")
    q: str | None = None
    limit: int = 20
    offset: int = 0
    expand: str | None = None
    fields: str | None = None
    id: str | list[str] | None = None
    title: str | list[str] | None = None
    inventory_quantity: Any = None
    order: str | None = None
    manage_inventory: bool | None = None
    allow_backorder: bool | None = None
    customer_id: str | None = None
    cart_id: str | None = None
    region_id: str | None = None
    currency_code: str | None = None


class PriceSelectionParams(Rules):
    """PriceSelectionParams (the query of POST /admin/products/:id/variants/:variant_id)."""

    __rules__ = {
        "cart_id": _OPT_STRING,
        "region_id": _OPT_STRING,
        "currency_code": _OPT_STRING,
    }
    cart_id: str | None = None
    region_id: str | None = None
    currency_code: str | None = None


class TagTypeListParams(Rules):
    """AdminGetProductTagsParams / AdminGetProductTypesParams / their Store twins."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "limit": _PAGE_BOUND,
        "offset": _PAGE_BOUND,
        "id": Prop((is_string_strings_or_operator,), optional=True),
        "q": _OPT_STRING,
        "value": Prop((is_string_strings_or_operator,), optional=True),
        "created_at": Prop((is_date_operator,), optional=True),
        "updated_at": Prop((is_date_operator,), optional=True),
        "order": _OPT_STRING,
        "discount_condition_id": _OPT_STRING,
    }
    limit: int = 20
    offset: int = 0
    id: Any = None
    q: str | None = None
    value: Any = None
    created_at: Any = None
    updated_at: Any = None
    order: str | None = None
    discount_condition_id: str | None = None


class AdminGetProductTagsParams(TagTypeListParams):
    limit: int = 10


class AdminGetProductTypesParams(TagTypeListParams):
    """FindPaginationParams: offset, limit first."""

    __rules__ = {
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        **{k: v for k, v in TagTypeListParams.__rules__.items() if k not in ("offset", "limit")},
    }


class StoreGetProductTagsParams(AdminGetProductTypesParams):
    pass


class StoreGetProductTypesParams(AdminGetProductTypesParams):
    pass
