"""Payment providers: Medusa v1's AbstractPaymentProcessor as a Python interface, and the
built-in providers `manual` (medusa-payment-manual) and `system` (SystemPaymentProviderService).

A provider's methods are async. A method may signal a provider failure either by returning a
`PaymentProcessorError` (as Medusa's processors do) or by raising it; the payment services turn it
into Medusa's answer: 400 invalid_data with message "<error>" or "<error>:\\n<detail>".
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, ClassVar

Data = dict[str, Any]

# PaymentSessionStatus values (Medusa's enum)
AUTHORIZED = "authorized"
PENDING = "pending"
REQUIRES_MORE = "requires_more"
ERROR = "error"
CANCELED = "canceled"


class PaymentProcessorError(Exception):
    """A provider's refusal: `error` (message), optional `code` and `detail`."""

    def __init__(self, error: str, code: str | None = None, detail: Any = None) -> None:
        super().__init__(error)
        self.error = error
        self.code = code
        self.detail = detail


@dataclass
class PaymentProcessorContext:
    """What initiate_payment / update_payment receive (Medusa's PaymentProcessorContext)."""

    amount: int
    currency_code: str
    resource_id: str
    email: str | None = None
    billing_address: Data | None = None
    customer: Data | None = None
    context: Data = field(default_factory=dict)
    payment_session_data: Data = field(default_factory=dict)


@dataclass
class PaymentProcessorSessionResponse:
    """initiate_payment's answer: the session's data, and optional update requests
    (`{"customer_metadata": {...}}` is merged into the customer's metadata)."""

    session_data: Data
    update_requests: Data | None = None


@dataclass
class AuthorizeResult:
    status: str
    data: Data


class PaymentProvider(abc.ABC):
    """Medusa's AbstractPaymentProcessor. Subclasses set `identifier` (the payment_provider id)."""

    identifier: ClassVar[str] = ""

    def __init__(self, config: Data | None = None) -> None:
        self.config = config or {}

    def get_identifier(self) -> str:
        if not self.identifier:
            raise RuntimeError('Missing static property "identifier".')
        return self.identifier

    @abc.abstractmethod
    async def initiate_payment(
        self, context: PaymentProcessorContext
    ) -> PaymentProcessorSessionResponse | PaymentProcessorError: ...

    @abc.abstractmethod
    async def update_payment(
        self, context: PaymentProcessorContext
    ) -> PaymentProcessorSessionResponse | PaymentProcessorError | None:
        """None: nothing changed (the session is kept as it is)."""

    @abc.abstractmethod
    async def authorize_payment(
        self, payment_session_data: Data, context: Data
    ) -> AuthorizeResult | PaymentProcessorError: ...

    @abc.abstractmethod
    async def capture_payment(self, payment_data: Data) -> Data | PaymentProcessorError: ...

    @abc.abstractmethod
    async def refund_payment(
        self, payment_data: Data, refund_amount: int
    ) -> Data | PaymentProcessorError: ...

    @abc.abstractmethod
    async def cancel_payment(self, payment_data: Data) -> Data | PaymentProcessorError: ...

    @abc.abstractmethod
    async def delete_payment(self, payment_session_data: Data) -> Data | PaymentProcessorError: ...

    @abc.abstractmethod
    async def get_payment_status(self, payment_data: Data) -> str: ...

    @abc.abstractmethod
    async def retrieve_payment(self, payment_session_data: Data) -> Data | PaymentProcessorError:
        """The data a Payment row gets when the session becomes a payment."""

    @abc.abstractmethod
    async def update_payment_data(
        self, session_id: str, data: Data, session_data: Data | None = None
    ) -> Data | PaymentProcessorError:
        """The session's new data after POST /store/carts/{id}/payment-sessions/{provider_id};
        merged into the existing data by the caller. `session_data` is the current data."""

    async def retrieve_saved_methods(self, customer: Data) -> list[Data]:
        """Saved payment methods of a customer (GET /store/customers/me/payment-methods)."""
        return []


class ManualPaymentProvider(PaymentProvider):
    """medusa-payment-manual: statuses only, no money moves."""

    identifier = "manual"

    async def initiate_payment(self, context: PaymentProcessorContext) -> PaymentProcessorSessionResponse:
        return PaymentProcessorSessionResponse(session_data={"status": PENDING})

    async def update_payment(self, context: PaymentProcessorContext) -> PaymentProcessorSessionResponse:
        return PaymentProcessorSessionResponse(session_data=dict(context.payment_session_data))

    async def authorize_payment(self, payment_session_data: Data, context: Data) -> AuthorizeResult:
        return AuthorizeResult(status=AUTHORIZED, data={"status": AUTHORIZED})

    async def capture_payment(self, payment_data: Data) -> Data:
        return {"status": "captured"}

    async def refund_payment(self, payment_data: Data, refund_amount: int) -> Data:
        return payment_data

    async def cancel_payment(self, payment_data: Data) -> Data:
        return {"status": CANCELED}

    async def delete_payment(self, payment_session_data: Data) -> Data:
        return {}

    async def get_payment_status(self, payment_data: Data) -> str:
        return str(payment_data.get("status"))

    async def retrieve_payment(self, payment_session_data: Data) -> Data:
        return payment_session_data

    async def update_payment_data(
        self, session_id: str, data: Data, session_data: Data | None = None
    ) -> Data:
        inner = data.get("data")
        return {**(session_data or {}), **(inner if isinstance(inner, dict) else {})}


class SystemPaymentProvider(PaymentProvider):
    """Medusa's SystemPaymentProviderService: always authorized, data always {}."""

    identifier = "system"

    async def initiate_payment(self, context: PaymentProcessorContext) -> PaymentProcessorSessionResponse:
        return PaymentProcessorSessionResponse(session_data={})

    async def update_payment(self, context: PaymentProcessorContext) -> PaymentProcessorSessionResponse:
        return PaymentProcessorSessionResponse(session_data={})

    async def authorize_payment(self, payment_session_data: Data, context: Data) -> AuthorizeResult:
        return AuthorizeResult(status=AUTHORIZED, data={})

    async def capture_payment(self, payment_data: Data) -> Data:
        return {}

    async def refund_payment(self, payment_data: Data, refund_amount: int) -> Data:
        return {}

    async def cancel_payment(self, payment_data: Data) -> Data:
        return {}

    async def delete_payment(self, payment_session_data: Data) -> Data:
        return {}

    async def get_payment_status(self, payment_data: Data) -> str:
        return AUTHORIZED

    async def retrieve_payment(self, payment_session_data: Data) -> Data:
        return {}

    async def update_payment_data(
        self, session_id: str, data: Data, session_data: Data | None = None
    ) -> Data:
        return {}


def get_payment_provider(provider_id: str) -> PaymentProvider:
    """The provider registered under `provider_id`; MedusaError not_found otherwise."""
    from mercato.providers.registry import payment_registry

    return payment_registry().get(provider_id)
