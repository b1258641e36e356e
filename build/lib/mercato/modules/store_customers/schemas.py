"""Request models of the Store auth and customers routes (api/routes/store/auth/*.ts,
api/routes/store/customers/*.ts)."""

from __future__ import annotations

import json
import math
from typing import Any

from mercato.core.validation import (
    Prop,
    Validated,
    check_rules,
    is_email,
    is_not_empty,
    is_object,
    is_string,
)


class StorePostAuthReq(Validated):
    __rules__ = {
        "email": Prop((is_email,)),
        "password": Prop((is_not_empty,)),
    }
    email: str
    password: Any


class StorePostCustomersReq(Validated):
    __rules__ = {
        "first_name": Prop((is_string,), optional=True),
        "last_name": Prop((is_string,), optional=True),
        "email": Prop((is_email,)),
        "password": Prop((is_string,)),
        "phone": Prop((is_string,), optional=True),
    }
    first_name: str | None = None
    last_name: str | None = None
    email: str
    password: str
    phone: str | None = None


def _js_string(value: Any) -> str:
    """JavaScript's `${value}`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ",".join("" if v is None else _js_string(v) for v in value)
    return "[object Object]"


def _split(message: str) -> list[str]:
    # MedusaError(...).message.split(",")
    return message.split(",")


def is_address_or_id(name: str, value: Any) -> str | None:
    """@IsType([AddressPayload, String]): a refusal is thrown, and its JSON text is the whole message."""
    if isinstance(value, str):
        return None
    if isinstance(value, dict):
        messages, _ = check_rules(value, ADDRESS_UPDATE)
        if not messages:
            return None
        address = _split(", ".join(messages))
    else:
        address = ["an unknown value was passed to the validate function"]
    details = {
        "String": _split(f"String validation failed: {_js_string(value)} is not a string"),
        "AddressPayload": address,
    }
    payload = {"message": f"{name} must be one of: AddressPayload,String", "details": details}
    raise ValueError(json.dumps(payload, separators=(",", ":"), ensure_ascii=False))


class StorePostCustomersCustomerReq(Validated):
    __rules__ = {
        "billing_address": Prop((is_address_or_id,), optional=True),
        "first_name": Prop((is_string,), optional=True),
        "last_name": Prop((is_string,), optional=True),
        "password": Prop((is_string,), optional=True),
        "phone": Prop((is_string,), optional=True),
        "email": Prop((is_email,), optional=True),
        "metadata": Prop((is_object,), optional=True),
    }
    billing_address: dict[str, Any] | str | None = None
    first_name: str | None = None
    last_name: str | None = None
    password: str | None = None
    phone: str | None = None
    email: str | None = None
    metadata: dict[str, Any] | None = None


# types/common.ts AddressCreatePayload (no check on metadata)
ADDRESS_CREATE: dict[str, Prop] = {
    "first_name": Prop((is_string,)),
    "last_name": Prop((is_string,)),
    "phone": Prop((is_string,), optional=True),
    "metadata": Prop((), optional=True),
    "company": Prop((is_string,), optional=True),
    "address_1": Prop((is_string,)),
    "address_2": Prop((is_string,), optional=True),
    "city": Prop((is_string,)),
    "country_code": Prop((is_string,)),
    "province": Prop((is_string,), optional=True),
    "postal_code": Prop((is_string,)),
}

# types/common.ts AddressPayload: every field optional
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "metadata",
    "company",
    "address_1",
    "address_2",
    "city",
    "country_code",
    "province",
    "postal_code",
)
ADDRESS_UPDATE: dict[str, Prop] = {
    name: Prop((is_object,) if name == "metadata" else (is_string,), optional=True) for name in ADDRESS_FIELDS
}


class StorePostCustomersCustomerAddressesReq(Validated):
    # @ValidateNested() without @IsDefined: a missing `address` passes and Medusa then crashes
    __rules__ = {"address": Prop((), nested=ADDRESS_CREATE)}
    address: dict[str, Any] | None = None


class StorePostCustomersCustomerAddressesAddressReq(Validated):
    __rules__ = ADDRESS_UPDATE
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    metadata: dict[str, Any] | None = None
    company: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    country_code: str | None = None
    province: str | None = None
    postal_code: str | None = None


class StorePostCustomersCustomerPasswordTokenReq(Validated):
    """reset-password-token.ts."""

    __rules__ = {"email": Prop((is_email,))}
    email: str


class StorePostCustomersResetPasswordReq(Validated):
    """reset-password.ts."""

    __rules__ = {
        "email": Prop((is_email,)),
        "token": Prop((is_string,)),
        "password": Prop((is_string,)),
    }
    email: str
    token: str
    password: str
