"""Safe video, audio and subtitle uploads: every file a reader can fetch is checked as
photos are (media/uploads.py).

Video and audio are recognised by their content (the container's signature, read by the
`filetype` library), never by their name, and held to a size limit. Subtitles are parsed as
WebVTT (`webvtt-py`) and written back as plain cues: markup in a cue, an HTML page renamed
.vtt, or anything that is not WebVTT never reaches a reader.
"""

import html

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

import filetype
import webvtt
from webvtt.errors import MalformedFileError

# Bytes read to recognise a container (MP4/MOV boxes, Matroska/WebM, Ogg, RIFF, MP3…).
SIGNATURE_BYTES = 8192
MAX_SUBTITLES_BYTES = 1024 * 1024
# What each kind of item may be. MP4, WebM, Matroska and Ogg carry sound alone as well.
ACCEPTED = {
    "video": {"mp4", "m4v", "mov", "webm", "mkv", "avi", "mpg", "ogg"},
    "audio": {"mp3", "m4a", "aac", "ogg", "oga", "opus", "wav", "flac", "aiff", "mp4", "webm"},
}


def max_media_bytes():
    return settings.MEDIA_MAX_VIDEO_UPLOAD_MB * 1024 * 1024


def check_media_file(uploaded, media_type):
    """Refuse a video/audio upload that is too big or whose content is not of its kind."""
    if uploaded.size > max_media_bytes():
        raise ValidationError(
            _("This file is too big (%(size)s). The largest video or audio file is %(limit)s."),
            code="file_too_large",
            params={
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(max_media_bytes()),
            },
        )
    uploaded.seek(0)
    kind = filetype.guess(uploaded.read(SIGNATURE_BYTES))
    uploaded.seek(0)
    if kind is None or kind.extension not in ACCEPTED.get(media_type, set()):
        raise ValidationError(
            _(
                "This file is not a %(kind)s file that browsers play (its content was "
                "checked, not its name). Upload MP4, WebM or MP3, for example."
            ),
            code="not_media",
            params={"kind": _("video") if media_type == "video" else _("audio")},
        )


def sanitised_subtitles(uploaded):
    """The subtitles as a clean WebVTT file (cue timings and plain text), or a refusal."""
    if uploaded.size > MAX_SUBTITLES_BYTES:
        raise ValidationError(
            _("The subtitles file is too big; the largest is %(limit)s."),
            code="subtitles_too_large",
            params={"limit": filesizeformat(MAX_SUBTITLES_BYTES)},
        )
    uploaded.seek(0)
    try:
        captions = webvtt.from_string(uploaded.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, MalformedFileError) as error:
        raise ValidationError(
            _("This is not a WebVTT subtitles file (UTF-8, starting with WEBVTT)."),
            code="not_webvtt",
        ) from error
    cues = [
        f"{caption.start} --> {caption.end}\n{_cue_text(caption.text)}"
        for caption in captions
        if _cue_text(caption.text)
    ]
    content = "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
    return SimpleUploadedFile(uploaded.name, content.encode(), content_type="text/vtt")


def _cue_text(text):
    """Plain text (webvtt-py drops the tags), escaped as WebVTT wants &, < and >."""
    plain = html.unescape(text).strip()
    return plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
