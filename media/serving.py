"""Local media files (the embedded default) served as a file server would serve them.

Django serves MEDIA_ROOT only in debug mode, with neither ETags nor Range requests.
whitenoise, which already serves the static files, has both: ETag and Last-Modified with
304 answers to conditional requests, and 206 answers to Range requests (video and audio
seek with them). Its "autorefresh" mode looks each file up when it is asked for, which
uploaded files need (its default mode lists the files once, at start-up).

On S3 the storage's own URLs serve the media and this middleware stands aside; behind a
reverse proxy in production the proxy serves /media/ itself (docs/deployment.md). Documents
are never served from here: Wagtail serves them through its view, which checks their
privacy settings.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.files.storage import FileSystemStorage, storages

from whitenoise.base import WhiteNoise
from whitenoise.middleware import WhiteNoiseMiddleware

# Renditions keep their names while their image is unchanged; a replaced original gets
# new renditions under new names. An hour bounds what a browser keeps of anything else.
MEDIA_MAX_AGE = 3600
PRIVATE_FOLDERS = ("documents/",)


def media_is_local():
    return isinstance(storages["default"], FileSystemStorage) and settings.MEDIA_URL.startswith("/")


class LocalMediaMiddleware(WhiteNoise):
    # whitenoise's answer as a Django response, as its own middleware makes it.
    serve = staticmethod(WhiteNoiseMiddleware.serve)

    def __init__(self, get_response=None):
        if not media_is_local():
            raise MiddlewareNotUsed
        self.get_response = get_response
        super().__init__(
            application=None, autorefresh=True, max_age=MEDIA_MAX_AGE, allow_all_origins=False
        )
        self.prefix = settings.MEDIA_URL
        self.private_prefixes = tuple(self.prefix + folder for folder in PRIVATE_FOLDERS)
        self.add_files(settings.MEDIA_ROOT, prefix=self.prefix)

    def __call__(self, request):
        path = request.path_info
        if path.startswith(self.prefix) and not path.startswith(self.private_prefixes):
            media_file = self.find_file(path)
            if media_file is not None:
                return self.serve(media_file, request)
        return self.get_response(request)
