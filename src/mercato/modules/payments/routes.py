"""Payments: Admin Payments (/admin/payments…), Admin and Store Payment Collections.
The cart payment-session routes live in store_routes.py (imported here so app.py includes them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Request, Response
from sqlalchemy import select

from mercato.core.errors import MedusaError
from mercato.core.http import Tx, ok
from mercato.core.present import OBJECT_ENTITIES, Tree, load_options, present, relation_tree, with_object
from mercato.core.query import RetrieveParams, params
from mercato.core.routing import admin_router, public_router
from mercato.core.validation import body_or_empty
from mercato.modules.orders.models import Payment
from mercato.modules.payments import collections, service
from mercato.modules.payments.schemas import (
    AdminPostPaymentRefundsReq,
    AdminUpdatePaymentCollectionsReq,
    StorePaymentCollectionSessionsReq,
    StorePostPaymentCollectionsBatchSessionsAuthorizeReq,
    StorePostPaymentCollectionsBatchSessionsReq,
)
from mercato.modules.payments.store_routes import store_carts  # noqa: F401  (auto-included router)
from mercato.modules.store_customers.deps import OptionalCustomer

admin = admin_router("Payments")
store = public_router("/store", "Payment Collections")

# the Payment entity's relations; Mercato makes no swaps yet, so `swap` is always null
_PAYMENT_RELATIONS = ("order", "cart", "currency", "swap")


def _fields(p: RetrieveParams, defaults: set[str] | tuple[str, ...]) -> tuple[set[str], list[str]]:
    """get-query-config for a retrieve: `fields` replaces the default columns; `expand` names
    relations (a dotted field adds its relation)."""
    relations: list[str] = [r for r in (p.expand or "").split(",") if r]
    if p.fields:
        chosen = {f for f in p.fields.split(",") if f}
        for f in chosen:
            if "." in f:
                relations.append(f.rsplit(".", 1)[0])
        return {f for f in chosen if "." not in f} | {"id"}, relations
    return set(defaults), relations


# ---- admin payments --------------------------------------------------------------------------


@admin.get("/payments/{payment_id}")
async def get_payment(
    payment_id: str, p: Annotated[RetrieveParams, Depends(params(RetrieveParams))], tx: Tx
) -> Response:
    fields, relations = _fields(p, service.DEFAULT_PAYMENT_FIELDS)
    if any(r not in _PAYMENT_RELATIONS for r in relations):
        raise MedusaError("unknown_error", "An unknown error occurred.")
    payment = await service.retrieve_payment(tx, payment_id)
    out = service.present_payment(payment, fields)
    if "swap" in relations:
        out["swap"] = None
    tree = relation_tree([r for r in relations if r != "swap"])
    if tree:
        loaded = (
            await tx.execute(
                select(Payment).where(Payment.id == payment_id).options(*load_options(Payment, tree))
            )
        ).scalar_one()
        for name in tree:
            shown = present(getattr(loaded, name))
            out[name] = with_object(shown, name) if name in OBJECT_ENTITIES else shown
    return ok({"payment": out})


@admin.post("/payments/{payment_id}/capture")
async def capture_payment(payment_id: str, tx: Tx) -> Response:
    payment = await service.capture_payment(tx, payment_id)
    return ok({"payment": service.present_payment(payment)})


@admin.post("/payments/{payment_id}/refund")
async def refund_payment(
    payment_id: str, tx: Tx, body: Annotated[AdminPostPaymentRefundsReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostPaymentRefundsReq, body)
    refund = await service.refund_payment(tx, payment_id, data.amount, data.reason, data.note)
    return ok({"refund": present(refund)})


# ---- admin payment collections ---------------------------------------------------------------


@admin.get("/payment-collections/{collection_id}")
async def admin_get_collection(
    collection_id: str, p: Annotated[RetrieveParams, Depends(params(RetrieveParams))], tx: Tx
) -> Response:
    return await _get_collection(tx, collection_id, p, collections.ADMIN_TREE, collections.ADMIN_FIELDS)


async def _get_collection(
    tx: Tx, collection_id: str, p: RetrieveParams, default_tree: Tree, default_fields: set[str]
) -> Response:
    fields, relations = _fields(p, default_fields)
    tree = relation_tree(relations) if p.expand is not None else default_tree
    try:
        collection = await collections.retrieve_collection(tx, collection_id, tree)
    except AttributeError as err:  # an unknown relation: Medusa's 500
        raise MedusaError("unknown_error", "An unknown error occurred.") from err
    return ok({"payment_collection": collections.present_collection(collection, tree, fields)})


@admin.post("/payment-collections/{collection_id}")
async def admin_update_collection(
    collection_id: str, tx: Tx, body: Annotated[AdminUpdatePaymentCollectionsReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminUpdatePaymentCollectionsReq, body)
    collection = await collections.update_collection(
        tx,
        collection_id,
        data.description,
        data.metadata,
        set_description="description" in data.model_fields_set,
    )
    return ok({"payment_collection": collections.present_collection(collection)})


@admin.post("/payment-collections/{collection_id}/authorize")
async def admin_authorize_collection(collection_id: str, tx: Tx) -> Response:
    collection = await collections.mark_as_authorized(tx, collection_id)
    return ok({"payment_collection": collections.present_collection(collection)})


@admin.delete("/payment-collections/{collection_id}")
async def admin_delete_collection(collection_id: str, tx: Tx) -> Response:
    await collections.delete_collection(tx, collection_id)
    return ok({"id": collection_id, "deleted": True, "object": "payment_collection"})


# ---- store payment collections ---------------------------------------------------------------


@store.get("/payment-collections/{collection_id}")
async def store_get_collection(
    collection_id: str, p: Annotated[RetrieveParams, Depends(params(RetrieveParams))], tx: Tx
) -> Response:
    return await _get_collection(tx, collection_id, p, collections.STORE_TREE, collections.STORE_FIELDS)


@store.post("/payment-collections/{collection_id}/sessions/batch")
async def store_manage_batch_sessions(
    collection_id: str,
    tx: Tx,
    customer_id: OptionalCustomer,
    body: Annotated[StorePostPaymentCollectionsBatchSessionsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostPaymentCollectionsBatchSessionsReq, body)
    collection = await collections.set_sessions_batch(tx, collection_id, data.sessions, customer_id)
    return ok({"payment_collection": collections.present_collection(collection, collections.WRITE_TREE)})


@store.post("/payment-collections/{collection_id}/sessions/batch/authorize")
async def store_authorize_batch_sessions(
    collection_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[StorePostPaymentCollectionsBatchSessionsAuthorizeReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePostPaymentCollectionsBatchSessionsAuthorizeReq, body)
    collection = await collections.authorize_sessions(
        tx, collection_id, data.session_ids, _request_context(request)
    )
    tree = relation_tree(["payment_sessions", "payments"])
    collection = await collections.retrieve_collection(tx, collection.id, tree)
    return ok({"payment_collection": collections.present_collection(collection, tree)})


@store.post("/payment-collections/{collection_id}/sessions")
async def store_manage_session(
    collection_id: str,
    tx: Tx,
    customer_id: OptionalCustomer,
    body: Annotated[StorePaymentCollectionSessionsReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(StorePaymentCollectionSessionsReq, body)
    collection = await collections.set_session(tx, collection_id, data.provider_id, customer_id)
    return ok({"payment_collection": collections.present_collection(collection, collections.WRITE_TREE)})


@store.post("/payment-collections/{collection_id}/sessions/{session_id}")
async def store_refresh_session(
    collection_id: str, session_id: str, tx: Tx, customer_id: OptionalCustomer
) -> Response:
    session = await collections.refresh_session(tx, collection_id, session_id, customer_id)
    return ok({"payment_session": present(session)})


@store.post("/payment-collections/{collection_id}/sessions/{session_id}/authorize")
async def store_authorize_session(collection_id: str, session_id: str, request: Request, tx: Tx) -> Response:
    collection = await collections.authorize_sessions(
        tx, collection_id, [session_id], _request_context(request)
    )
    collection = await collections.retrieve_collection(tx, collection.id, relation_tree(["payment_sessions"]))
    session = next((s for s in collections.sessions_of(collection) if s.id == session_id), None)
    if session is None or session.status != "authorized":
        raise MedusaError(
            "payment_authorization_error", f'Failed to authorize Payment Session id "{collection_id}"'
        )
    return ok({"payment_session": present(session)})


def _request_context(request: Request) -> dict[str, str | None]:
    """Medusa's req.request_context: the caller's ip and user agent."""
    return {
        "ip": request.client.host if request.client else None,
        "user_agent": request.headers.get("user-agent"),
    }
