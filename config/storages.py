"""The STORAGES setting: local files by default, S3 (django-storages + boto3) when
AWS_STORAGE_BUCKET_NAME is set; media/storage.py explains the two storages.

Called by config/settings/base.py, so it imports nothing that needs configured settings.
"""

from collections.abc import Mapping
from urllib.parse import urlsplit

PUBLIC_ALIAS = "public"
S3_BACKEND = "storages.backends.s3.S3Storage"
DEFAULT_SIGNED_URL_LIFETIME = 3600


def storages_from_environment(environ: Mapping[str, str], storages_setting: dict) -> dict:
    """STORAGES with S3 "default" and "public" when a bucket is configured, else unchanged."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return storages_setting
    common = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": environ.get("AWS_S3_REGION_NAME", "").strip() or None,
        "file_overwrite": False,
        # SigV4: the only signature every AWS region and most S3-compatible stores accept.
        "signature_version": "s3v4",
    }
    lifetime = int(environ.get("MEDIA_SIGNED_URL_LIFETIME", DEFAULT_SIGNED_URL_LIFETIME))
    private = {**common, "default_acl": "private", "querystring_auth": True}
    private["querystring_expire"] = lifetime
    public = {
        **common,
        "default_acl": environ.get("MEDIA_PUBLIC_ACL", "public-read").strip() or None,
        "querystring_auth": False,
        "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip() or None,
        # Renditions never change under the same name: let browsers and the CDN keep them.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    return {
        **storages_setting,
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": private},
        PUBLIC_ALIAS: {"BACKEND": S3_BACKEND, "OPTIONS": public},
    }


def media_origins_from_environment(environ):
    """The origins media URLs point at when they are not the site's own (for the CSP)."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return []
    custom_domain = environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip()
    endpoint = urlsplit(environ.get("AWS_S3_ENDPOINT_URL", "").strip())
    origins = [f"https://{custom_domain}"] if custom_domain else []
    if endpoint.netloc:
        # Path-style and virtual-hosted URLs of an S3-compatible store
        origins += [
            f"{endpoint.scheme}://{endpoint.netloc}",
            f"{endpoint.scheme}://*.{endpoint.netloc}",
        ]
    else:
        region = environ.get("AWS_S3_REGION_NAME", "").strip()
        origins.append(f"https://{bucket}.s3.amazonaws.com")
        if region:
            origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins
