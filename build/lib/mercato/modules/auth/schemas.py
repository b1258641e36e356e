from typing import ClassVar

from mercato.core.validation import Prop, Validated, is_email, is_not_empty, is_string


class AdminPostAuthReq(Validated):
    """AdminPostAuthReq: email IsEmail + IsNotEmpty, password IsString + IsNotEmpty (Medusa's
    messages, checked against 1.20.11)."""

    __rules__: ClassVar[dict[str, Prop]] = {
        "email": Prop((is_not_empty, is_email)),
        "password": Prop((is_not_empty, is_string)),
    }
    email: str
    password: str
