"""Request models of the shipping options group, mirroring Medusa's validator classes
(api/routes/admin/shipping-options/*.ts, api/routes/store/shipping-options/list-options.ts)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import model_validator

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    MISSING,
    Prop,
    Validated,
    apply_rules,
    is_array,
    is_boolean,
    is_boolean_string,
    is_non_negative_integer,
    is_number,
    is_object,
    is_string,
    is_string_or_strings,
    js_number,
)

PRICE_TYPES = ("flat_rate", "calculated")
REQUIREMENT_TYPES = ("min_subtotal", "max_subtotal")


def is_price_type(name: str, value: Any) -> str | None:
    if isinstance(value, str) and value in PRICE_TYPES:
        return None
    return 'Invalid price type, must be one of "flat_rate" or "calculated"'


def is_requirement_type(name: str, value: Any) -> str | None:
    if isinstance(value, str) and value in REQUIREMENT_TYPES:
        return None
    return 'Invalid option type, must be one of "min_subtotal" or "max_subtotal"'


def js_boolean(value: Any) -> bool:
    """class-transformer's `@Type(() => Boolean)`: JavaScript's Boolean(value)."""
    if value is None or value is False:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == value and value != 0  # NaN and 0 are false
    if isinstance(value, str):
        return value != ""
    return True


# create: OptionRequirement (type, amount); no id
_CREATE_REQUIREMENT: dict[str, Prop] = {
    "type": Prop((is_requirement_type,)),
    "amount": Prop((is_number,)),
}

# update: OptionRequirement (id, type, amount)
_UPDATE_REQUIREMENT: dict[str, Prop] = {
    "id": Prop((is_string,), optional=True),
    "type": Prop((is_string,)),
    "amount": Prop((is_number,)),
}


class CreateRequirement(Validated):
    __rules__ = _CREATE_REQUIREMENT
    type: str
    amount: float


class UpdateRequirement(Validated):
    __rules__ = _UPDATE_REQUIREMENT
    id: str | None = None
    type: str
    amount: float


class AdminPostShippingOptionsReq(Validated):
    __rules__ = {
        "name": Prop((is_string,)),
        "region_id": Prop((is_string,)),
        "provider_id": Prop((is_string,)),
        "profile_id": Prop((is_string,), optional=True),
        "data": Prop((is_object,)),
        "price_type": Prop((is_price_type,)),
        "amount": Prop((is_number,), optional=True),
        "requirements": Prop((is_array,), optional=True, nested=_CREATE_REQUIREMENT, nested_each=True),
        "admin_only": Prop(optional=True, convert=js_boolean),
        "is_return": Prop(optional=True, convert=js_boolean),
        "metadata": Prop((is_object,), optional=True),
        "includes_tax": Prop((is_boolean,), optional=True),
    }
    name: str
    region_id: str
    provider_id: str
    profile_id: str | None = None
    data: dict[str, Any]
    price_type: str
    amount: float | None = None
    requirements: list[CreateRequirement] | None = None
    admin_only: bool = False
    is_return: bool = False
    metadata: dict[str, Any] | None = None
    includes_tax: bool | None = None


class AdminPostShippingOptionsOptionReq(Validated):
    __rules__ = {
        "name": Prop((is_string,), optional=True),
        "amount": Prop((is_number,), optional=True),
        "price_type": Prop((is_price_type,), optional=True),
        "requirements": Prop((is_array,), nested=_UPDATE_REQUIREMENT, nested_each=True),
        "admin_only": Prop((is_boolean,), optional=True),
        "metadata": Prop((is_object,), optional=True),
        "includes_tax": Prop((is_boolean,), optional=True),
    }
    name: str | None = None
    amount: float | None = None
    price_type: str | None = None
    requirements: list[UpdateRequirement]
    admin_only: bool | None = None
    metadata: dict[str, Any] | None = None
    includes_tax: bool | None = None


# ---- query strings ---------------------------------------------------------------------------

# utils/validators/is-boolean.ts optionalBooleanMapper; any other text maps to undefined
_OPTIONAL_BOOLEAN: dict[str, Any] = {"undefined": MISSING, "null": None, "true": True, "false": False}
_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)


class AdminGetShippingOptionsParams(Validated):
    __rules__: ClassVar[dict[str, Prop]] = {
        "id": Prop((is_string_or_strings,), optional=True),
        "name": Prop((is_string,), optional=True),
        "region_id": Prop((is_string,), optional=True),
        "is_return": Prop((is_boolean,), optional=True),
        "admin_only": Prop((is_boolean,), optional=True),
        "q": Prop((is_string,), optional=True),
        "order": Prop((is_string,), optional=True),
        "created_at": _DATES,
        "updated_at": _DATES,
        "deleted_at": _DATES,
        "fields": Prop((is_string,), optional=True),
        "expand": Prop((is_string,), optional=True),
        "limit": _PAGE_BOUND,
        "offset": _PAGE_BOUND,
    }
    id: str | list[str] | None = None
    name: str | None = None
    region_id: str | None = None
    is_return: bool | None = None
    admin_only: bool | None = None
    # filters given as "null" (a NULL filter, which no row matches)
    null_filters: tuple[str, ...] = ()
    q: str | None = None
    order: str | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    deleted_at: DateFilter | None = None
    fields: str | None = None
    expand: str | None = None
    limit: int = 50
    offset: int = 0

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        nulls: list[str] = []
        if isinstance(data, dict):
            data = dict(data)
            for key in ("is_return", "admin_only"):
                if key not in data:
                    continue
                raw = data[key]
                mapped = _OPTIONAL_BOOLEAN.get(raw, MISSING) if isinstance(raw, str) else MISSING
                if mapped is MISSING or mapped is None:
                    del data[key]
                    if mapped is None:
                        nulls.append(key)
                else:
                    data[key] = mapped
        out = apply_rules(data, cls.__rules__)
        if nulls:
            out["null_filters"] = tuple(nulls)
        return out


class StoreGetShippingOptionsParams(Validated):
    __rules__: ClassVar[dict[str, Prop]] = {
        "product_ids": Prop((is_string,), optional=True),
        "region_id": Prop((is_string,), optional=True),
        "is_return": Prop((is_boolean_string,), optional=True),
    }
    product_ids: str | None = None
    region_id: str | None = None
    is_return: str | None = None
