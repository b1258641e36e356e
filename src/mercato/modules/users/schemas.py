"""Request models of the users and invites groups, mirroring Medusa's validator classes.

Medusa validates with class-validator (`whitelist` + `forbidNonWhitelisted`) and joins every
message with ", ": first one "property x should not exist" per unknown key (in body order), then
each declared property in class order, its constraints in reverse decorator order, then nested
children. To answer with the same text, each model runs that check on the raw input before
pydantic (`_Rules`); pydantic then only types what already passed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from mercato.core.query import DateFilter, ListParams

ROLES = ("admin", "member", "developer")  # models/user.ts UserRoles, in declaration order
# types/user.ts UserRole (used by the list filter) declares them in another order.
LIST_ROLES = ("member", "admin", "developer")

Role = Literal["admin", "member", "developer"]

_MISSING: Any = object()

Check = Callable[[str, Any], str | None]


@dataclass(frozen=True)
class Prop:
    """One declared property: its checks in class-validator's reporting order."""

    checks: tuple[Check, ...] = ()
    optional: bool = False
    nested: dict[str, Prop] | None = None
    convert: Callable[[Any], Any] | None = None


# ---- class-validator constraints -----------------------------------------------------------

_USER_PART = re.compile(r"[a-z\d!#$%&'*+\-/=?^_`{|}~\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+", re.I)
_QUOTED_USER = re.compile(
    r"([\s\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x21\x23-\x5b\x5d-\x7e\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]"
    r"|(\\[\x01-\x09\x0b\x0c\x0d-\x7f\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]))*",
    re.I,
)
_TLD = re.compile(r"([a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})", re.I)
_LABEL = re.compile(r"[a-z_\u00a1-\U0010ffff0-9-]+", re.I)
_FULLWIDTH = re.compile(r"[\uff01-\uff5e]")


def _byte_length(value: str) -> int:
    return len(value.encode("utf-8", "surrogatepass"))


def _is_fqdn(domain: str) -> bool:
    parts = domain.split(".")
    tld = parts[-1]
    if len(parts) < 2 or not _TLD.fullmatch(tld) or re.search(r"\s", tld) or tld.isdigit():
        return False
    return all(
        len(part) <= 63
        and _LABEL.fullmatch(part)
        and not _FULLWIDTH.search(part)
        and not part.startswith("-")
        and not part.endswith("-")
        and "_" not in part
        for part in parts
    )


def is_email_address(value: Any) -> bool:
    """validator.js isEmail with its default options, as class-validator's @IsEmail() calls it."""
    if not isinstance(value, str) or len(value) > 254:
        return False
    parts = value.split("@")
    domain = parts.pop()
    user = "@".join(parts)
    if _byte_length(user) > 64 or _byte_length(domain) > 254 or not _is_fqdn(domain):
        return False
    if user[:1] == '"' and user[-1:] == '"':
        return bool(_QUOTED_USER.fullmatch(user[1:-1]))
    return all(_USER_PART.fullmatch(part) for part in user.split("."))


def is_string(name: str, value: Any) -> str | None:
    return None if isinstance(value, str) else f"{name} must be a string"


def is_email(name: str, value: Any) -> str | None:
    return None if is_email_address(value) else f"{name} must be an email"


def is_not_empty(name: str, value: Any) -> str | None:
    empty = value is _MISSING or value is None or (isinstance(value, str) and value == "")
    return f"{name} should not be empty" if empty else None


def is_object(name: str, value: Any) -> str | None:
    return None if isinstance(value, dict) else f"{name} must be an object"


def is_enum(values: Sequence[str]) -> Check:
    def check(name: str, value: Any) -> str | None:
        if isinstance(value, str) and value in values:
            return None
        return f"{name} must be one of the following values: {', '.join(values)}"

    return check


def each_is_enum(values: Sequence[str]) -> Check:
    def check(name: str, value: Any) -> str | None:
        items = value if isinstance(value, list) else [value]
        if all(isinstance(v, str) and v in values for v in items):
            return None
        return f"each value in {name} must be one of the following values: {', '.join(values)}"

    return check


def is_string_or_strings(name: str, value: Any) -> str | None:
    # @IsType([String, [String]])
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return None
    return f"{name} must be one of: String,[String]"


def is_number(name: str, value: Any) -> str | None:
    # @IsNumber() after @Type(() => Number): any string Number() accepts; negatives make no page.
    try:
        number = float(value) if isinstance(value, str) and value.strip() else float("nan")
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        return f"{name} must be a number conforming to the specified constraints"
    if number < 0:
        return f"{name} must not be less than 0"
    if not number.is_integer():
        return f"{name} must be an integer number"
    return None


def to_date(value: Any) -> datetime.datetime | None:
    """utils/validators/date-transform.ts: a date string, otherwise seconds since the epoch."""
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            return datetime.datetime.fromtimestamp(float(value), tz=datetime.UTC)
        except (ValueError, OverflowError, OSError):
            return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=datetime.UTC)


def is_date(name: str, value: Any) -> str | None:
    return None if to_date(value) is not None else f"{name} must be a Date instance"


# ---- running the rules -----------------------------------------------------------------------


def check_rules(data: dict[str, Any], rules: dict[str, Prop]) -> tuple[list[str], dict[str, Any]]:
    """Medusa's messages for `data`, and the data with converted values (dates)."""
    messages = [f"property {key} should not exist" for key in data if key not in rules]
    out = dict(data)
    for name, prop in rules.items():
        value = data.get(name, _MISSING)
        if prop.optional and (value is _MISSING or value is None):
            continue
        failed = [m for m in (check(name, value) for check in prop.checks) if m]
        messages.extend(failed)
        if prop.nested is not None and value is not _MISSING:
            if isinstance(value, dict):
                inner, converted = check_rules(value, prop.nested)
                messages.extend(inner)
                out[name] = converted
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        messages.extend(check_rules(item, prop.nested)[0])
                    else:
                        messages.append(f"nested property {name} must be either object or array")
            else:
                messages.append(f"nested property {name} must be either object or array")
        elif not failed and prop.convert is not None and value is not _MISSING:
            out[name] = prop.convert(value)
    return messages, out


def apply_rules(data: Any, rules: dict[str, Prop]) -> Any:
    if not isinstance(data, dict):
        return data
    messages, converted = check_rules(data, rules)
    if messages:
        raise ValueError(", ".join(messages))
    return converted


class _Rules(BaseModel):
    """A model validated first by its class-validator rules (Medusa's message), then by pydantic."""

    model_config = ConfigDict(extra="forbid")
    __rules__: ClassVar[dict[str, Prop]] = {}

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        return apply_rules(data, cls.__rules__)


# ---- users ----------------------------------------------------------------------------------


class AdminCreateUserRequest(_Rules):
    __rules__ = {
        "email": Prop((is_email,)),
        "first_name": Prop((is_string,), optional=True),
        "last_name": Prop((is_string,), optional=True),
        "role": Prop((is_enum(ROLES),), optional=True),
        "password": Prop((is_string,)),
    }
    email: str
    first_name: str | None = None
    last_name: str | None = None
    role: Role | None = None
    password: str


class AdminUpdateUserRequest(_Rules):
    __rules__ = {
        "first_name": Prop((is_string,), optional=True),
        "last_name": Prop((is_string,), optional=True),
        "role": Prop((is_enum(ROLES),), optional=True),
        "api_token": Prop((is_string,), optional=True),
        "metadata": Prop((is_object,), optional=True),
    }
    first_name: str | None = None
    last_name: str | None = None
    role: Role | None = None
    api_token: str | None = None
    metadata: dict[str, Any] | None = None


class AdminResetPasswordTokenRequest(_Rules):
    __rules__ = {"email": Prop((is_email,))}
    email: str


class AdminResetPasswordRequest(_Rules):
    __rules__ = {
        "email": Prop((is_email,), optional=True),
        "token": Prop((is_string,)),
        "password": Prop((is_string,)),
    }
    email: str | None = None
    token: str
    password: str


_DATE_OPERATOR = {op: Prop((is_date,), optional=True, convert=to_date) for op in ("lt", "gt", "gte", "lte")}


class AdminGetUsersParams(ListParams):
    """extendedFindParamsMixin({limit: 50, offset: 0}) plus the user filters."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "id": Prop((is_string_or_strings,), optional=True),
        "q": Prop((is_string,), optional=True),
        "order": Prop((is_string,), optional=True),
        "updated_at": Prop(optional=True, nested=_DATE_OPERATOR),
        "created_at": Prop(optional=True, nested=_DATE_OPERATOR),
        "deleted_at": Prop(optional=True, nested=_DATE_OPERATOR),
        "email": Prop((is_string,), optional=True),
        "first_name": Prop((is_string,), optional=True),
        "last_name": Prop((is_string,), optional=True),
        "role": Prop((each_is_enum(LIST_ROLES),), optional=True),
        "fields": Prop((is_string,), optional=True),
        "expand": Prop((is_string,), optional=True),
        "offset": Prop((is_number,), optional=True),
        "limit": Prop((is_number,), optional=True),
    }

    limit: int = 50
    id: str | list[str] | None = None
    q: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    role: str | list[str] | None = None
    created_at: DateFilter | None = None
    updated_at: DateFilter | None = None
    deleted_at: DateFilter | None = None

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        return apply_rules(data, cls.__rules__)


# ---- invites --------------------------------------------------------------------------------


class AdminPostInvitesReq(_Rules):
    __rules__ = {
        "user": Prop((is_email,)),
        "role": Prop((is_enum(ROLES),)),
    }
    user: str
    role: Role


_ACCEPT_USER = {
    "first_name": Prop((is_string,), optional=True),
    "last_name": Prop((is_string,), optional=True),
    "password": Prop((is_string,)),
}


class AdminPostInvitesInviteAcceptUserReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    first_name: str | None = None
    last_name: str | None = None
    password: str | None = None


class AdminPostInvitesInviteAcceptReq(_Rules):
    __rules__ = {
        # @IsString() @IsNotEmpty(): decorators run bottom-up, so "should not be empty" comes first.
        "token": Prop((is_not_empty, is_string)),
        "user": Prop((is_not_empty,), nested=_ACCEPT_USER),
    }
    token: str
    # Medusa accepts an array here too (class-validator validates each element); its service
    # then reads no name and no password from it.
    user: AdminPostInvitesInviteAcceptUserReq | list[AdminPostInvitesInviteAcceptUserReq]

    def user_fields(self) -> AdminPostInvitesInviteAcceptUserReq:
        if isinstance(self.user, list):
            return AdminPostInvitesInviteAcceptUserReq()
        return self.user
