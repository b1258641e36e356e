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
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from mercato.core import jsdate
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
    # @ValidateNested on an array: each object element is checked against `nested` (messages only)
    # and each other element is reported. Off: an array is reported once, as any non-object.
    nested_arrays: bool = False
    # `@ValidateNested({each: true})` over an array of `nested` objects: each item is checked
    # in turn (its messages in item order); an item that is no object is reported as
    # "each value in nested property <name> must be either object or array".
    nested_each: bool = False
    # @Validate(XorConstraint, [other]): exactly one of this property and `other` is truthy
    xor_with: str | None = None
    # @ValidateIf(condition): the property is checked only when condition(object) holds
    validate_if: Callable[[dict[str, Any]], bool] | None = None


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


def is_boolean_string(name: str, value: Any) -> str | None:
    """class-validator's IsBooleanString: "true", "false", "1" or "0"."""
    return None if value in ("true", "false", "1", "0") else f"{name} must be a boolean string"


def is_object(name: str, value: Any) -> str | None:
    return None if isinstance(value, dict) else f"{name} must be an object"


def is_array(name: str, value: Any) -> str | None:
    return None if isinstance(value, list) else f"{name} must be an array"


def is_string_or_strings(name: str, value: Any) -> str | None:
    """Medusa's @IsType([String, [String]]): a string or an array of strings."""
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return None
    return f"{name} must be one of: String,[String]"


def is_enum(values: Sequence[str]) -> Check:
    """@IsEnum(E): one of the string values of E (listed in E's declaration order)."""

    def check(name: str, value: Any) -> str | None:
        if isinstance(value, str) and value in values:
            return None
        return f"{name} must be one of the following values: {', '.join(values)}"

    return check


# ---- @IsEmail(): validator.js isEmail with its default options -------------------------------

_EMAIL_USER_PART = re.compile(r"[a-z\d!#$%&'*+\-/=?^_`{|}~\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+", re.I)
_EMAIL_QUOTED_USER = re.compile(
    r"([\s\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x21\x23-\x5b\x5d-\x7e\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]"
    r"|(\\[\x01-\x09\x0b\x0c\x0d-\x7f\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]))*",
    re.I,
)
_FQDN_TLD = re.compile(
    r"([a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})", re.I
)
_FQDN_LABEL = re.compile(r"[a-z_\u00a1-\U0010ffff0-9-]+", re.I)
_FULLWIDTH = re.compile(r"[\uff01-\uff5e]")


def _byte_length(value: str) -> int:
    return len(value.encode("utf-8", "surrogatepass"))


def is_fqdn(domain: str) -> bool:
    """validator.js isFQDN with its default options (a TLD required, no trailing dot, no underscores)."""
    parts = domain.split(".")
    tld = parts[-1]
    if len(parts) < 2 or not _FQDN_TLD.fullmatch(tld) or re.search(r"\s", tld) or tld.isdigit():
        return False
    return all(
        len(part) <= 63
        and _FQDN_LABEL.fullmatch(part)
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
    if _byte_length(user) > 64 or _byte_length(domain) > 254 or not is_fqdn(domain):
        return False
    if user[:1] == '"' and user[-1:] == '"':
        return bool(_EMAIL_QUOTED_USER.fullmatch(user[1:-1]))
    return all(_EMAIL_USER_PART.fullmatch(part) for part in user.split("."))


def is_email(name: str, value: Any) -> str | None:
    return None if is_email_address(value) else f"{name} must be an email"


def is_int(name: str, value: Any) -> str | None:
    """@IsInt(): a number without a fractional part."""
    if _is_number_value(value) and float(value).is_integer():
        return None
    return f"{name} must be an integer number"


def min_value(minimum: float) -> Check:
    """@Min(n): a number not below n (anything that is no number fails too)."""

    def check(name: str, value: Any) -> str | None:
        if _is_number_value(value) and value >= minimum:
            return None
        shown = int(minimum) if float(minimum).is_integer() else minimum
        return f"{name} must not be less than {shown}"

    return check


def array_not_empty(name: str, value: Any) -> str | None:
    """@ArrayNotEmpty(): an array with at least one item."""
    return None if isinstance(value, list) and value else f"{name} should not be empty"


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


def is_non_negative_integer_text(name: str, value: Any) -> str | None:
    """A page bound checked on the query text itself, left unconverted for pydantic to read:
    text that Python's float() reads (so "1_0" passes and "" fails), finite, not negative and
    whole, with the messages of is_number and is_non_negative_integer. (Medusa converts with
    Number(): `Prop((is_number, is_non_negative_integer), convert=js_number)` is that behaviour.)"""
    try:
        number = float(value) if isinstance(value, str) and value.strip() else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return f"{name} must be a number conforming to the specified constraints"
    if number < 0:
        return f"{name} must not be less than 0"
    if not number.is_integer():
        return f"{name} must be an integer number"
    return None


def to_date(value: Any) -> Any:
    """utils/validators/date-transform.ts: what `new Date(text)` makes of the text (core.jsdate:
    ISO 8601, and JavaScript's other forms such as `01-26-1990`), otherwise `Number(text)` as
    seconds since the epoch; the text itself when neither is a date (is_date refuses it)."""
    if isinstance(value, datetime.datetime) or not isinstance(value, str):
        return value
    parsed = jsdate.parse(value)
    if parsed is None:
        parsed = jsdate.from_seconds(value)
    return value if parsed is None else parsed


def is_date(name: str, value: Any) -> str | None:
    return None if isinstance(value, datetime.datetime) else f"{name} must be a Date instance"


def date_operator(convert: Callable[[Any], Any] = to_date) -> dict[str, Prop]:
    """DateComparisonOperator's properties (lt, gt, gte, lte), each converted by `convert`."""
    return {op: Prop((is_date,), optional=True, convert=convert) for op in ("lt", "gt", "gte", "lte")}


DATE_OPERATOR: dict[str, Prop] = date_operator()


def _js_truthy(value: Any) -> bool:
    if value is MISSING or value is None or value is False:
        return False
    if isinstance(value, int | float | str) and not value:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def check_rules(data: dict[str, Any], rules: dict[str, Prop]) -> tuple[list[str], dict[str, Any]]:
    """Medusa's messages for `data`, and the data with converted values."""
    messages = [f"property {key} should not exist" for key in data if key not in rules]
    out = dict(data)
    for name, prop in rules.items():
        value = data.get(name, MISSING)
        if prop.validate_if is not None and not prop.validate_if(data):
            continue
        if prop.optional and (value is MISSING or value is None):
            continue
        if prop.xor_with is not None and _js_truthy(value) == _js_truthy(data.get(prop.xor_with)):
            messages.append(f'Failed XOR relation between "{name}" and "{prop.xor_with}".')
        if prop.convert is not None and value is not MISSING:
            value = prop.convert(value)
            out[name] = value
        messages.extend(m for m in (check(name, value) for check in prop.checks) if m)
        if prop.nested is not None and prop.nested_each and value is not MISSING:
            inner_each, converted_each = _check_each_nested(name, value, prop.nested)
            messages.extend(inner_each)
            out[name] = converted_each
        elif prop.nested is not None and value is not MISSING:
            if isinstance(value, dict):
                inner, converted = check_rules(value, prop.nested)
                messages.extend(inner)
                out[name] = converted
            elif prop.nested_arrays and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        messages.extend(check_rules(item, prop.nested)[0])
                    else:
                        messages.append(f"nested property {name} must be either object or array")
            else:
                messages.append(f"nested property {name} must be either object or array")
    return messages, out


def _check_each_nested(name: str, value: Any, rules: dict[str, Prop]) -> tuple[list[str], Any]:
    if isinstance(value, dict):
        return check_rules(value, rules)
    if not isinstance(value, list):
        return [f"each value in nested property {name} must be either object or array"], value
    messages: list[str] = []
    items: list[Any] = []
    for item in value:
        inner, converted = _check_each_nested(name, item, rules)
        messages.extend(inner)
        items.append(converted)
    return messages, items


def apply_rules(data: Any, rules: dict[str, Prop], *, pass_non_objects: bool = False) -> Any:
    """The converted data, or a ValueError with Medusa's messages.

    A value that is not an object gets class-validator's answer, or with `pass_non_objects` is
    handed on unchecked, so that pydantic refuses it with its own message."""
    if isinstance(data, BaseModel):
        return data
    if not isinstance(data, dict):
        if pass_non_objects:
            return data
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
    # apply_rules(pass_non_objects=...): True lets pydantic word the refusal of a non-object body
    __pass_non_objects__: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _medusa_rules(cls, data: Any) -> Any:
        return apply_rules(data, cls.__rules__, pass_non_objects=cls.__pass_non_objects__)


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
