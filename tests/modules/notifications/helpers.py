"""A tiny asyncio SMTP sink (enough of RFC 5321 for smtplib) and order rows for notifications."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from mercato.db.session import Database


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    message: Message


@dataclass
class SmtpSink:
    messages: list[Received] = field(default_factory=list)
    server: asyncio.AbstractServer | None = None
    port: int = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        reply("220 sink ready")
        mail_from, rcpt = "", list[str]()
        while True:
            raw = await reader.readline()
            if not raw:
                break
            command = raw.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                reply("250 sink")
            elif verb == "MAIL":
                mail_from, rcpt = command.split(":", 1)[1].strip(" <>"), []
                reply("250 OK")
            elif verb == "RCPT":
                rcpt.append(command.split(":", 1)[1].strip(" <>"))
                reply("250 OK")
            elif verb == "DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                await writer.drain()
                body = await reader.readuntil(b"\r\n.\r\n")
                self.messages.append(Received(mail_from, rcpt, message_from_bytes(body[:-5])))
                reply("250 OK queued")
            elif verb == "QUIT":
                reply("221 bye")
                await writer.drain()
                break
            else:
                reply("250 OK")
            await writer.drain()
        writer.close()


async def make_order(db: Database, email: str = "buyer@example.com", display_id: int = 1) -> dict[str, Any]:
    from mercato.modules.customers.models import Customer
    from mercato.modules.orders.models import Order
    from mercato.modules.regions.models import Region

    async with db.write_session() as tx:
        customer = Customer(email=email, has_account=False)
        region = Region(name="noti-region", currency_code="usd", tax_rate=0)
        tx.add_all([customer, region])
        await tx.flush()
        order = Order(
            display_id=display_id,
            customer_id=customer.id,
            email=email,
            region_id=region.id,
            currency_code="usd",
        )
        tx.add(order)
        await tx.flush()
        ids = {"order_id": order.id, "customer_id": customer.id, "email": email}
        await tx.commit()
    return ids
