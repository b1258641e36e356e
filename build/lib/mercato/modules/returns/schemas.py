"""Request models of the return reasons group, mirroring Medusa's validator classes
(api/routes/admin/return-reasons/*.ts). The store routes and the admin reads take no parameters:
Medusa does not validate their query strings (any key is ignored)."""

from __future__ import annotations

from typing import Any

from mercato.core.validation import Prop, Validated, is_string

_OPTIONAL_STRING = Prop((is_string,), optional=True)
# `@IsOptional()` alone: any JSON value is accepted and stored as it is
_ANY = Prop((), optional=True)


class AdminPostReturnReasonsReq(Validated):
    __rules__ = {
        "value": Prop((is_string,)),
        "label": Prop((is_string,)),
        "parent_return_reason_id": _OPTIONAL_STRING,
        "description": _OPTIONAL_STRING,
        "metadata": _ANY,
    }
    value: str
    label: str
    parent_return_reason_id: str | None = None
    description: str | None = None
    metadata: Any = None


class AdminPostReturnReasonsReasonReq(Validated):
    __rules__ = {
        "label": _OPTIONAL_STRING,
        "value": _OPTIONAL_STRING,
        "description": _OPTIONAL_STRING,
        "metadata": _ANY,
    }
    label: str | None = None
    value: str | None = None
    description: str | None = None
    metadata: Any = None
