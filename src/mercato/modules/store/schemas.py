"""Request models of the store group, mirroring Medusa's validator classes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator


class AdminPostStoreReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    swap_link_template: str | None = None
    payment_link_template: str | None = None
    invite_link_template: str | None = None
    default_currency_code: str | None = None
    currencies: list[str] | None = None
    metadata: dict[str, Any] | None = None

    @field_validator("currencies", mode="before")
    @classmethod
    def _currencies(cls, value: Any) -> Any:
        # class-validator: @IsArray() and @IsString({each: true}), reported in this order.
        if value is None:
            return value
        errors = []
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            errors.append("each value in currencies must be a string")
        if not isinstance(value, list):
            errors.append("currencies must be an array")
        if errors:
            raise ValueError(", ".join(errors))
        return value
