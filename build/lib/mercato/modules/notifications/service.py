"""Notifications (services/notification.ts): providers subscribed to events, a `notification` row per
message sent, resends; the admin list and resend."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core import refcache
from mercato.core.errors import MedusaError, not_found
from mercato.core.present import Tree, load_options, present, relation_tree
from mercato.core.query import apply_page, count_rows
from mercato.db import raw
from mercato.modules.notifications.models import Notification, NotificationProvider
from mercato.modules.notifications.schemas import AdminGetNotificationsParams
from mercato.providers.notification import (
    AbstractNotificationService,
    build_notification_providers,
    provider_session,
)

log = logging.getLogger(__name__)

# api/routes/admin/notifications/index.ts
DEFAULT_RELATIONS = ["resends"]
DEFAULT_FIELDS = [
    "id",
    "resource_type",
    "resource_id",
    "event_name",
    "to",
    "provider_id",
    "created_at",
    "updated_at",
]
_RELATIONS = {"resends", "parent_notification", "customer", "provider"}
_COLUMNS = {c.name for c in Notification.__table__.columns}


def _unknown_error(reason: str) -> MedusaError:
    # Medusa's TypeORM query fails (an unknown relation, a negative page bound, a `fields`
    # selection with a to-many or customer relation): its handler answers 500 unknown_error
    return MedusaError("unknown_error", reason)


class NotificationService:
    """Medusa's NotificationService: installed providers, event subscriptions per provider."""

    def __init__(self, providers: dict[str, AbstractNotificationService]) -> None:
        self.providers = providers
        self.subscribers: dict[str, list[str]] = {}
        self.attachment_generator: Any = None

    @classmethod
    def from_settings(cls, settings: Any) -> NotificationService:
        """The installed providers, each subscribed to its `events`."""
        service = cls(build_notification_providers(settings))
        for provider_id, provider in service.providers.items():
            for event in provider.events:
                service.subscribe(event, provider_id)
        return service

    def register_attachment_generator(self, generator: Any) -> None:
        self.attachment_generator = generator

    def subscribe(self, event_name: str, provider_id: str) -> None:
        if not isinstance(provider_id, str):
            raise MedusaError("not_allowed", "providerId must be a string")
        self.subscribers.setdefault(event_name, []).append(provider_id)

    def retrieve_provider(self, provider_id: str | None) -> AbstractNotificationService:
        provider = self.providers.get(provider_id or "")
        if provider is None:
            shown = "null" if provider_id is None else provider_id  # JavaScript's `${null}`
            raise not_found(f"Could not find a notification provider with id: {shown}.")
        return provider

    async def handle_event(
        self, tx: AsyncSession, event_name: str, data: dict[str, Any]
    ) -> list[Notification]:
        """handleEvent: each subscribed provider sends; a provider's failure is logged, not raised."""
        subs = self.subscribers.get(event_name)
        if not subs or data.get("no_notification") is True:
            return []
        created: list[Notification] = []
        for provider_id in subs:
            try:
                notification = await self.send(tx, event_name, data, provider_id)
            except Exception as exc:
                log.warning(
                    "An error occured while %s was processing a notification for %s: %s",
                    provider_id,
                    event_name,
                    exc,
                )
                continue
            if notification is not None:
                created.append(notification)
        return created

    async def send(
        self, tx: AsyncSession, event: str, data: dict[str, Any], provider_id: str
    ) -> Notification | None:
        provider = self.retrieve_provider(provider_id)
        with provider_session(tx):
            result = await provider.send_notification(event, data, self.attachment_generator)
        if not result:
            return None
        customer_id = data.get("customer_id")
        await _ensure_provider_row(tx, provider_id)
        # written on the driver and sent with the delivery's next statement or its COMMIT: an
        # ORM unit of work for one row was most of what a placed order's notification cost
        notification: Notification = await raw.insert_entity(
            tx,
            Notification,
            {
                "resource_type": event.split(".")[0],
                "resource_id": str(data.get("id")),
                "customer_id": customer_id if isinstance(customer_id, str) and customer_id else None,
                "to": result["to"],
                "data": result["data"],
                "event_name": event,
                "provider_id": provider_id,
                "parent_id": None,
            },
            later=True,
        )
        return notification

    async def resend(self, tx: AsyncSession, notification_id: str, config: dict[str, Any]) -> Notification:
        original = await retrieve(tx, notification_id)
        provider = self.retrieve_provider(original.provider_id)
        with provider_session(tx):
            result = await provider.resend_notification(
                present(original) or {}, config, self.attachment_generator
            )
        copy = Notification(
            resource_type=original.resource_type,
            resource_id=original.resource_id,
            customer_id=original.customer_id,
            event_name=original.event_name,
            provider_id=original.provider_id,
            to=result["to"],
            data=result["data"],
            parent_id=original.id,
        )
        tx.add(copy)
        await tx.flush()
        return copy


_PROVIDER_ROW = select(NotificationProvider.id).where(NotificationProvider.id == bindparam("id"))


async def _ensure_provider_row(tx: AsyncSession, provider_id: str) -> None:
    """registerInstalledProviders: the `notification_provider` row the foreign key needs (its
    presence kept in the reference cache: every notification asks)."""

    async def load() -> bool:
        return bool(await raw.rows(tx, _PROVIDER_ROW, {"id": provider_id}))

    if await refcache.cached(tx, ("notification_provider", provider_id), load):
        return
    values = {"id": provider_id, "is_installed": True}
    if tx.get_bind().dialect.name == "postgresql":
        await tx.execute(pg_insert(NotificationProvider).values(**values).on_conflict_do_nothing())
    else:
        await tx.execute(sqlite_insert(NotificationProvider).values(**values).on_conflict_do_nothing())


async def retrieve(tx: AsyncSession, notification_id: str, tree: Tree | None = None) -> Notification:
    stmt = select(Notification).where(Notification.id == notification_id)
    if tree:
        stmt = stmt.options(*load_options(Notification, tree))
    found = (await tx.execute(stmt)).scalar_one_or_none()
    if found is None:
        raise not_found(f"Notification with id: {notification_id} was not found.")
    return found


# ---- admin -----------------------------------------------------------------------------------


def _values(raw: str | None) -> list[str] | None:
    """list-notifications.ts: a comma separated filter; an empty one is no filter."""
    if not raw:
        return None
    return raw.split(",")


def selection(p: AdminGetNotificationsParams) -> tuple[list[str], list[str]]:
    fields = p.fields.split(",") if p.fields else list(DEFAULT_FIELDS)
    relations = p.expand.split(",") if p.expand else list(DEFAULT_RELATIONS)
    unknown = [r for r in relations if r not in _RELATIONS]
    if unknown:
        raise _unknown_error(f"Relation {unknown[0]} not found")
    if p.fields and {"resends", "customer"} & set(relations):
        raise _unknown_error("fields with a to-many or customer relation")
    bad = [f for f in fields if f not in _COLUMNS]
    if bad:
        raise _unknown_error(f"column {bad[0]} does not exist")
    if p.limit < 0 or p.offset < 0:
        raise _unknown_error("negative page bound")
    return fields, relations


async def list_notifications(
    tx: AsyncSession, p: AdminGetNotificationsParams
) -> tuple[list[dict[str, Any]], int]:
    fields, relations = selection(p)
    stmt = select(Notification)
    for name in ("event_name", "resource_type", "resource_id", "to"):
        values = _values(getattr(p, name))
        if values is not None:
            column = getattr(Notification, name)
            stmt = stmt.where(column.in_(values) if len(values) > 1 else column == values[0])
    if not p.include_resends or p.include_resends == "false":
        stmt = stmt.where(Notification.parent_id.is_(None))
    count = await count_rows(tx, stmt)
    tree = relation_tree(relations)
    stmt = apply_page(
        stmt.order_by(Notification.created_at.desc(), Notification.id.desc()), p.offset, p.limit
    )
    rows = (await tx.execute(stmt.options(*load_options(Notification, tree)))).scalars().all()
    return [render(row, fields, relations) for row in rows], count


def render(row: Notification, fields: list[str], relations: list[str]) -> dict[str, Any]:
    """lodash `pick(notification, [...select, ...relations])` of a TypeORM entity selected with
    `select`: the selected columns (in alphabetical order, as the real Medusa answers them), then
    the relations with all their columns."""
    full = present(row) or {}
    out: dict[str, Any] = {name: full[name] for name in sorted(set(fields)) if name in full}
    for name in relations:
        value = getattr(row, name)
        out[name] = [present(v) for v in value] if isinstance(value, list) else present(value)
    return out


async def present_notification(tx: AsyncSession, notification_id: str) -> dict[str, Any]:
    """resend-notification.ts's answer: the (original) notification, default fields and relations."""
    row = await retrieve(tx, notification_id, relation_tree(DEFAULT_RELATIONS))
    return render(row, DEFAULT_FIELDS, DEFAULT_RELATIONS)
