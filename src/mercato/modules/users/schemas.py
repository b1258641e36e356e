"""Request models of the users and invites groups, mirroring Medusa's validator classes.

The class-validator checks (and Medusa's messages) are mercato.core.validation's. This group keeps
four behaviours of the copy of those checks it used to have, where it differs from the regions and
notes groups: a body that is not an object is refused by pydantic ("body must be an object"), page
bounds are checked on the query text without converting it, a date filter is read without turning
"Z" into "+00:00", and a date filter given as an array reports each of its elements. Medusa 1.20
answers as the other groups do for the first three, and as this group does for the last.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from mercato.core.query import DateFilter, ListParams
from mercato.core.validation import (
    Prop,
    Validated,
    apply_rules,
    date_operator,
    each,
    is_email,
    is_enum,
    is_non_negative_integer_text,
    is_not_empty,
    is_object,
    is_string,
    is_string_or_strings,
)

ROLES = ("admin", "member", "developer")  # models/user.ts UserRoles, in declaration order
# types/user.ts UserRole (used by the list filter) declares them in another order.
LIST_ROLES = ("member", "admin", "developer")

Role = Literal["admin", "member", "developer"]


class _Rules(Validated):
    # A body that is not an object gets pydantic's message (Medusa: "an unknown value was passed
    # to the validate function", as Validated answers by default).
    __pass_non_objects__ = True


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


# `created_at=a&created_at=b` is reported twice (as Medusa)
_DATES = Prop(optional=True, nested=date_operator(), nested_arrays=True)
# `limit=` and `limit=1e1` are refused, `limit=1_0` is 10 (Medusa: 0, 10 and refused)
_PAGE_BOUND = Prop((is_non_negative_integer_text,), optional=True)


class AdminGetUsersParams(ListParams):
    """extendedFindParamsMixin({limit: 50, offset: 0}) plus the user filters."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "id": Prop((is_string_or_strings,), optional=True),
        "q": Prop((is_string,), optional=True),
        "order": Prop((is_string,), optional=True),
        "updated_at": _DATES,
        "created_at": _DATES,
        "deleted_at": _DATES,
        "email": Prop((is_string,), optional=True),
        "first_name": Prop((is_string,), optional=True),
        "last_name": Prop((is_string,), optional=True),
        "role": Prop((each(is_enum(LIST_ROLES)),), optional=True),
        "fields": Prop((is_string,), optional=True),
        "expand": Prop((is_string,), optional=True),
        "offset": _PAGE_BOUND,
        "limit": _PAGE_BOUND,
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
        return apply_rules(data, cls.__rules__, pass_non_objects=True)


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
        "user": Prop((is_not_empty,), nested=_ACCEPT_USER, nested_arrays=True),
    }
    token: str
    # Medusa accepts an array here too (class-validator validates each element); its service
    # then reads no name and no password from it.
    user: AdminPostInvitesInviteAcceptUserReq | list[AdminPostInvitesInviteAcceptUserReq]

    def user_fields(self) -> AdminPostInvitesInviteAcceptUserReq:
        if isinstance(self.user, list):
            return AdminPostInvitesInviteAcceptUserReq()
        return self.user
