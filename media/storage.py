"""Where media files live: local files by default, S3 (django-storages + boto3) when
AWS_STORAGE_BUCKET_NAME is set.

Two storages:
- "default": originals of photos and documents. On S3 they are private and every URL is
  a signed one that expires after MEDIA_SIGNED_URL_LIFETIME seconds.
- "public": image renditions, video/audio files, posters and subtitles: public-read,
  served from the CDN domain when one is configured. Locally it is the default storage.

The STORAGES setting itself comes from config/storages.py (settings cannot import an app).
"""

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

from config.storages import PUBLIC_ALIAS


def get_public_storage() -> Storage:
    alias = PUBLIC_ALIAS if PUBLIC_ALIAS in settings.STORAGES else "default"
    return storages[alias]


_DELEGATED = (
    "open",
    "save",
    "get_valid_name",
    "get_alternative_name",
    "get_available_name",
    "generate_filename",
    "path",
    "delete",
    "exists",
    "listdir",
    "size",
    "url",
    "get_accessed_time",
    "get_created_time",
    "get_modified_time",
)


@deconstructible(path="media.storage.PublicStorage")
class PublicStorage(Storage):
    """The "public" storage, looked up on every call (not once at model load), so a
    deployment or a test that changes STORAGES is followed by the model fields too."""

    def __getattribute__(self, name):
        if name in _DELEGATED:
            return getattr(get_public_storage(), name)
        return super().__getattribute__(name)


public_storage = PublicStorage()
