"""Request models of the payments groups, mirroring Medusa's validator classes
(api/routes/admin/payments, admin/payment-collections, store/payment-collections, store/carts)."""

from __future__ import annotations

from typing import Any

from mercato.core.validation import (
    Prop,
    Validated,
    each,
    is_array,
    is_enum,
    is_int,
    is_not_empty,
    is_object,
    is_string,
)
from mercato.modules.payments.service import REFUND_REASONS


class AdminPostPaymentRefundsReq(Validated):
    __rules__ = {
        "amount": Prop((is_not_empty, is_int)),
        "reason": Prop((is_not_empty, is_enum(REFUND_REASONS))),
        "note": Prop((is_string,), optional=True),
    }
    amount: int
    reason: str
    note: str | None = None


class AdminUpdatePaymentCollectionsReq(Validated):
    __rules__ = {
        "description": Prop((is_string,), optional=True),
        "metadata": Prop((is_object,), optional=True),
    }
    description: str | None = None
    metadata: dict[str, Any] | None = None


class StorePaymentCollectionSessionsReq(Validated):
    __rules__ = {"provider_id": Prop((is_string,))}
    provider_id: str


_SESSION_ITEM = {
    "provider_id": Prop((is_string,)),
    "amount": Prop((is_not_empty, is_int)),
    "session_id": Prop((is_string,), optional=True),
}


class StorePostPaymentCollectionsSessionsReq(Validated):
    __rules__ = _SESSION_ITEM
    provider_id: str
    amount: int
    session_id: str | None = None


class StorePostPaymentCollectionsBatchSessionsReq(Validated):
    __rules__ = {"sessions": Prop((is_array,), nested=_SESSION_ITEM, nested_each=True)}
    sessions: list[StorePostPaymentCollectionsSessionsReq]


class StorePostPaymentCollectionsBatchSessionsAuthorizeReq(Validated):
    __rules__ = {"session_ids": Prop((each(is_string), is_array))}
    session_ids: list[str]


class StorePostCartsCartPaymentSessionReq(Validated):
    __rules__ = {"provider_id": Prop((is_string,))}
    provider_id: str


class StorePostCartsCartPaymentSessionUpdateReq(Validated):
    __rules__ = {"data": Prop((is_object,))}
    data: dict[str, Any]
