"""Request models of the tax rates group, mirroring Medusa's validator classes
(api/routes/admin/tax-rates/*.ts)."""

from __future__ import annotations

import json
import math
from typing import Any, ClassVar

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    Check,
    Prop,
    Validated,
    check_rules,
    is_array,
    is_non_negative_integer,
    is_number,
    is_string,
    js_number,
)

# ---- @IsType([...]) ---------------------------------------------------------------------------
# utils/validators/is-type.ts: the value must pass one of the types. When none passes, the
# decorator *throws* (it does not report), so its message replaces every other message of the
# request: a JSON text naming the types and, per type, why it failed.


def js_string(value: Any) -> str:
    """JavaScript's String(value), for the values a query string or a JSON body can hold."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    return "[object Object]"


def js_to_number(value: Any) -> float:
    """JavaScript's Number(value): NaN when it is no number."""
    if isinstance(value, dict):
        return math.nan
    if isinstance(value, list):
        if not value:
            return 0
        if len(value) > 1:
            return math.nan
        value = js_string(value[0])
    number = js_number(value)
    return float(number) if isinstance(number, int | float) else math.nan


def _failure(*parts: str) -> list[str]:
    # MedusaError(...).message.split(",").filter(Boolean)
    return [p for p in ",".join(parts).split(",") if p]


class IsTypeError(ValueError):
    """The thrown answer of @IsType: it ends validation with this message alone."""


def _is_type(name: str, types: str, details: dict[str, list[str]]) -> None:
    payload = {"message": f"{name} must be one of: {types}", "details": details}
    raise IsTypeError(json.dumps(payload, separators=(",", ":"), ensure_ascii=False))


def is_string_or_strings(name: str, value: Any) -> str | None:
    """@IsType([String, [String]]): a string, or an array holding at least one string."""
    if isinstance(value, str):
        return None
    if isinstance(value, list) and any(isinstance(v, str) for v in value):
        return None
    details = {"String": _failure(f"String validation failed: {js_string(value)} is not a string")}
    if isinstance(value, list):
        details["undefined"] = ["[object Object]"]
    else:
        # validator([String], value): class-transformer cannot build an array "class"
        details["undefined"] = ["Cannot read properties of undefined (reading 'constructor')"]
    _is_type(name, "String,String", details)
    return None


NUMERICAL_OPERATOR: dict[str, Prop] = {
    op: Prop((is_number,), optional=True, convert=js_number) for op in ("lt", "gt", "gte", "lte")
}


def is_number_or_operator(name: str, value: Any) -> str | None:
    """@IsType([NumericalComparisonOperator, Number])."""
    if not math.isnan(js_to_number(value)):
        return None
    if isinstance(value, dict):
        messages, _ = check_rules(value, NUMERICAL_OPERATOR)
        if not messages:
            return None
        operator = _failure(", ".join(messages))
    else:
        operator = ["an unknown value was passed to the validate function"]
    details = {
        "Number": _failure(f"Number validation failed: {js_string(value)} is not a number"),
        "NumericalComparisonOperator": operator,
    }
    _is_type(name, "NumericalComparisonOperator,Number", details)
    return None


# ---- bodies ------------------------------------------------------------------------------------

_ARRAY = Prop((is_array,))
_OPTIONAL_ARRAY = Prop((is_array,), optional=True)


class AdminPostTaxRatesReq(Validated):
    __rules__ = {
        "code": Prop((is_string,)),
        "name": Prop((is_string,)),
        "region_id": Prop((is_string,)),
        "rate": Prop((is_number,), optional=True),
        "products": _OPTIONAL_ARRAY,
        "shipping_options": _OPTIONAL_ARRAY,
        "product_types": _OPTIONAL_ARRAY,
    }
    code: str
    name: str
    region_id: str
    rate: float | None = None
    # @IsArray() only: the items are not checked
    products: list[Any] | None = None
    shipping_options: list[Any] | None = None
    product_types: list[Any] | None = None


class AdminPostTaxRatesTaxRateReq(Validated):
    __rules__ = {
        "code": Prop((is_string,), optional=True),
        "name": Prop((is_string,), optional=True),
        "region_id": Prop((is_string,), optional=True),
        "rate": Prop((is_number,), optional=True),
        "products": _OPTIONAL_ARRAY,
        "shipping_options": _OPTIONAL_ARRAY,
        "product_types": _OPTIONAL_ARRAY,
    }
    code: str | None = None
    name: str | None = None
    region_id: str | None = None
    rate: float | None = None
    products: list[Any] | None = None
    shipping_options: list[Any] | None = None
    product_types: list[Any] | None = None


class AdminPostTaxRatesTaxRateProductsReq(Validated):
    __rules__ = {"products": _ARRAY}
    products: list[Any]


class AdminPostTaxRatesTaxRateProductTypesReq(Validated):
    __rules__ = {"product_types": _ARRAY}
    product_types: list[Any]


class AdminPostTaxRatesTaxRateShippingOptionsReq(Validated):
    __rules__ = {"shipping_options": _ARRAY}
    shipping_options: list[Any]


# The DELETE …/batch bodies are the same classes under other names in Medusa.
AdminDeleteTaxRatesTaxRateProductsReq = AdminPostTaxRatesTaxRateProductsReq
AdminDeleteTaxRatesTaxRateProductTypesReq = AdminPostTaxRatesTaxRateProductTypesReq
AdminDeleteTaxRatesTaxRateShippingOptionsReq = AdminPostTaxRatesTaxRateShippingOptionsReq


# ---- query strings -----------------------------------------------------------------------------


_EXPAND_FIELDS: dict[str, Prop] = {
    "expand": Prop((is_array,), optional=True),
    "fields": Prop((is_array,), optional=True),
}


class AdminGetTaxRatesTaxRateParams(Validated):
    """expand and fields are arrays here (`expand[]=products`), unlike most of Medusa."""

    __rules__ = _EXPAND_FIELDS
    expand: list[Any] | None = None
    fields: list[Any] | None = None


_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)
_REGION_ID: Check = is_string_or_strings
_RATE: Check = is_number_or_operator


class AdminGetTaxRatesParams(Validated):
    __rules__: ClassVar[dict[str, Prop]] = {
        "region_id": Prop((_REGION_ID,), optional=True),
        "name": Prop((is_string,), optional=True),
        "code": Prop((is_string,), optional=True),
        "rate": Prop((_RATE,), optional=True),
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        "expand": Prop((is_array,), optional=True),
        "fields": Prop((is_array,), optional=True),
        "order": Prop((is_string,), optional=True),
        "updated_at": _DATES,
        "created_at": _DATES,
        "deleted_at": _DATES,
        "q": Prop((is_string,), optional=True),
    }
    region_id: str | list[Any] | None = None
    name: str | None = None
    code: str | None = None
    rate: Any = None
    offset: int = 0
    limit: int = 50
    expand: list[Any] | None = None
    fields: list[Any] | None = None
    order: str | None = None
    updated_at: DateFilter | None = None
    created_at: DateFilter | None = None
    deleted_at: DateFilter | None = None
    q: str | None = None
