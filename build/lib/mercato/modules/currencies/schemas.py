"""Request models of the currencies group, mirroring Medusa's validator classes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, StrictBool, field_validator


def _number(name: str, value: Any) -> int:
    # FindPaginationParams: @IsNumber() @Type(() => Number); class-validator's message.
    try:
        number = int(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a number conforming to the specified constraints") from None
    if number < 0:
        raise ValueError(f"{name} must not be less than 0")
    return number


class AdminGetCurrenciesParams(BaseModel):
    """FindPaginationParams (limit 20) plus code, q, includes_tax and order; no expand/fields."""

    model_config = ConfigDict(extra="forbid")
    offset: int = 0
    limit: int = 20
    code: str | None = None
    q: str | None = None
    includes_tax: bool | None = None
    order: str | None = None

    @field_validator("offset", "limit", mode="before")
    @classmethod
    def _pagination(cls, value: Any, info: Any) -> int:
        return _number(info.field_name, value)

    @field_validator("includes_tax", mode="before")
    @classmethod
    def _boolean(cls, value: Any) -> bool:
        # Medusa validates the raw query string with IsBoolean, so every value fails there (a v1
        # bug that makes the filter unusable); we take "true"/"false".
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise ValueError("includes_tax must be a boolean value")


class AdminPostCurrenciesCurrencyReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    includes_tax: StrictBool | None = None
