"""Request models of the notes group, mirroring Medusa's validator classes (api/routes/admin/notes/*.ts)."""

from __future__ import annotations

from mercato.core.validation import (
    Prop,
    Validated,
    is_non_negative_integer,
    is_not_empty,
    is_number,
    is_string,
    js_number,
)


class AdminPostNotesReq(Validated):
    # @IsString() @IsNotEmpty(): decorators run bottom-up, so "should not be empty" comes first
    __rules__ = {
        "resource_id": Prop((is_not_empty, is_string)),
        "resource_type": Prop((is_not_empty, is_string)),
        "value": Prop((is_not_empty, is_string)),
    }
    resource_id: str
    resource_type: str
    value: str


class AdminPostNotesNoteReq(Validated):
    __rules__ = {"value": Prop((is_string,))}
    value: str


_PAGE_BOUND = Prop((is_number, is_non_negative_integer), optional=True, convert=js_number)


class AdminGetNotesParams(Validated):
    """Validated by `validator(AdminGetNotesParams, req.query)`: no expand, fields or order."""

    __rules__ = {
        "resource_id": Prop((is_string,), optional=True),
        "limit": _PAGE_BOUND,
        "offset": _PAGE_BOUND,
    }
    resource_id: str | None = None
    limit: int = 50
    offset: int = 0
