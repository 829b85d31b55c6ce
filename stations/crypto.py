"""Webhook secrets are stored encrypted (Fernet) with a key derived from the configuration."""

import base64
import functools
import os

from django.conf import settings

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _fernet():
    # STATION_SECRET_KEY lets operators rotate SECRET_KEY without re-entering every secret.
    material = os.environ.get("STATION_SECRET_KEY") or settings.SECRET_KEY
    if not material:
        raise RuntimeError("Set SECRET_KEY or STATION_SECRET_KEY to store station secrets.")
    return _fernet_for(material)


@functools.lru_cache(maxsize=4)
def _fernet_for(material):
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"qiaoyin-station-secrets"
    ).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(plaintext):
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt_secret(token):
    return _fernet().decrypt(token.encode()).decode()
