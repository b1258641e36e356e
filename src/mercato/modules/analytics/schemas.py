"""Bodies of /admin/analytics-configs (api/routes/admin/analytics-configs)."""

from __future__ import annotations

from mercato.core.validation import Prop, Validated, is_boolean


class AdminPostAnalyticsConfigReq(Validated):
    # `anonymize` has a class default (false): a body without it passes, a null does not
    __rules__ = {
        "opt_out": Prop((is_boolean,)),
        "anonymize": Prop((is_boolean,), validate_if=lambda body: "anonymize" in body),
    }
    opt_out: bool
    anonymize: bool = False


class AdminPostAnalyticsConfigAnalyticsConfigReq(Validated):
    __rules__ = {
        "opt_out": Prop((is_boolean,), optional=True),
        "anonymize": Prop((is_boolean,), optional=True),
    }
    opt_out: bool | None = None
    anonymize: bool | None = None
