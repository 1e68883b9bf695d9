"""Ed25519 ticket codes: sign, verify, reject forgeries; QR PNGs decoded with zxing-cpp."""

from __future__ import annotations

import io
import os
import stat

import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ticketing import signing
from ticketing.signing import InvalidTicketCode, SigningKey, b64d, b64e, qr_png, sign, verify


def _keys(check: str) -> dict:
    """The two ways a code is checked: the verification equation with the public key (devices, and
    verify()'s default), or the issuer signing again and comparing (the server's door path)."""
    return signing.public_keys() if check == "public" else signing.issuer_keys()


def test_roundtrip_and_key_file_mode():
    code = sign(ticket_id=12345, event_id=42)
    assert code.startswith("LD1") and len(code) < 110
    got = verify(code)
    assert (got.ticket_id, got.event_id, got.key_version) == (12345, 42, 1)
    from lib.settings import get_settings

    path = get_settings().var_dir / "ticket_signing_key"
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_public_key_alone_verifies():
    info = signing.public_key_info()
    public = Ed25519PublicKey.from_public_bytes(b64d(info["public_key"]))
    code = sign(7, 3)
    assert verify(code, keys={info["key_version"]: public}).ticket_id == 7


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda c: c[:-5], "truncated"),
        (lambda c: c[:20], "truncated"),
        (lambda c: "XX" + c, "malformed"),
        (lambda c: c + "A", "malformed"),
        (lambda c: c[:-1] + ("B" if c[-1] != "B" else "C"), "bad_signature"),
        (lambda c: c.replace("LD1", "LD1!", 1), "malformed"),
        (lambda c: "", "malformed"),
    ],
)
@pytest.mark.parametrize("check", ["public", "issuer"])
def test_altered_codes_rejected(mutate, reason, check):
    code = sign(99, 5)
    with pytest.raises(InvalidTicketCode) as exc:
        verify(mutate(code), keys=_keys(check))
    assert exc.value.reason == reason


@pytest.mark.parametrize("check", ["public", "issuer"])
def test_altered_ticket_id_rejected(check):
    code = sign(99, 5)
    raw = bytearray(b64d(code[3:]))
    raw[10] ^= 1  # ticket id 99 -> 98: the signature no longer matches
    with pytest.raises(InvalidTicketCode) as exc:
        verify("LD1" + b64e(bytes(raw)), keys=_keys(check))
    assert exc.value.reason == "bad_signature"


@pytest.mark.parametrize("check", ["public", "issuer"])
def test_forged_with_another_key_rejected(check):
    forger = SigningKey(version=1, private=Ed25519PrivateKey.generate())
    with pytest.raises(InvalidTicketCode) as exc:
        verify(sign(1, 1, key=forger), keys=_keys(check))
    assert exc.value.reason == "bad_signature"
    other_version = SigningKey(version=9, private=Ed25519PrivateKey.generate())
    with pytest.raises(InvalidTicketCode) as exc:
        verify(sign(1, 1, key=other_version), keys=_keys(check))
    assert exc.value.reason == "unknown_key"


def test_key_from_environment_format():
    seed = os.urandom(32)
    key = signing._parse_key(f"3:{b64e(seed)}")
    assert key.version == 3
    assert verify(sign(5, 6, key=key), keys={3: key.public}).key_version == 3
    with pytest.raises(ValueError):
        signing._parse_key("short")


def test_qr_png_decodes_to_a_valid_code():
    code = sign(424242, 17)
    png = qr_png(code)
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    assert results[0].text == code
    assert verify(results[0].text).ticket_id == 424242


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@settings(max_examples=200, deadline=None)
@given(
    ticket_id=st.integers(min_value=1, max_value=2**32 - 1),
    event_id=st.integers(min_value=1, max_value=2**32 - 1),
    position=st.integers(min_value=0, max_value=10_000),
    replacement=st.sampled_from(ALPHABET),
)
def test_any_single_character_change_is_rejected(ticket_id, event_id, position, replacement):
    code = sign(ticket_id, event_id)
    assert verify(code).ticket_id == ticket_id
    i = 3 + position % (len(code) - 3)
    if code[i] == replacement:
        return
    altered = code[:i] + replacement + code[i + 1 :]
    with pytest.raises(InvalidTicketCode):
        verify(altered)


def test_issuer_check_signs_deterministically_and_accepts_exactly_its_codes():
    """The issuer's check relies on Ed25519 being deterministic: the same 11 bytes signed twice give
    the same signature, so the code it issued is the one code it accepts for that ticket."""
    key = signing.signing_key()
    head = b"\x01\x00\x01\x00\x00\x00\x05\x00\x00\x00\x07"
    assert key.private.sign(head) == key.private.sign(head)
    code = sign(7, 5)
    got = verify(code, keys=signing.issuer_keys())
    assert (got.ticket_id, got.event_id, got.key_version) == (7, 5, 1)
    # a signature that verifies for other bytes does not pass for these
    other = b64d(sign(8, 5)[3:])
    spliced = "LD1" + b64e(b64d(code[3:])[:11] + other[11:])
    with pytest.raises(InvalidTicketCode) as exc:
        verify(spliced, keys=signing.issuer_keys())
    assert exc.value.reason == "bad_signature"


@settings(max_examples=200, deadline=None)
@given(
    ticket_id=st.integers(min_value=1, max_value=2**32 - 1),
    event_id=st.integers(min_value=1, max_value=2**32 - 1),
    byte=st.integers(min_value=0, max_value=74),
    bit=st.integers(min_value=0, max_value=7),
)
def test_issuer_and_public_checks_agree(ticket_id, event_id, byte, bit):
    """Both checks accept the issued code and reject it with any one bit flipped, for the same reason."""
    code = sign(ticket_id, event_id)
    assert verify(code, keys=signing.issuer_keys()) == verify(code, keys=signing.public_keys())
    raw = bytearray(b64d(code[3:]))
    raw[byte] ^= 1 << bit
    altered = "LD1" + b64e(bytes(raw))
    reasons = []
    for keys in (signing.issuer_keys(), signing.public_keys()):
        with pytest.raises(InvalidTicketCode) as exc:
            verify(altered, keys=keys)
        reasons.append(exc.value.reason)
    assert reasons[0] == reasons[1]
