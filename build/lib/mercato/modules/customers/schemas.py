"""Request models of the customers and customer-groups groups, mirroring Medusa's validator classes
(api/routes/admin/customers/*.ts, api/routes/admin/customer-groups/*.ts, types/customers.ts,
types/customer-groups.ts)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from mercato.core.query import DateFilter
from mercato.core.validation import (
    DATE_OPERATOR,
    MISSING,
    Prop,
    Validated,
    apply_rules,
    each,
    is_array,
    is_boolean,
    is_email,
    is_non_negative_integer,
    is_number,
    is_object,
    is_string,
    js_number,
)

_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)
_DATES = Prop(optional=True, nested=DATE_OPERATOR)
_ID_ONLY: dict[str, Prop] = {"id": Prop((is_string,))}


class IdRef(BaseModel):
    """class Group / CustomerGroupsBatchCustomer: `{id: string}`."""

    model_config = ConfigDict(extra="forbid")
    id: str


# ---- customers: bodies -----------------------------------------------------------------------


class CreateCustomerInput(BaseModel):
    """types/customers.ts CreateCustomerInput: what CustomerService.create takes (the Admin and the
    Store's registration both come through it)."""

    model_config = ConfigDict(extra="ignore")
    email: str
    password: str | None = None
    password_hash: str | None = None
    has_account: bool | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    metadata: dict[str, Any] | None = None


class AdminPostCustomersReq(Validated):
    __rules__ = {
        "email": Prop((is_email,)),
        "first_name": Prop((is_string,)),
        "last_name": Prop((is_string,)),
        "password": Prop((is_string,)),
        "phone": Prop((is_string,), optional=True),
        "metadata": Prop((is_object,), optional=True),
    }
    email: str
    first_name: str
    last_name: str
    password: str
    phone: str | None = None
    metadata: dict[str, Any] | None = None


class AdminPostCustomersCustomerReq(Validated):
    __rules__ = {
        "email": Prop((is_email,), optional=True),
        "first_name": Prop((is_string,), optional=True),
        "last_name": Prop((is_string,), optional=True),
        "password": Prop((is_string,), optional=True),
        "phone": Prop((is_string,), optional=True),
        "metadata": Prop((is_object,), optional=True),
        "groups": Prop((is_array,), optional=True, nested=_ID_ONLY, nested_each=True),
    }
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    password: str | None = None
    phone: str | None = None
    metadata: dict[str, Any] | None = None
    # `groups: {id}` (an object, not an array) fails is_array above; never reaches here
    groups: list[IdRef] | None = None


# ---- customers: query strings ----------------------------------------------------------------

# utils/validators/is-boolean.ts optionalBooleanMapper; any other text maps to undefined
_OPTIONAL_BOOLEAN: dict[str, Any] = {"undefined": MISSING, "null": None, "true": True, "false": False}


class AdminGetCustomersParams(Validated):
    """AdminListCustomerSelector (q, has_account, groups, order, created_at, updated_at) and then
    the route's own limit (50), offset, expand, fields. Medusa reads `fields` and ignores it."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "q": Prop((is_string,), optional=True),
        "has_account": Prop((is_boolean,), optional=True),
        "groups": Prop((each(is_string),), optional=True),
        "order": Prop((is_string,), optional=True),
        "created_at": _DATES,
        "updated_at": _DATES,
        "limit": _PAGE_BOUND,
        "offset": _PAGE_BOUND,
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_string,), optional=True),
    }
    q: str | None = None
    has_account: bool | None = None
    groups: list[str] | None = None
    order: str | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    limit: int = 50
    offset: int = 0
    expand: str | None = None
    fields: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        if isinstance(data, dict) and "has_account" in data:
            # @Transform(optionalBooleanMapper.get(value)): "maybe" is undefined (no filter),
            # "null" is a filter on NULL (which no customer matches)
            data = dict(data)
            raw = data["has_account"]
            mapped = _OPTIONAL_BOOLEAN.get(raw, MISSING) if isinstance(raw, str) else MISSING
            if mapped is MISSING:
                del data["has_account"]
            else:
                data["has_account"] = mapped
        if isinstance(data, dict) and isinstance(data.get("groups"), str):
            # Medusa answers 500 to `groups=<id>` (not an array); take it as one id
            data = {**data, "groups": [data["groups"]]}
        return apply_rules(data, cls.__rules__)


class FindParams(Validated):
    """types/common.ts FindParams: expand, fields."""

    __rules__ = {
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_string,), optional=True),
    }
    expand: str | None = None
    fields: str | None = None


# ---- customer groups: bodies -----------------------------------------------------------------


class AdminPostCustomerGroupsReq(Validated):
    __rules__ = {
        "name": Prop((is_string,)),
        "metadata": Prop((is_object,), optional=True),
    }
    name: str
    metadata: dict[str, Any] | None = None


class AdminPostCustomerGroupsGroupReq(Validated):
    __rules__ = {
        "name": Prop((is_string,), optional=True),
        "metadata": Prop((is_object,), optional=True),
    }
    name: str | None = None
    metadata: dict[str, Any] | None = None


def _customer_ids_array(name: str, value: Any) -> str | None:
    """Medusa has no @IsArray here and crashes (500) on a missing or object `customer_ids`; we
    answer 400 for those two cases, and keep its messages for everything else."""
    if value is MISSING or isinstance(value, dict):
        return f"{name} must be an array"
    return None


class CustomerIdsBatchReq(Validated):
    """AdminPostCustomerGroupsGroupCustomersBatchReq / AdminDeleteCustomerGroupsGroupCustomerBatchReq."""

    __rules__ = {
        "customer_ids": Prop((_customer_ids_array,), nested=_ID_ONLY, nested_each=True),
    }
    customer_ids: list[IdRef]


# ---- customer groups: query strings ----------------------------------------------------------


class StringComparison(BaseModel):
    """types/common.ts StringComparisonOperator."""

    model_config = ConfigDict(extra="forbid")
    lt: str | None = None
    gt: str | None = None
    gte: str | None = None
    lte: str | None = None
    contains: str | None = None
    starts_with: str | None = None
    ends_with: str | None = None


_STRING_OPERATOR: dict[str, Prop] = {
    op: Prop((is_string,), optional=True)
    for op in ("lt", "gt", "gte", "lte", "contains", "starts_with", "ends_with")
}


def _id_filter(name: str, value: Any) -> str | None:
    # @IsType([String, [String], StringComparisonOperator]); an operator object is checked by
    # its nested rules. (Medusa's @ValidateNested makes a plain id or a list of ids a 400
    # "nested property id must be either object or array": a bug we do not copy.)
    if isinstance(value, str | dict) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return None
    return f"{name} must be one of: String,String,StringComparisonOperator"


class AdminGetCustomerGroupsParams(Validated):
    """FilterableCustomerGroupProps (id, q, name, updated_at, created_at, discount_condition_id),
    then order, offset, limit (10), expand, fields."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "id": Prop((_id_filter,), optional=True),
        "q": Prop((is_string,), optional=True),
        "name": Prop((each(is_string), is_array), optional=True),
        "updated_at": _DATES,
        "created_at": _DATES,
        "discount_condition_id": Prop((is_string,), optional=True),
        "order": Prop((is_string,), optional=True),
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
        "expand": Prop((is_string,), optional=True),
        "fields": Prop((is_string,), optional=True),
    }
    id: str | list[str] | StringComparison | None = None
    q: str | None = None
    name: list[str] | None = None
    updated_at: DateFilter | None = None
    created_at: DateFilter | None = None
    discount_condition_id: str | None = None
    order: str | None = None
    offset: int = 0
    limit: int = 10
    expand: str | None = None
    fields: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        data = apply_rules(data, cls.__rules__)
        if isinstance(data, dict) and isinstance(data.get("id"), dict):
            apply_rules(data["id"], _STRING_OPERATOR)
        return data

    def date_filters(self) -> dict[str, DateFilter]:
        return {
            name: value
            for name in ("created_at", "updated_at")
            if isinstance(value := getattr(self, name), DateFilter)
        }
