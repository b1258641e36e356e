"""The notification subscriber (subscribers/notification.js): every event a provider is subscribed
to is handed to NotificationService.handleEvent, inside the event's delivery transaction."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mercato.core.events import EventBus, delivery_session
from mercato.modules.notifications.service import NotificationService
from mercato.providers.notification import prefetch_recipients

log = logging.getLogger(__name__)


def install(bus: EventBus, settings: Any) -> None:
    """Called by `EventBus(settings)`: builds the NotificationService and subscribes it."""
    bus.notifications = NotificationService.from_settings(settings)  # type: ignore[attr-defined]

    async def on_event(event_name: str, data: dict[str, Any]) -> None:
        service: NotificationService = bus.notifications  # type: ignore[attr-defined]
        if event_name not in service.subscribers:
            return
        tx = delivery_session()
        if tx is None:  # not delivered by EventBus.deliver_pending
            log.warning("notification for %s skipped: no delivery session", event_name)
            return
        await service.handle_event(tx, event_name, data if isinstance(data, dict) else {})

    def wants(event_name: str) -> bool:
        return event_name in bus.notifications.subscribers  # type: ignore[attr-defined]

    async def prepare(tx: AsyncSession, events: list[tuple[str, dict[str, Any]]]) -> None:
        await prefetch_recipients(tx, [(name, data) for name, data in events if wants(name)])

    # Medusa's subscriber listens to "*" and asks the service whether anyone is subscribed
    bus.subscribe("*", on_event, wants, prepare)


def notification_service(app: Any) -> NotificationService:
    """The app's NotificationService (the one its event bus notifies through)."""
    bus = getattr(app.state, "events", None)
    found = getattr(bus, "notifications", None)
    if isinstance(found, NotificationService):
        return found
    service = NotificationService.from_settings(app.state.settings)
    if bus is not None:
        bus.notifications = service
    return service
