"""Bodies and query strings checked as Medusa's class-validator checks them, with its messages.

Medusa validates with `whitelist` + `forbidNonWhitelisted` and joins every message with ", ":
first "property x should not exist" for each unknown key (in input order), then each declared
property in registration order, its constraints in reverse decorator order (decorators run
bottom-up), then the messages of nested children. `@IsOptional()` skips null and undefined.

A model lists its properties in `__rules__` (in Medusa's reporting order); the rules run on the
raw input before pydantic, so pydantic only types what already passed.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from mercato.core.errors import invalid_data, validation_message

MISSING: Any = object()

# (property name, value) -> message, or None when the value passes
Check = Callable[[str, Any], str | None]


@dataclass(frozen=True)
class Prop:
    """One declared property: its checks in class-validator's reporting order."""

    checks: tuple[Check, ...] = ()
    optional: bool = False
    nested: dict[str, Prop] | None = None
    # class-transformer's @Type/@Transform, applied before the checks (query strings are text)
    convert: Callable[[Any], Any] | None = None


def _is_number_value(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and not math.isfinite(value))
    )


def is_string(name: str, value: Any) -> str | None:
    return None if isinstance(value, str) else f"{name} must be a string"


def is_not_empty(name: str, value: Any) -> str | None:
    return (
        None if value is not MISSING and value is not None and value != "" else f"{name} should not be empty"
    )


def is_number(name: str, value: Any) -> str | None:
    if _is_number_value(value):
        return None
    return f"{name} must be a number conforming to the specified constraints"


def is_boolean(name: str, value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{name} must be a boolean value"


def is_object(name: str, value: Any) -> str | None:
    return None if isinstance(value, dict) else f"{name} must be an object"


def is_array(name: str, value: Any) -> str | None:
    return None if isinstance(value, list) else f"{name} must be an array"


def each(check: Check) -> Check:
    """`{each: true}`: every item of an array, or the value itself when it is not an array."""

    def checked(name: str, value: Any) -> str | None:
        items = value if isinstance(value, list) else [value]
        for item in items:
            message = check(name, item)
            if message is not None:
                return f"each value in {message}"
        return None

    return checked


def js_number(value: Any) -> Any:
    """class-transformer's `@Type(() => Number)`: JavaScript's Number(value) (NaN when not a number)."""
    if isinstance(value, bool):
        return int(value)
    if _is_number_value(value):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0
        try:
            number = float(text) if "_" not in text else math.nan
        except ValueError:
            return math.nan
        if not math.isfinite(number):
            return math.nan
        return int(number) if number.is_integer() else number
    return math.nan


def is_non_negative_integer(name: str, value: Any) -> str | None:
    """A page bound: Medusa passes a negative or fractional one to the database, which fails;
    we answer 400 instead."""
    if not _is_number_value(value):
        return None
    if value < 0:
        return f"{name} must not be less than 0"
    if not float(value).is_integer():
        return f"{name} must be an integer number"
    return None


def to_date(value: Any) -> Any:
    """utils/validators/date-transform.ts: a date string, otherwise seconds since the epoch."""
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return datetime.datetime.fromtimestamp(float(text), tz=datetime.UTC)
        except (ValueError, OverflowError, OSError):
            return value
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=datetime.UTC)


def is_date(name: str, value: Any) -> str | None:
    return None if isinstance(value, datetime.datetime) else f"{name} must be a Date instance"


DATE_OPERATOR: dict[str, Prop] = {
    op: Prop((is_date,), optional=True, convert=to_date) for op in ("lt", "gt", "gte", "lte")
}


def check_rules(data: dict[str, Any], rules: dict[str, Prop]) -> tuple[list[str], dict[str, Any]]:
    """Medusa's messages for `data`, and the data with converted values."""
    messages = [f"property {key} should not exist" for key in data if key not in rules]
    out = dict(data)
    for name, prop in rules.items():
        value = data.get(name, MISSING)
        if prop.optional and (value is MISSING or value is None):
            continue
        if prop.convert is not None and value is not MISSING:
            value = prop.convert(value)
            out[name] = value
        messages.extend(m for m in (check(name, value) for check in prop.checks) if m)
        if prop.nested is not None and value is not MISSING:
            if isinstance(value, dict):
                inner, converted = check_rules(value, prop.nested)
                messages.extend(inner)
                out[name] = converted
            else:
                messages.append(f"nested property {name} must be either object or array")
    return messages, out


def apply_rules(data: Any, rules: dict[str, Prop]) -> Any:
    if isinstance(data, BaseModel):
        return data
    if not isinstance(data, dict):
        # class-validator's answer to an array (or any non-object) body
        raise ValueError("an unknown value was passed to the validate function")
    messages, converted = check_rules(data, rules)
    if messages:
        raise ValueError(", ".join(messages))
    return converted


class Validated(BaseModel):
    """A model checked first by its class-validator rules (Medusa's message), then by pydantic."""

    model_config = ConfigDict(extra="forbid")
    __rules__: ClassVar[dict[str, Prop]] = {}

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        return apply_rules(data, cls.__rules__)


M = TypeVar("M", bound=BaseModel)


def body_or_empty(model: type[M], body: M | None) -> M:
    """Express hands Medusa `{}` when a request has no body: validate that, with Medusa's messages.

    Routes declare `body: Annotated[Model | None, Body()] = None` and call this."""
    if body is not None:
        return body
    try:
        return model.model_validate({})
    except ValidationError as exc:
        raise invalid_data(validation_message([dict(e) for e in exc.errors()])) from None
