"""Request models of the shipping profiles group, mirroring Medusa's validator classes
(api/routes/admin/shipping-profiles/*.ts)."""

from __future__ import annotations

from typing import Any

from mercato.core.validation import Prop, Validated, each, is_array, is_object, is_string

PROFILE_TYPES = ("default", "gift_card", "custom")


def is_profile_type(name: str, value: Any) -> str | None:
    """@IsEnum(ShippingProfileType, {message: …}): Medusa's own wording."""
    if isinstance(value, str) and value in PROFILE_TYPES:
        return None
    return f"{name} must be one of 'default', 'custom', 'gift_card'"


_STRINGS = Prop((each(is_string), is_array), optional=True)


class AdminPostShippingProfilesReq(Validated):
    __rules__ = {
        "name": Prop((is_string,)),
        "type": Prop((is_profile_type,)),
        "metadata": Prop((is_object,), optional=True),
    }
    name: str
    type: str
    metadata: dict[str, Any] | None = None


class AdminPostShippingProfilesProfileReq(Validated):
    __rules__ = {
        "name": Prop((is_string,), optional=True),
        "metadata": Prop((is_object,), optional=True),
        "type": Prop((is_profile_type,), optional=True),
        "products": _STRINGS,
        "shipping_options": _STRINGS,
    }
    name: str | None = None
    metadata: dict[str, Any] | None = None
    type: str | None = None
    products: list[str] | None = None
    shipping_options: list[str] | None = None
