"""Routers every domain uses: admin (authenticated), admin public, and store."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from mercato.core.http import TxRoute
from mercato.modules.auth.deps import current_admin


def admin_router(tag: str) -> APIRouter:
    """/admin routes behind Medusa's admin authentication (session, bearer JWT or API token)."""
    return APIRouter(prefix="/admin", tags=[tag], route_class=TxRoute, dependencies=[Depends(current_admin)])


def public_router(prefix: str, tag: str) -> APIRouter:
    """Routes without required authentication (the five public admin routes, and /store)."""
    return APIRouter(prefix=prefix, tags=[tag], route_class=TxRoute)
