"""Ed25519-signed ticket codes, verifiable offline with the public key alone.

Code format (what the QR holds): "LD1" + base64url(no padding) of
    format (1 byte = 1) | key version (2 bytes) | event id (4 bytes) | ticket id (4 bytes) | signature (64 bytes)
The signature covers the first 11 bytes. 75 bytes -> a 103-character code: a small QR (version 6).

The private key comes from TICKET_SIGNING_KEY ("<version>:<base64url 32-byte seed>" or just the seed,
version 1), else from var/ticket_signing_key, generated on first run with mode 0600.
Cancelled tickets stay validly signed: they are revoked through the check-in list.

The server holds the private key, and Ed25519 signatures are deterministic (RFC 8032): the one code
it issued for a ticket carries the one signature it would compute again. So the server checks a code
by signing its 11 bytes again and comparing (about 30 µs) instead of running the verification
equation (about 100 µs); that accepts exactly the codes it issued. Devices verify with the public key.
"""

from __future__ import annotations

import base64
import hmac
import io
import os
import struct
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from qrcode.constants import ERROR_CORRECT_M

from lib.settings import get_settings, secret_from_var

PREFIX = "LD1"
FORMAT = 1
_HEAD = struct.Struct(">BHII")
SIG_LEN = 64
RAW_LEN = _HEAD.size + SIG_LEN
BODY_LEN = -(-RAW_LEN * 4 // 3)  # base64url characters without padding


class InvalidTicketCode(Exception):
    """reason: malformed | truncated | unknown_format | unknown_key | bad_signature"""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class SignedTicket:
    ticket_id: int
    event_id: int
    key_version: int


@dataclass(frozen=True)
class SigningKey:
    version: int
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _parse_key(raw: str) -> SigningKey:
    version = 1
    if ":" in raw:
        head, raw = raw.split(":", 1)
        version = int(head)
    seed = b64d(raw.strip())
    if len(seed) != 32:
        raise ValueError("TICKET_SIGNING_KEY must be 32 bytes, base64url-encoded")
    return SigningKey(version=version, private=Ed25519PrivateKey.from_private_bytes(seed))


def _key_from_var() -> str:
    """Version 1 key generated on first use into var/ticket_signing_key (0600)."""
    return secret_from_var(
        get_settings().var_dir, "ticket_signing_key", make=lambda: f"1:{b64e(os.urandom(32))}"
    )


@lru_cache(maxsize=1)
def signing_key() -> SigningKey:
    raw = get_settings().ticket_signing_key or _key_from_var()
    return _parse_key(raw)


def public_keys() -> dict[int, Ed25519PublicKey]:
    key = signing_key()
    return {key.version: key.public}


def issuer_keys() -> dict[int, SigningKey]:
    """What the server checks codes with (see the module docstring): its own signing keys."""
    key = signing_key()
    return {key.version: key}


def public_key_info() -> dict[str, object]:
    """What a door device downloads to verify codes offline."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = signing_key()
    raw = key.public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        "algorithm": "Ed25519",
        "key_version": key.version,
        "public_key": b64e(raw),
        "format": "LD1 + base64url(u8 format=1, u16 key version, u32 event id, u32 ticket id, 64-byte signature)",
    }


def sign(ticket_id: int, event_id: int, key: SigningKey | None = None) -> str:
    key = key or signing_key()
    head = _HEAD.pack(FORMAT, key.version, event_id, ticket_id)
    return PREFIX + b64e(head + key.private.sign(head))


def verify(
    code: str, keys: dict[int, Ed25519PublicKey] | dict[int, SigningKey] | None = None
) -> SignedTicket:
    """Return what the code says, or raise InvalidTicketCode with the reason.

    keys: public keys (the verification equation), or the issuer's signing keys (issuer_keys():
    sign again and compare, the faster check for the server that issued the codes)."""
    keys = keys if keys is not None else public_keys()
    code = (code or "").strip()
    if not code.startswith(PREFIX):
        raise InvalidTicketCode("malformed", "not a LE DAMIER ticket code")
    body = code[len(PREFIX) :]
    if len(body) < BODY_LEN:
        raise InvalidTicketCode("truncated", "the code is truncated")
    try:
        raw = b64d(body)
    except (ValueError, TypeError) as exc:
        raise InvalidTicketCode("malformed", "the code is not valid base64url") from exc
    if len(raw) < RAW_LEN:
        raise InvalidTicketCode("truncated", "the code is truncated")
    if len(raw) > RAW_LEN or b64e(raw) != body:
        raise InvalidTicketCode("malformed", "the code has extra or altered characters")
    fmt, version, event_id, ticket_id = _HEAD.unpack(raw[: _HEAD.size])
    if fmt != FORMAT:
        raise InvalidTicketCode("unknown_format", f"unknown code format {fmt}")
    public = keys.get(version)
    if public is None:
        raise InvalidTicketCode("unknown_key", f"unknown signing key version {version}")
    head, signature = raw[: _HEAD.size], raw[_HEAD.size :]
    if isinstance(public, SigningKey):
        valid = hmac.compare_digest(public.private.sign(head), signature)
    else:
        try:
            public.verify(signature, head)
            valid = True
        except InvalidSignature:
            valid = False
    if not valid:
        raise InvalidTicketCode("bad_signature", "the signature does not match: forged or altered")
    return SignedTicket(ticket_id=ticket_id, event_id=event_id, key_version=version)


def qr_png(code: str, box_size: int = 8) -> bytes:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    img = qr.make_image(fill_color="black", back_color="white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
