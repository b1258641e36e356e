"""Request models of the discounts group, mirroring Medusa's validator classes
(api/routes/admin/discounts/*.ts, types/discount.ts)."""

from __future__ import annotations

import datetime
import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    MISSING,
    Check,
    Prop,
    Validated,
    apply_rules,
    check_rules,
    each,
    is_array,
    is_boolean,
    is_date,
    is_non_negative_integer,
    is_not_empty,
    is_number,
    is_object,
    is_string,
    js_number,
    to_date,
)

RULE_TYPES = ("fixed", "percentage", "free_shipping")
ALLOCATIONS = ("total", "item")
RESOURCE_KEYS = ("products", "product_collections", "product_types", "product_tags", "customer_groups")
# ExactlyOne's constraint lists, as types/discount.ts declares them per property
_EXACTLY_ONE = {
    "products": ("product_collections", "product_types", "product_tags", "customer_groups"),
    "product_collections": ("products", "product_types", "product_tags", "customer_groups"),
    "product_types": ("product_collections", "products", "product_tags", "customer_groups"),
    "product_tags": ("product_collections", "product_types", "products", "customer_groups"),
    "customer_groups": ("product_collections", "product_types", "products", "product_tags"),
}

_ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


def _enum(values: tuple[str, ...], message: str) -> Check:
    def check(name: str, value: Any) -> str | None:
        return None if isinstance(value, str) and value in values else message

    return check


def is_iso_duration(name: str, value: Any) -> str | None:
    text = value if isinstance(value, str) else str(value)
    return None if _ISO_DURATION.match(text) else f'"{name}" must be a valid ISO 8601 duration'


def is_positive(name: str, value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return None if ok else f"{name} must be a positive number"


def _greater_than(related_name: str, related: Any) -> Check:
    """@IsGreaterThan(related): later than the related date when it is given, else defined."""

    def check(name: str, value: Any) -> str | None:
        if related is not None and related is not MISSING and related != "":
            ok = (
                isinstance(value, datetime.datetime)
                and isinstance(related, datetime.datetime)
                and value > related
            )
        else:
            ok = value is not MISSING and value is not None
        return None if ok else f'"{name}" must be greater than "{related_name}"'

    return check


def _resource_rules(item: dict[str, Any]) -> dict[str, Prop]:
    rules: dict[str, Prop] = {}
    for key in RESOURCE_KEYS:
        others = _EXACTLY_ONE[key]

        def exactly_one(name: str, value: Any, others: tuple[str, ...] = others) -> str | None:
            failed = [o for o in others if item.get(o) is not None]
            return f"Only one of {name}, {', '.join(failed)} is allowed" if failed else None

        rules[key] = Prop((each(is_string), is_array, exactly_one), optional=True)
    return rules


def _conditions(with_id: bool) -> Check:
    """@ValidateNested({each: true}) over AdminCreateCondition / AdminUpsertCondition items."""

    def check(name: str, value: Any) -> str | None:
        # @ValidateNested({each: true}): a list's items, a lone object as one item, and for a
        # primitive the nested-object message (is_array reports the type first)
        items = value if isinstance(value, list) else [value]
        messages: list[str] = []
        for item in items:
            if not isinstance(item, dict):
                messages.append(f"each value in nested property {name} must be either object or array")
                continue
            rules: dict[str, Prop] = {}
            if with_id:
                rules["id"] = Prop((is_string,), optional=True)
                rules["operator"] = Prop((is_string,), optional=True)
            else:
                rules["operator"] = Prop((is_string,))
            rules.update(_resource_rules(item))
            messages.extend(check_rules(item, rules)[0])
        return ", ".join(messages) or None

    return check


_DATE = Prop((is_date,), optional=True, convert=to_date)
_METADATA = Prop((is_object,), optional=True)
_RULE_TYPE_MSG = 'Invalid rule type, must be one of "fixed", "percentage" or "free_shipping"'
_ALLOCATION_MSG = 'Invalid allocation type, must be one of "total" or "item"'


class _DatesValidated(Validated):
    """A body with starts_at/ends_at: ends_at's @IsGreaterThan("starts_at") reads the other field."""

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        rules = dict(cls.__rules__)
        if isinstance(data, dict) and "ends_at" in rules:
            starts = data.get("starts_at")
            starts = to_date(starts) if starts is not None else None
            rules["ends_at"] = Prop(
                (_greater_than("starts_at", starts), is_date), optional=True, convert=to_date
            )
        return apply_rules(data, rules)


class ConditionInput(BaseModel):
    """An item already checked by _conditions()."""

    model_config = ConfigDict(extra="ignore")
    id: str | None = None
    operator: str | None = None
    products: list[str] | None = None
    product_collections: list[str] | None = None
    product_types: list[str] | None = None
    product_tags: list[str] | None = None
    customer_groups: list[str] | None = None


class AdminPostDiscountsDiscountRule(Validated):
    __rules__ = {
        "description": Prop((is_string,), optional=True),
        "type": Prop((_enum(RULE_TYPES, _RULE_TYPE_MSG),)),
        "value": Prop((is_number,)),
        "allocation": Prop((_enum(ALLOCATIONS, _ALLOCATION_MSG),)),
        "conditions": Prop((is_array, _conditions(False)), optional=True),
    }
    description: str | None = None
    type: str
    value: float
    allocation: str
    conditions: list[ConditionInput] | None = None


class AdminPostDiscountsReq(_DatesValidated):
    __rules__ = {
        "code": Prop((is_not_empty, is_string)),
        "rule": Prop((is_not_empty,), nested=AdminPostDiscountsDiscountRule.__rules__),
        "is_dynamic": Prop((is_boolean,), optional=True),
        "is_disabled": Prop((is_boolean,), optional=True),
        "starts_at": _DATE,
        "ends_at": _DATE,
        "valid_duration": Prop((is_iso_duration,), optional=True),
        "usage_limit": Prop((is_positive, is_number), optional=True),
        "regions": Prop((each(is_string), is_array)),
        "metadata": _METADATA,
    }
    code: str
    rule: AdminPostDiscountsDiscountRule
    is_dynamic: bool = False
    is_disabled: bool | None = False  # @IsOptional lets a null through to the NOT NULL column
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    valid_duration: str | None = None
    usage_limit: float | None = None
    regions: list[str]
    metadata: dict[str, Any] | None = None


class AdminUpdateDiscountRule(Validated):
    __rules__ = {
        "id": Prop((is_not_empty, is_string)),
        "description": Prop((is_string,), optional=True),
        "value": Prop((is_number,), optional=True),
        "allocation": Prop((_enum(ALLOCATIONS, _ALLOCATION_MSG),), optional=True),
        "conditions": Prop((is_array, _conditions(True)), optional=True),
    }
    id: str
    description: str | None = None
    value: float | None = None
    allocation: str | None = None
    conditions: list[ConditionInput] | None = None


class AdminPostDiscountsDiscountReq(_DatesValidated):
    __rules__ = {
        "code": Prop((is_string,), optional=True),
        "rule": Prop(optional=True, nested=AdminUpdateDiscountRule.__rules__),
        "is_disabled": Prop((is_boolean,), optional=True),
        "starts_at": _DATE,
        "ends_at": _DATE,
        "valid_duration": Prop((is_iso_duration,), optional=True),
        "usage_limit": Prop((is_positive, is_number), optional=True),
        "regions": Prop((each(is_string), is_array), optional=True),
        "metadata": _METADATA,
    }
    code: str | None = None
    rule: AdminUpdateDiscountRule | None = None
    is_disabled: bool | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    valid_duration: str | None = None
    usage_limit: float | None = None
    regions: list[str] | None = None
    metadata: dict[str, Any] | None = None


class AdminPostDiscountsDiscountDynamicCodesReq(Validated):
    __rules__ = {
        "code": Prop((is_not_empty, is_string)),
        "usage_limit": Prop((is_number,), optional=True),
        "metadata": _METADATA,
    }
    code: str
    usage_limit: float = 1
    metadata: dict[str, Any] | None = None


# ---- query strings ---------------------------------------------------------------------------

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)


def _optional_boolean(value: Any) -> Any:
    """utils/validators/is-boolean.ts optionalBooleanMapper: anything else reads as undefined."""
    # a Map lookup: an array (is_dynamic[0]=dynamic, as the dashboard's filter sends it) or any
    # other object is not a key either
    if isinstance(value, str):
        return {"true": True, "false": False, "null": None}.get(value)
    return value if isinstance(value, bool) else None


def _boolean_or_unset(name: str, value: Any) -> str | None:
    return None if value is None or isinstance(value, bool) else f"{name} must be a boolean value"


def _is_enum(values: tuple[str, ...]) -> Check:
    def check(name: str, value: Any) -> str | None:
        if isinstance(value, str) and value in values:
            return None
        return f"{name} must be one of the following values: {', '.join(values)}"

    return check


class RuleFilter(Validated):
    __rules__ = {
        "type": Prop((_is_enum(RULE_TYPES),), optional=True),
        "allocation": Prop((_is_enum(ALLOCATIONS),), optional=True),
    }
    type: str | None = None
    allocation: str | None = None


class AdminGetDiscountsParams(Validated):
    __rules__: ClassVar[dict[str, Prop]] = {
        "rule": Prop(optional=True, nested=RuleFilter.__rules__),
        "q": Prop((is_string,), optional=True),
        "is_dynamic": Prop((_boolean_or_unset,), optional=True, convert=_optional_boolean),
        "is_disabled": Prop((_boolean_or_unset,), optional=True, convert=_optional_boolean),
        "created_at": _DATES,
        "updated_at": _DATES,
        "order": Prop((is_string,), optional=True),
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_string,), optional=True),
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
    }
    rule: RuleFilter | None = None
    q: str | None = None
    is_dynamic: bool | None = None
    is_disabled: bool | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    order: str | None = None
    expand: str | None = None
    fields: str | None = None
    offset: int = 0
    limit: int = 20


class AdminGetDiscountParams(Validated):
    """FindParams."""

    __rules__ = {
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_string,), optional=True),
    }
    expand: str | None = None
    fields: str | None = None


# ---- conditions ------------------------------------------------------------------------------


class _ConditionBody(Validated):
    """AdminUpsertConditionsReq: each resource list is checked with @Validate(ExactlyOne, ...)."""

    __with_operator__: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        rules: dict[str, Prop] = {}
        if cls.__with_operator__:
            rules["operator"] = Prop((is_string,))
        if isinstance(data, dict):
            rules.update(_resource_rules(data))
        return apply_rules(data, rules)

    products: list[str] | None = None
    product_collections: list[str] | None = None
    product_types: list[str] | None = None
    product_tags: list[str] | None = None
    customer_groups: list[str] | None = None


class AdminPostDiscountsDiscountConditions(_ConditionBody):
    __with_operator__ = True
    operator: str


class AdminPostDiscountsDiscountConditionsCondition(_ConditionBody):
    pass


class AdminDiscountConditionsBatchReq(Validated):
    """AdminPostDiscountsDiscountConditionsConditionBatchReq / AdminDelete...BatchReq."""

    __rules__ = {"resources": Prop((is_array,))}
    resources: list[Any]

    def ids(self) -> list[str | None]:
        """The resources' ids; None for a resource without one."""
        out: list[str | None] = []
        for r in self.resources:
            found = r.get("id") if isinstance(r, dict) else r
            out.append(None if found is None else str(found))
        return out
