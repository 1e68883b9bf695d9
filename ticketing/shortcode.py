"""Short ticket codes a person can read and type at the door: 9 characters, printed as ABC-DEF-GHJ.

Alphabet: 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (32 symbols: no 0/O, no 1/I). The first 8 characters are a
keyed permutation (an 8-round Feistel network over 40 bits, blake2b keyed by a key derived from the
ticket signing key) of the ticket id; the 9th is a Luhn mod 32 check character, which catches every
single mistyped character and most swapped neighbours.

Derived, not stored: a bijection of the ticket id, so it is unique (across events too) without a
column, a migration or a collision check, and tickets written before it existed have one. Without the
key a code cannot be guessed from a ticket id, and a random 40-bit value decodes to a ticket id (top 8
bits zero) once in 256. Like the QR code it changes with the signing key (a new key reissues both).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
LENGTH = 9
_DATA = 8  # characters of the permuted ticket id (8 x 5 = 40 bits)
_HALF_BITS = 20
_HALF_MASK = (1 << _HALF_BITS) - 1
_ROUNDS = 8
_MAX_TICKET_ID = (1 << 32) - 1  # ticket ids travel as u32 in the signed QR code too
_SEPARATORS = str.maketrans("", "", " -._\t")


class InvalidShortCode(ValueError):
    """reason: malformed (not 9 symbols of the alphabet) | typo (the check character does not match)
    | unknown_ticket (well formed, but no ticket has it)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@lru_cache(maxsize=1)
def _round_hashers() -> tuple[hashlib.blake2b, ...]:
    from ticketing.signing import signing_key

    seed = signing_key().private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    master = hmac.new(seed, b"LE DAMIER short ticket code v1", hashlib.sha256).digest()
    return tuple(
        hashlib.blake2b(key=master, person=f"round{i}".encode(), digest_size=3) for i in range(_ROUNDS)
    )


def _feistel(value: int, decrypt: bool = False) -> int:
    left, right = value >> _HALF_BITS, value & _HALF_MASK
    hashers = _round_hashers()
    if decrypt:
        left, right = right, left
        hashers = hashers[::-1]
    for hasher in hashers:
        h = hasher.copy()
        h.update(right.to_bytes(3, "big"))
        left, right = right, left ^ (int.from_bytes(h.digest(), "big") & _HALF_MASK)
    if decrypt:
        left, right = right, left
    return (left << _HALF_BITS) | right


def _check(values: list[int]) -> int:
    """Luhn mod N (N = 32): the check symbol that makes the weighted sum a multiple of 32."""
    total, factor = 0, 2
    for value in reversed(values):
        addend = factor * value
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return (32 - total % 32) % 32


@lru_cache(maxsize=65536)
def short_code(ticket_id: int) -> str:
    """The ticket's 9-character code, without separators (cached: the offline list has one per ticket)."""
    if not 0 < ticket_id <= _MAX_TICKET_ID:
        raise ValueError(f"ticket id out of range: {ticket_id}")
    permuted = _feistel(ticket_id)
    values = [(permuted >> (5 * (_DATA - 1 - i))) & 31 for i in range(_DATA)]
    return "".join(ALPHABET[v] for v in [*values, _check(values)])


def display(code: str) -> str:
    """ABCDEFGHJ -> ABC-DEF-GHJ (as printed)."""
    return f"{code[:3]}-{code[3:6]}-{code[6:]}"


def normalise(text: str) -> str:
    """What a person typed, without spaces, dashes and dots, in capitals."""
    return (text or "").translate(_SEPARATORS).upper()


def looks_like(text: str) -> bool:
    """9 symbols of the alphabet once normalised (a typed code, even a mistyped one)."""
    code = normalise(text)
    return len(code) == LENGTH and all(c in _VALUE for c in code)


def parse(text: str) -> int:
    """The ticket id of a typed code, or raise InvalidShortCode."""
    code = normalise(text)
    if len(code) != LENGTH or any(c not in _VALUE for c in code):
        raise InvalidShortCode("malformed")
    values = [_VALUE[c] for c in code]
    if _check(values[:_DATA]) != values[_DATA]:
        raise InvalidShortCode("typo")
    permuted = 0
    for value in values[:_DATA]:
        permuted = (permuted << 5) | value
    ticket_id = _feistel(permuted, decrypt=True)
    if not 0 < ticket_id <= _MAX_TICKET_ID:
        raise InvalidShortCode("unknown_ticket")
    return ticket_id
