"""Notification providers (local outbox, SMTP), the registry (incl. entry points) and the
notification subscriber: events delivered by the bus become `notification` rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mercato.core.events import emit
from mercato.db.session import Database
from mercato.modules.notifications.models import Notification, NotificationProvider
from mercato.modules.notifications.service import NotificationService
from mercato.providers import notification as providers
from mercato.providers.notification import (
    AbstractNotificationService,
    LocalNotificationService,
    ReturnedData,
    SmtpNotificationService,
    build_notification_providers,
    get_notification_provider,
    notification_provider_classes,
    register_notification_provider,
    reset_notification_providers,
)
from tests.modules.notifications.helpers import SmtpSink, make_order
from tests.statements import counting


def _service(*instances: AbstractNotificationService) -> NotificationService:
    service = NotificationService({p.get_identifier(): p for p in instances})
    for p in instances:
        for event in p.events:
            service.subscribe(event, p.get_identifier())
    return service


async def _emit(db: Database, event: str, data: dict[str, Any]) -> None:
    async with db.write_session() as tx:
        emit(tx, event, data)
        await tx.commit()


async def _rows(db: Database) -> list[Notification]:
    async with db.read_session() as tx:
        stmt = select(Notification).order_by(Notification.created_at, Notification.id)
        return list((await tx.execute(stmt)).scalars())


def test_registry_builtins_and_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reset_notification_providers()
    classes = notification_provider_classes()
    assert classes["local"] is LocalNotificationService and classes["smtp"] is SmtpNotificationService
    monkeypatch.delenv("MERCATO_SMTP_HOST", raising=False)
    assert set(build_notification_providers(None)) == {"local"}
    monkeypatch.setenv("MERCATO_SMTP_HOST", "127.0.0.1")
    assert set(build_notification_providers(None)) == {"local", "smtp"}
    local = get_notification_provider("local")
    assert isinstance(local, LocalNotificationService)
    assert local.outbox == Path("./var/notifications")

    class Settings:
        notification_outbox = str(tmp_path)

    assert LocalNotificationService(settings=Settings()).outbox == tmp_path
    with pytest.raises(KeyError):
        get_notification_provider("nope")


def test_config_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from mercato.config import Settings

    assert Settings().notification_outbox == "./mercato-data/notifications"
    monkeypatch.setenv("MERCATO_NOTIFICATION_OUTBOX", "/tmp/outbox-x")
    assert Settings().notification_outbox == "/tmp/outbox-x"


class _Echo(AbstractNotificationService):
    identifier = "echo"
    events = ("order.placed",)

    async def send_notification(
        self, event: str, data: dict[str, Any], attachment_generator: Any
    ) -> ReturnedData | None:
        return {"to": "echo@example.com", "status": "sent", "data": {"event": event}}

    async def resend_notification(
        self, notification: dict[str, Any], config: dict[str, Any], attachment_generator: Any
    ) -> ReturnedData:
        return {"to": config.get("to") or notification["to"], "status": "sent", "data": {}}


def test_register_and_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    class EP:
        def __init__(self, name: str, target: Any) -> None:
            self.name, self.value, self._target = name, f"pkg:{name}", target

        def load(self) -> Any:
            if isinstance(self._target, Exception):
                raise self._target
            return self._target

    def fake_entry_points(group: str) -> list[EP]:
        assert group == "mercato.notification_providers"
        return [EP("echo", _Echo), EP("broken", ImportError("no module")), EP("bad", object)]

    monkeypatch.setattr(providers, "entry_points", fake_entry_points)
    reset_notification_providers()
    try:
        classes = notification_provider_classes()
        assert classes["echo"] is _Echo
        assert "broken" not in classes and "bad" not in classes
        assert set(build_notification_providers(None)) >= {"local", "echo"}

        class Other(_Echo):
            identifier = "other"

        assert register_notification_provider(Other) is Other
        assert isinstance(get_notification_provider("other"), Other)
    finally:
        reset_notification_providers()


async def test_local_provider_via_event_bus(app: Any, db: Database, tmp_path: Path) -> None:
    ids = await make_order(db)
    local = LocalNotificationService({"outbox": str(tmp_path)})
    app.state.events.notifications = _service(local)

    await _emit(db, "order.placed", {"id": ids["order_id"], "no_notification": False})
    await _emit(db, "order.canceled", {"id": ids["order_id"], "no_notification": True})
    await _emit(db, "product.created", {"id": "prod_1"})
    assert await app.state.events.deliver_pending(db) == 3

    rows = await _rows(db)
    assert len(rows) == 1
    row = rows[0]
    assert (row.event_name, row.resource_type, row.resource_id) == ("order.placed", "order", ids["order_id"])
    assert (row.to, row.provider_id, row.customer_id, row.parent_id) == (
        "buyer@example.com",
        "local",
        None,
        None,
    )
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 1 and files[0].name.endswith(".json") and "-order.placed-" in files[0].name
    written = json.loads(files[0].read_text())
    assert written["event"] == "order.placed" and written["to"] == "buyer@example.com"
    assert written["data"] == {"id": ids["order_id"], "no_notification": False}
    assert written["subject"] == "Your order has been placed"
    assert row.data["file"] == str(files[0])
    async with db.read_session() as tx:
        provider = (await tx.execute(select(NotificationProvider))).scalars().one()
        assert (provider.id, provider.is_installed) == ("local", True)

    # a second event reuses the provider row; the customer id of a payload is stored
    await _emit(
        db,
        "customer.password_reset",
        {"id": ids["customer_id"], "email": "x@example.com", "customer_id": ids["customer_id"], "token": "t"},
    )
    assert await app.state.events.deliver_pending(db) == 1
    rows = await _rows(db)
    assert [(r.event_name, r.to, r.customer_id) for r in rows][1] == (
        "customer.password_reset",
        "x@example.com",
        ids["customer_id"],
    )


async def test_a_pass_reads_the_recipients_of_its_order_events_at_once(
    app: Any, db: Database, tmp_path: Path
) -> None:
    first = await make_order(db, "first@example.com")
    second = await make_order(db, "second@example.com", display_id=2)
    app.state.events.notifications = _service(LocalNotificationService({"outbox": str(tmp_path)}))
    for order_id in (first["order_id"], second["order_id"], "order_gone"):
        await _emit(db, "order.placed", {"id": order_id, "no_notification": False})
    # a payload's own address wins: its order is not read
    await _emit(db, "order.placed", {"id": first["order_id"], "email": "given@example.com"})

    async with counting(db) as seen:
        assert await app.state.events.deliver_pending(db) == 4

    order_reads = [s for s in seen if 'FROM "order"' in s or "FROM `order`" in s]
    assert len(order_reads) == 1, order_reads
    sent = sorted((r.resource_id, r.to) for r in await _rows(db))
    assert sent == sorted(
        [
            (first["order_id"], "first@example.com"),
            (first["order_id"], "given@example.com"),
            (second["order_id"], "second@example.com"),
            ("order_gone", ""),
        ]
    )


async def test_failing_provider_is_logged_not_retried(app: Any, db: Database, tmp_path: Path) -> None:
    class Failing(_Echo):
        identifier = "failing"

        async def send_notification(self, event: str, data: dict[str, Any], attachment_generator: Any) -> Any:
            raise RuntimeError("down")

    class Silent(_Echo):
        identifier = "silent"

        async def send_notification(self, event: str, data: dict[str, Any], attachment_generator: Any) -> Any:
            return None

    app.state.events.notifications = _service(Failing(), Silent(), _Echo())
    await _emit(db, "order.placed", {"id": "order_x"})
    assert await app.state.events.deliver_pending(db) == 1
    rows = await _rows(db)
    assert [(r.provider_id, r.to, r.data) for r in rows] == [
        ("echo", "echo@example.com", {"event": "order.placed"})
    ]


async def test_smtp_provider_sends_and_resends(db: Database) -> None:
    sink = SmtpSink()
    await sink.start()
    try:
        ids = await make_order(db, "shopper@example.com")
        smtp = SmtpNotificationService(
            {"host": "127.0.0.1", "port": sink.port, "from": "shop@example.com", "timeout": 5}
        )
        service = _service(smtp)
        async with db.write_session() as tx:
            created = await service.handle_event(tx, "order.shipment_created", {"id": ids["order_id"]})
            await tx.commit()
        assert len(created) == 1
        assert len(sink.messages) == 1
        got = sink.messages[0]
        assert got.mail_from == "shop@example.com" and got.rcpt_to == ["shopper@example.com"]
        assert got.message["Subject"] == "Your order has shipped"
        assert got.message["To"] == "shopper@example.com"
        assert ids["order_id"] in got.message.get_payload()
        row = (await _rows(db))[0]
        assert (row.to, row.provider_id, row.event_name) == (
            "shopper@example.com",
            "smtp",
            "order.shipment_created",
        )
        assert row.data["subject"] == "Your order has shipped" and row.data["to"] == "shopper@example.com"

        async with db.write_session() as tx:
            resent = await service.resend(tx, row.id, {"to": "other@example.com"})
            await tx.commit()
        assert resent.parent_id == row.id and resent.to == "other@example.com"
        assert len(sink.messages) == 2
        assert sink.messages[1].rcpt_to == ["other@example.com"]
        assert sink.messages[1].message["Subject"] == "Your order has shipped"

        # no recipient: the provider refuses, handleEvent logs it, nothing is stored
        async with db.write_session() as tx:
            assert await service.handle_event(tx, "order.placed", {"id": "order_unknown"}) == []
            await tx.commit()
        assert len(sink.messages) == 2
    finally:
        await sink.stop()


async def test_smtp_unreachable_server(db: Database) -> None:
    sink = SmtpSink()
    await sink.start()
    port = sink.port
    await sink.stop()
    smtp = SmtpNotificationService({"host": "127.0.0.1", "port": port, "timeout": 2})
    service = _service(smtp)
    async with db.write_session() as tx:
        assert await service.handle_event(tx, "order.placed", {"id": "o", "email": "a@b.c"}) == []
        await tx.commit()
    assert await _rows(db) == []


async def test_password_reset_token_reaches_the_outbox(
    app: Any, client: Any, db: Database, tmp_path: Path
) -> None:
    """End to end: POST /store/customers/password-token -> customer.password_reset -> local outbox."""
    app.state.events.notifications = _service(LocalNotificationService({"outbox": str(tmp_path)}))
    res = await client.post(
        "/store/customers", json={"email": "outbox@example.com", "password": "pw", "first_name": "O"}
    )
    assert res.status_code == 200
    res = await client.post("/store/customers/password-token", json={"email": "outbox@example.com"})
    assert res.status_code == 204
    await app.state.events.deliver_pending(db)
    [written] = list(tmp_path.glob("*-customer.password_reset-*.json"))
    message = json.loads(written.read_text())
    assert message["to"] == "outbox@example.com" and message["subject"] == "Reset your password"
    token = message["data"]["token"]
    res = await client.post(
        "/store/customers/password-reset",
        json={"email": "outbox@example.com", "token": token, "password": "new-pw"},
    )
    assert res.status_code == 200, res.text
    [row] = await _rows(db)
    assert (row.event_name, row.resource_type, row.to) == (
        "customer.password_reset",
        "customer",
        "outbox@example.com",
    )
