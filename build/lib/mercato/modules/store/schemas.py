"""Request models of the store group, mirroring Medusa's validator classes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from mercato.core.validation import each, is_array, is_string


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
        errors = [m for m in (each(is_string)("currencies", value), is_array("currencies", value)) if m]
        if errors:
            raise ValueError(", ".join(errors))
        return value
