"""Notification providers: Medusa's AbstractNotificationService, a registry, and two built-ins.

A provider turns an event into a message (`send_notification(event, data, attachment_generator)`)
and can send a stored notification again (`resend_notification(notification, config,
attachment_generator)`); both answer `{"to", "status", "data"}`, which NotificationService stores as
a `notification` row (`to` and `data`; Medusa ignores `status`). Answering None sends nothing and
stores nothing.

Providers come from the built-ins (`local`, `smtp`), `register_notification_provider(cls)`, and
the Python entry points group `mercato.notification_providers` (value: an
AbstractNotificationService subclass). A provider is installed when its `enabled(settings)` says
so and then subscribed to its `events` (Medusa's plugins call `notificationService.subscribe`).

- `local` (always installed) writes each notification as a JSON file into the outbox folder
  (setting `notification_outbox`, MERCATO_NOTIFICATION_OUTBOX, default ./mercato-data/notifications).
- `smtp` (installed when MERCATO_SMTP_HOST is set) sends a plain-text e-mail with the standard
  library's smtplib. Options (constructor `options` or environment): MERCATO_SMTP_HOST,
  MERCATO_SMTP_PORT (25), MERCATO_SMTP_FROM, MERCATO_SMTP_USERNAME, MERCATO_SMTP_PASSWORD,
  MERCATO_SMTP_STARTTLS / MERCATO_SMTP_SSL ("true"/"false"), MERCATO_SMTP_TIMEOUT (seconds).
"""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import os
import smtplib
import ssl
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.message import EmailMessage
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar, TypedDict

import orjson
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.db import raw

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "mercato.notification_providers"

# The events Medusa's notification plugins (medusa-plugin-sendgrid and the like) subscribe to.
DEFAULT_EVENTS: tuple[str, ...] = (
    "order.placed",
    "order.canceled",
    "order.shipment_created",
    "order.items_returned",
    "order.return_requested",
    "order.refund_created",
    "order.gift_card_created",
    "gift_card.created",
    "swap.created",
    "swap.shipment_created",
    "swap.received",
    "claim.shipment_created",
    "customer.password_reset",
    "user.password_reset",
    "invite.created",
    "restock-notification.restocked",
)

SUBJECTS: dict[str, str] = {
    "order.placed": "Your order has been placed",
    "order.canceled": "Your order has been canceled",
    "order.shipment_created": "Your order has shipped",
    "order.items_returned": "Your return has been received",
    "order.return_requested": "Your return has been requested",
    "order.refund_created": "You have been refunded",
    "order.gift_card_created": "Your gift card",
    "gift_card.created": "Your gift card",
    "swap.created": "Your exchange has been created",
    "swap.shipment_created": "Your exchange has shipped",
    "swap.received": "Your exchange has been received",
    "claim.shipment_created": "Your claim has shipped",
    "customer.password_reset": "Reset your password",
    "user.password_reset": "Reset your password",
    "invite.created": "You have been invited",
    "restock-notification.restocked": "Back in stock",
}


class ReturnedData(TypedDict):
    to: str
    status: str
    data: dict[str, Any]


class AbstractNotificationService(ABC):
    """Medusa's AbstractNotificationService (interfaces/notification-service.ts)."""

    identifier: ClassVar[str] = ""
    #: the events the provider is subscribed to once installed
    events: ClassVar[tuple[str, ...]] = DEFAULT_EVENTS

    def __init__(self, options: dict[str, Any] | None = None, settings: Any = None) -> None:
        self.options: dict[str, Any] = dict(options or {})
        self.settings = settings

    @classmethod
    def enabled(cls, settings: Any) -> bool:
        """Whether the provider is installed with these settings."""
        return True

    def get_identifier(self) -> str:
        return type(self).identifier

    @abstractmethod
    async def send_notification(
        self, event: str, data: dict[str, Any], attachment_generator: Any
    ) -> ReturnedData | None: ...

    @abstractmethod
    async def resend_notification(
        self, notification: dict[str, Any], config: dict[str, Any], attachment_generator: Any
    ) -> ReturnedData: ...


# ---- what a provider may ask while sending --------------------------------------------------

_SESSION: ContextVar[AsyncSession | None] = ContextVar("mercato_notification_session", default=None)


@contextmanager
def provider_session(tx: AsyncSession | None) -> Iterator[None]:
    """The session providers read from (set by NotificationService around a provider call)."""
    token = _SESSION.set(tx)
    try:
        yield
    finally:
        _SESSION.reset(token)


def _own_recipient(data: dict[str, Any]) -> str | None:
    for key in ("email", "user_email", "to"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return None


# tx.info key: the order e-mails a delivery pass read at once ({order id: email or None})
_ORDER_EMAILS = "mercato_notification_order_emails"


async def prefetch_recipients(tx: AsyncSession, events: list[tuple[str, dict[str, Any]]]) -> None:
    """The e-mails of the orders a pass's order events concern, in one statement instead of one
    per event (`recipient_for` finds them in the session's info). Under load a pass delivers
    dozens of `order.placed`."""
    ids = {
        data["id"]
        for name, data in events
        if name.startswith("order.")
        and isinstance(data, dict)
        and isinstance(data.get("id"), str)
        and _own_recipient(data) is None
    }
    if not ids:
        return
    found = {row[0]: row[1] for row in await raw.rows(tx, _lookups()["order emails"], {"ids": sorted(ids)})}
    known: dict[str, Any] = tx.info.setdefault(_ORDER_EMAILS, {})
    known.update({order_id: found.get(order_id) for order_id in ids})


async def recipient_for(event: str, data: dict[str, Any]) -> str | None:
    """The e-mail address an event concerns: the payload's own (`email`, `user_email`, `to`), else
    the order's (order.*, swap.*, claim.*, gift cards of an order) or the customer's."""
    own = _own_recipient(data)
    if own is not None:
        return own
    tx = _SESSION.get()
    resource_id = data.get("id")
    if tx is None or not isinstance(resource_id, str):
        return None
    resource = event.split(".")[0]
    order_id: Any = None
    if resource == "order":
        order_id = resource_id
    elif resource in ("swap", "claim", "gift_card"):
        order_id = await _scalar(tx, resource, resource_id)
    elif resource == "customer":
        email = await _scalar(tx, "customer", resource_id)
        return str(email) if email else None
    if order_id is None:
        return None
    known: dict[str, Any] | None = tx.info.get(_ORDER_EMAILS)
    if known is not None and order_id in known:
        email = known[order_id]
    else:
        email = await _scalar(tx, "order", order_id)
    return str(email) if email else None


_LOOKUPS: dict[str, Any] = {}


def _lookups() -> dict[str, Any]:
    """The kept statements that find an event's recipient (built on first use: the models import
    this module's package), run on the driver."""
    if not _LOOKUPS:
        from mercato.modules.customers.models import Customer
        from mercato.modules.gift_cards.models import GiftCard
        from mercato.modules.orders.models import Order
        from mercato.modules.returns.models import ClaimOrder, Swap

        key_: Any = bindparam("key")
        _LOOKUPS.update(
            swap=select(Swap.order_id).where(Swap.id == key_),
            claim=select(ClaimOrder.order_id).where(ClaimOrder.id == key_),
            gift_card=select(GiftCard.order_id).where(GiftCard.id == key_),
            customer=select(Customer.email).where(Customer.id == key_),
            order=select(Order.email).where(Order.id == key_),
        )
        _LOOKUPS["order emails"] = select(Order.id, Order.email).where(
            Order.id.in_(bindparam("ids", expanding=True))
        )
    return _LOOKUPS


async def _scalar(tx: AsyncSession, name: str, key: str) -> Any:
    """The one value of the kept lookup `name`."""
    found = await raw.rows(tx, _lookups()[name], {"key": key})
    return found[0][0] if found else None


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat().replace("+00:00", "Z")


# ---- built-ins -------------------------------------------------------------------------------


_MADE_FOLDERS: set[str] = set()


class LocalNotificationService(AbstractNotificationService):
    """Writes each notification as a JSON file into the outbox folder (development, tests, or a
    mail relay that picks the files up)."""

    identifier = "local"

    @property
    def outbox(self) -> Path:
        folder = self.options.get("outbox") or getattr(self.settings, "notification_outbox", None)
        return Path(folder or os.environ.get("MERCATO_NOTIFICATION_OUTBOX") or "./var/notifications")

    def _write(self, message: dict[str, Any]) -> str:
        # Written on the event loop: a file of a few kilobytes takes tens of microseconds, less
        # than handing it to a worker thread (and its GIL contention) under load.
        folder = str(self.outbox)
        if folder not in _MADE_FOLDERS:
            os.makedirs(folder, exist_ok=True)
            _MADE_FOLDERS.add(folder)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%f")
        path = os.path.join(folder, f"{stamp}-{message['event']}-{uuid.uuid4().hex[:8]}.json")
        tmp = path[: -len(".json")] + ".tmp"
        # orjson: the standard library's encoder falls back to pure Python when indenting (a
        # tenth of a millisecond per message, as much as the file's system calls)
        body = orjson.dumps(message, default=str, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
        try:
            handle = open(tmp, "wb")
        except FileNotFoundError:  # the folder was removed since: make it again
            os.makedirs(folder, exist_ok=True)
            handle = open(tmp, "wb")
        with handle:
            handle.write(body)
        os.replace(tmp, path)  # a reader never sees half a file
        return path

    async def send_notification(
        self, event: str, data: dict[str, Any], attachment_generator: Any
    ) -> ReturnedData | None:
        to = await recipient_for(event, data) or ""
        message = {
            "provider": self.identifier,
            "event": event,
            "to": to,
            "subject": SUBJECTS.get(event, event),
            "data": data,
            "created_at": _now(),
        }
        path = self._write(message)
        return {"to": to, "status": "sent", "data": {**message, "file": path}}

    async def resend_notification(
        self, notification: dict[str, Any], config: dict[str, Any], attachment_generator: Any
    ) -> ReturnedData:
        previous = dict(notification.get("data") or {})
        previous.pop("file", None)
        to = config.get("to") or notification.get("to") or ""
        message = {
            **previous,
            "provider": self.identifier,
            "event": notification.get("event_name") or previous.get("event") or "notification",
            "to": to,
            "created_at": _now(),
        }
        path = self._write(message)
        return {"to": to, "status": "sent", "data": {**message, "file": path}}


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class SmtpNotificationService(AbstractNotificationService):
    """Sends a plain-text e-mail per notification through an SMTP server (stdlib smtplib, in a
    worker thread)."""

    identifier = "smtp"

    @classmethod
    def enabled(cls, settings: Any) -> bool:
        return bool(os.environ.get("MERCATO_SMTP_HOST"))

    def option(self, name: str, default: Any = None) -> Any:
        if name in self.options:
            return self.options[name]
        return os.environ.get(f"MERCATO_SMTP_{name.upper()}", default)

    def _message(self, to: str, subject: str, body: str) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = str(self.option("from", "no-reply@localhost"))
        msg["To"] = to
        msg["Subject"] = subject
        msg.set_content(body)
        return msg

    def _deliver(self, msg: EmailMessage) -> None:
        host = str(self.option("host", "localhost"))
        port = int(self.option("port", 25))
        timeout = float(self.option("timeout", 10))
        smtp: smtplib.SMTP
        if _flag(self.option("ssl", False)):
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if _flag(self.option("starttls", False)):
                smtp.starttls(context=ssl.create_default_context())
            username = self.option("username")
            if username:
                smtp.login(str(username), str(self.option("password", "")))
            smtp.send_message(msg)

    async def _send(self, event: str, to: str, subject: str, data: dict[str, Any]) -> ReturnedData:
        body = f"{subject}\n\nEvent: {event}\n\n{json.dumps(data, indent=2, sort_keys=True, default=str)}\n"
        msg = self._message(to, subject, body)
        await asyncio.to_thread(self._deliver, msg)
        sent = {
            "from": msg["From"],
            "to": to,
            "subject": subject,
            "event": event,
            "data": data,
            "message_id": msg.get("Message-ID"),
        }
        return {"to": to, "status": "sent", "data": sent}

    async def send_notification(
        self, event: str, data: dict[str, Any], attachment_generator: Any
    ) -> ReturnedData | None:
        to = await recipient_for(event, data)
        if not to:
            raise ValueError(f"no recipient for {event} {data.get('id')}")
        return await self._send(event, to, SUBJECTS.get(event, event), data)

    async def resend_notification(
        self, notification: dict[str, Any], config: dict[str, Any], attachment_generator: Any
    ) -> ReturnedData:
        previous = dict(notification.get("data") or {})
        to = str(config.get("to") or notification.get("to") or "")
        event = str(notification.get("event_name") or previous.get("event") or "notification")
        return await self._send(
            event, to, str(previous.get("subject") or SUBJECTS.get(event, event)), previous.get("data") or {}
        )


# ---- registry --------------------------------------------------------------------------------

_BUILT_INS: tuple[type[AbstractNotificationService], ...] = (
    LocalNotificationService,
    SmtpNotificationService,
)
_classes: dict[str, type[AbstractNotificationService]] | None = None


def _load() -> dict[str, type[AbstractNotificationService]]:
    global _classes
    if _classes is None:
        found = {cls.identifier: cls for cls in _BUILT_INS}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                target = ep.load()
                if not (isinstance(target, type) and issubclass(target, AbstractNotificationService)):
                    raise TypeError(f"{ep.value} is not an AbstractNotificationService subclass")
                found[target.identifier or ep.name] = target
            except Exception:  # a broken plugin must not take the server down
                log.exception("notification provider entry point %s failed to load", ep.name)
        _classes = found
    return _classes


def register_notification_provider(
    cls: type[AbstractNotificationService],
) -> type[AbstractNotificationService]:
    """Add a provider class (usable as a decorator); replaces one with the same identifier."""
    if not cls.identifier:
        raise ValueError("a notification provider needs an `identifier`")
    _load()[cls.identifier] = cls
    return cls


def unregister_notification_provider(identifier: str) -> None:
    _load().pop(identifier, None)


def notification_provider_classes() -> dict[str, type[AbstractNotificationService]]:
    return dict(_load())


def reset_notification_providers() -> None:
    """Forget registrations (tests); the next use reloads the built-ins and entry points."""
    global _classes
    _classes = None


def build_notification_providers(settings: Any) -> dict[str, AbstractNotificationService]:
    """The installed providers for these settings, by identifier."""
    installed: dict[str, AbstractNotificationService] = {}
    for identifier, cls in _load().items():
        try:
            if cls.enabled(settings):
                installed[identifier] = cls(settings=settings)
        except Exception:
            log.exception("notification provider %s failed to start", identifier)
    return installed


def get_notification_provider(identifier: str, settings: Any = None) -> AbstractNotificationService:
    """A fresh instance of a registered provider (installed or not); KeyError if unknown."""
    return _load()[identifier](settings=settings)
