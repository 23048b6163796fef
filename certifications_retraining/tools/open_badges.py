# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Open Badges 3.0 credentials: the pure parts, without ORM.

Keys, JWS signing and verification go through PyJWT on top of the
``cryptography`` package Odoo ships (no hand-written crypto). The bitstring
status list follows W3C Bitstring Status List v1.0: the bit of index 0 is the
most significant bit of the first byte; ``encodedList`` is the Multibase
base64url form (prefix ``u``, no padding) of the GZIP-compressed bitstring.

:func:`verify_credential` is the one verification procedure: the public
verification page, the tests and the README's third-party snippet all follow
it."""

import base64
import gzip
import hashlib
import json
from datetime import datetime, timezone

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

# The W3C spec's minimum size (16 KiB), so that one bit says nothing of the
# number of credentials issued.
STATUS_LIST_MIN_BITS = 131072
# The highest status list index plus one: a list never exceeds 2 MiB (16
# million credentials, revoked ones included), whatever the stored indexes.
STATUS_LIST_MAX_BITS = 2**24
ALGORITHMS = ("EdDSA", "RS256")


# ------------------------------------------------------------
# KEYS
# ------------------------------------------------------------


def generate_private_key():
    """A new signing key as ``(algorithm, PKCS#8 PEM text)``: Ed25519 when the
    installed ``cryptography`` supports it, RSA 2048 otherwise."""
    try:
        key, algorithm = ed25519.Ed25519PrivateKey.generate(), "EdDSA"
    except Exception:  # noqa: BLE001 - OpenSSL without Ed25519
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        algorithm = "RS256"
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return algorithm, pem.decode()


def load_private_key(pem):
    return serialization.load_pem_private_key(pem.encode(), password=None)


def public_jwk(private_pem, algorithm):
    """The public JWK (dict) of a private key, with its RFC 7638 thumbprint
    as ``kid``."""
    public_key = load_private_key(private_pem).public_key()
    jwk = jwt.get_algorithm_by_name(algorithm).to_jwk(public_key, as_dict=True)
    jwk.update(kid=jwk_thumbprint(jwk), alg=algorithm, use="sig")
    return jwk


def jwk_thumbprint(jwk):
    """RFC 7638: SHA-256 of the key's required members, base64url."""
    required = ("crv", "kty", "x") if jwk["kty"] == "OKP" else ("e", "kty", "n")
    canonical = json.dumps(
        {name: jwk[name] for name in required}, separators=(",", ":"), sort_keys=True
    )
    return b64url(hashlib.sha256(canonical.encode()).digest())


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# ------------------------------------------------------------
# SIGNING
# ------------------------------------------------------------


def sign(payload, private_pem, algorithm, kid):
    """The compact JWS (VC-JWT) of ``payload``."""
    return jwt.encode(
        payload,
        load_private_key(private_pem),
        algorithm=algorithm,
        headers={"kid": kid, "typ": "JWT"},
    )


def to_timestamp(value):
    """A naive UTC datetime as a JWT NumericDate."""
    return int(value.replace(tzinfo=timezone.utc).timestamp())


def to_iso(value):
    """A naive UTC datetime as ISO 8601 with ``Z``."""
    return value.replace(microsecond=0).isoformat() + "Z"


def jwt_claims(credential, subject):
    """The registered JWT claims mirroring the credential (OB 3.0, VC-JWT)."""
    issuer = credential["issuer"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "sub": subject,
        "nbf": _iso_to_timestamp(credential["validFrom"]),
    }
    if credential.get("validUntil"):
        claims["exp"] = _iso_to_timestamp(credential["validUntil"])
    return claims


def _iso_to_timestamp(value):
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


# ------------------------------------------------------------
# STATUS LIST
# ------------------------------------------------------------


def status_list_size(max_index):
    """Bits of a list holding ``max_index``: at least the W3C minimum, grown by
    whole minimum-size blocks, never more than :data:`STATUS_LIST_MAX_BITS`."""
    if (max_index or 0) >= STATUS_LIST_MAX_BITS:
        raise ValueError(f"status list index {max_index} out of range")
    blocks = (max_index or 0) // STATUS_LIST_MIN_BITS + 1
    return blocks * STATUS_LIST_MIN_BITS


def encode_status_list(indexes, size):
    """``encodedList`` of a bitstring of ``size`` bits with ``indexes`` set."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))


def decode_status_list(encoded):
    """The bitstring (bytes) of an ``encodedList`` (Multibase ``u`` prefix
    optional)."""
    data = encoded.removeprefix("u")
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def status_bit(bits, index):
    return (bits[index // 8] >> (7 - index % 8)) & 1


# ------------------------------------------------------------
# VERIFICATION
# ------------------------------------------------------------


def verify_jws(token, jwks):
    """The payload of a compact JWS signed by one of the ``jwks`` keys; raises
    ``jwt.InvalidTokenError`` when the signature does not verify. Validity
    dates are checked by the caller (an expired credential is still an
    authentic one)."""
    header = jwt.get_unverified_header(token)
    keys = {key.get("kid"): key for key in jwks.get("keys", [])}
    if header.get("kid") not in keys or header.get("alg") not in ALGORITHMS:
        raise jwt.InvalidTokenError("unknown signing key")
    key = jwt.PyJWK(keys[header["kid"]], algorithm=header["alg"])
    return jwt.decode(
        token,
        key.key,
        algorithms=[header["alg"]],
        options={"verify_exp": False, "verify_nbf": False, "verify_aud": False},
    )


def verify_credential(token, get_jwks, get_status_list, now):
    """Check an Open Badges 3.0 VC-JWT as any third party would.

    :param get_jwks: ``issuer id -> JWKS dict`` (the issuer's ``/jwks.json``)
    :param get_status_list: ``status list URL -> compact JWS`` of the list
    :param now: a naive UTC datetime
    :return: dict ``signature_valid``, ``revoked``, ``expired``, ``credential``
        and ``error`` (a short reason when the signature or the status list
        could not be checked)."""
    result = {
        "signature_valid": False,
        "revoked": None,
        "expired": None,
        "credential": None,
        "error": None,
    }
    try:
        issuer = jwt.decode(token, options={"verify_signature": False})["iss"]
        payload = verify_jws(token, get_jwks(issuer))
    except (jwt.InvalidTokenError, KeyError, ValueError) as error:
        result["error"] = str(error) or "invalid signature"
        return result
    result.update(signature_valid=True, credential=payload)
    until = payload.get("validUntil")
    result["expired"] = bool(until) and _iso_to_timestamp(until) <= to_timestamp(now)
    entry = payload.get("credentialStatus") or {}
    try:
        status_payload = verify_jws(
            get_status_list(entry["statusListCredential"]), get_jwks(issuer)
        )
        if status_payload.get("iss") != issuer:
            raise jwt.InvalidTokenError("status list of another issuer")
        bits = decode_status_list(status_payload["credentialSubject"]["encodedList"])
        result["revoked"] = bool(status_bit(bits, int(entry["statusListIndex"])))
    except (jwt.InvalidTokenError, KeyError, ValueError, OSError) as error:
        result["error"] = str(error) or "status list unavailable"
    return result
