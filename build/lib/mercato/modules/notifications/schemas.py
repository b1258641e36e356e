"""Request models of api/routes/admin/notifications (list-notifications.ts, resend-notification.ts)."""

from __future__ import annotations

from mercato.core.validation import Prop, Validated, is_boolean_string, is_int, is_string, js_number

_INT = Prop((is_int,), optional=True, convert=js_number)
_STRING = Prop((is_string,), optional=True)


class AdminGetNotificationsParams(Validated):
    __rules__ = {
        "limit": _INT,
        "offset": _INT,
        "fields": _STRING,
        "expand": _STRING,
        "event_name": _STRING,
        "resource_type": _STRING,
        "resource_id": _STRING,
        "to": _STRING,
        "include_resends": Prop((is_boolean_string,), optional=True),
    }
    limit: int = 50
    offset: int = 0
    fields: str | None = None
    expand: str | None = None
    event_name: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    to: str | None = None
    include_resends: str | None = None


class AdminPostNotificationsNotificationResendReq(Validated):
    __rules__ = {"to": _STRING}
    to: str | None = None
