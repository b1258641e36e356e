"""Password hashes in the `scrypt-kdf` format Medusa stores (base64 of a 96-byte record).

Layout: "scrypt" | version 0 | logN (1 byte) | r (uint32 BE) | p (uint32 BE) | salt (32) |
sha256(first 48 bytes)[:16] | hmac-sha256(derived_key[32:], first 64 bytes). Medusa hashes with
logN=1, r=1, p=1; we hash with stronger parameters in the same format, so either side can verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct

_LOG_N, _R, _P = 14, 8, 1


def hash_password(password: str, log_n: int = _LOG_N, r: int = _R, p: int = _P) -> str:
    salt = os.urandom(32)
    head = b"scrypt" + struct.pack(">BBII", 0, log_n, r, p) + salt
    head += hashlib.sha256(head).digest()[:16]
    key = hashlib.scrypt(password.encode(), salt=salt, n=1 << log_n, r=r, p=p, dklen=64, maxmem=1 << 28)
    return base64.b64encode(head + hmac.new(key[32:], head, hashlib.sha256).digest()).decode()


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        raw = base64.b64decode(stored, validate=True)
    except ValueError:
        return False
    if len(raw) != 96 or raw[:6] != b"scrypt" or raw[6] != 0:
        return False
    log_n, r, p = raw[7], *struct.unpack(">II", raw[8:16])
    if hashlib.sha256(raw[:48]).digest()[:16] != raw[48:64]:
        return False
    try:
        key = hashlib.scrypt(
            password.encode(), salt=raw[16:48], n=1 << log_n, r=r, p=p, dklen=64, maxmem=1 << 28
        )
    except ValueError:
        return False
    return hmac.compare_digest(hmac.new(key[32:], raw[:64], hashlib.sha256).digest(), raw[64:96])
