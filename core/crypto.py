"""Field encryption and keyed hashes; keys come from configuration, never from the database."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


def _fernet() -> MultiFernet:
    """The current key seals; retired keys still open what they sealed, until rotated."""
    config = current_app.config
    keys = [config["FIELD_ENCRYPTION_KEY"], *config.get("FIELD_ENCRYPTION_RETIRED_KEYS", [])]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong FIELD_ENCRYPTION_KEY or altered value") from exc


def encrypt_bytes(content: bytes) -> bytes:
    return _fernet().encrypt(content)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong FIELD_ENCRYPTION_KEY or altered value") from exc


def reseal(token: str | bytes) -> str | bytes:
    """The same value sealed with the current key, so that a retired key can be dropped; bytes
    stay bytes."""
    try:
        if isinstance(token, bytes):
            return _fernet().rotate(token)
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: no configured key opens this value") from exc


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 for exact-match search without storing or comparing plaintext."""
    key = current_app.config["SEARCH_HASH_KEY"].encode("utf-8")
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
