"""gzip for text responses where no proxy compresses them (the embedded default).

Django's GZipMiddleware, which pads each compressed response by a random length against
BREACH (Heal the Breach), limited to text types (photos and video are compressed already)
and kept off the admin: its pages carry the editor's CSRF token next to text the editor
typed, the combination BREACH needs; the public pages served to readers have neither
session nor token. In production the reverse proxy compresses too (docs/deployment.md);
it leaves an already-compressed response as it is.
"""

from django.middleware.gzip import GZipMiddleware

TEXT_TYPES = (
    "text/",
    "application/json",
    "application/ld+json",
    "application/feed+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)
UNCOMPRESSED_PREFIXES = ("/admin/",)


class TextCompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(UNCOMPRESSED_PREFIXES):
            return response
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
