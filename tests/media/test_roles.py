"""The newsroom's roles use the photo and video libraries in the admin as their role allows.

Chief editors (总编辑) and editors (编辑) upload, choose, edit and delete every photo and
video (in Wagtail's libraries the right to edit an item is the right to delete it);
translators (翻译) upload, choose every photo and edit or delete only what they uploaded.
Each right is tried through the admin, as a person would.
"""

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.models import Collection

import pytest

from media.models import NewsImage, NewsMedia
from tests.cms.admin_forms import chief_editor, editor, english_translator, make_user
from tests.cms.factories import NewsImageFactory

from .conftest import photo_bytes, upload

pytestmark = pytest.mark.django_db

ROLES = {"chief": chief_editor, "editor": editor, "translator": english_translator}
# Could the role do this to an item someone else uploaded?
OTHERS_ITEMS = {
    #              choose image, edit image, delete image, choose video, edit video, delete video
    "chief": (True, True, True, True, True, True),
    "editor": (True, True, True, True, True, True),
    "translator": (True, False, False, False, False, False),
}
# A minimal MP4 (an ftyp box, then an empty moov box): what a video file starts with.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08moov"


@pytest.fixture
def colleague(newsroom):
    return make_user("tongshi")


@pytest.fixture
def others_photo(colleague):
    return NewsImageFactory(
        title="同事的照片", uploaded_by_user=colleague, collection=Collection.get_first_root_node()
    )


@pytest.fixture
def others_video(colleague):
    return NewsMedia.objects.create(
        title="同事的视频",
        type="video",
        file=SimpleUploadedFile("clip.mp4", MP4, content_type="video/mp4"),
        collection=Collection.get_first_root_node(),
        uploaded_by_user=colleague,
    )


def refused(response):
    """Wagtail answers a missing right with a 403, or a redirect to the dashboard saying so."""
    if response.status_code == 403:
        return True
    return (
        response.status_code == 302
        and response["Location"] == reverse("wagtailadmin_home")
        and any("权限" in str(message) for message in get_messages(response.wsgi_request))
    )


def logged_in(client, role):
    user = ROLES[role]()
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_both_libraries_and_uploads_a_photo(client, newsroom, role):
    user = logged_in(client, role)
    # The libraries open (they redirected every role away)
    assert client.get(reverse("wagtailimages:index")).status_code == 200
    assert client.get(reverse("wagtailmedia:index")).status_code == 200
    # A photo uploads, and its uploader may edit and delete it
    response = client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload("侨乡.jpg", photo_bytes())}
    )
    assert response.json()["success"] is True, response.json()
    photo = NewsImage.objects.get(pk=response.json()["image_id"])
    assert photo.uploaded_by_user == user
    edited = client.post(
        reverse("wagtailimages:edit", args=(photo.pk,)),
        {"title": "侨乡新貌", "collection": photo.collection_id, "alt_text": "侨乡新貌"},
    )
    assert edited.status_code == 302 and not refused(edited)
    assert NewsImage.objects.get(pk=photo.pk).title == "侨乡新貌"
    client.post(reverse("wagtailimages:delete", args=(photo.pk,)))
    assert not NewsImage.objects.filter(pk=photo.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_uploads_a_video(client, newsroom, role):
    user = logged_in(client, role)
    response = client.post(
        reverse("wagtailmedia:add", args=("video",)),
        {
            "title": "侨乡视频",
            "file": SimpleUploadedFile("visit.mp4", MP4, content_type="video/mp4"),
            "collection": Collection.get_first_root_node().pk,
            "subtitles_language": "zh-hans",
        },
    )
    assert response.status_code == 302 and not refused(response), response.content[:2000]
    assert NewsMedia.objects.get(title="侨乡视频").uploaded_by_user == user


@pytest.mark.parametrize("role", ROLES)
def test_each_role_handles_a_colleagues_items_as_it_may(client, role, others_photo, others_video):
    logged_in(client, role)
    allowed = dict(
        zip(
            (
                "choose image",
                "edit image",
                "delete image",
                "choose video",
                "edit video",
                "delete video",
            ),
            OTHERS_ITEMS[role],
            strict=True,
        )
    )
    # Choose: the article editor's choosers list the colleague's items
    image_chooser = client.get(reverse("wagtailimages_chooser:choose"))
    assert ("同事的照片" in image_chooser.json()["html"]) is allowed["choose image"]
    media_chooser = client.get(reverse("wagtailmedia:chooser"))
    assert ("同事的视频" in media_chooser.json()["html"]) is allowed["choose video"]
    # Edit
    edit_image = client.post(
        reverse("wagtailimages:edit", args=(others_photo.pk,)),
        {"title": "改过的照片", "collection": others_photo.collection_id},
    )
    assert (NewsImage.objects.get(pk=others_photo.pk).title == "改过的照片") is allowed[
        "edit image"
    ]
    assert refused(edit_image) is not allowed["edit image"]
    edit_video = client.get(reverse("wagtailmedia:edit", args=(others_video.pk,)))
    assert (edit_video.status_code == 200) is allowed["edit video"]
    # Delete
    delete_image = client.post(reverse("wagtailimages:delete", args=(others_photo.pk,)))
    assert (not NewsImage.objects.filter(pk=others_photo.pk).exists()) is allowed["delete image"]
    assert refused(delete_image) is not allowed["delete image"]
    client.post(reverse("wagtailmedia:delete", args=(others_video.pk,)))
    assert (not NewsMedia.objects.filter(pk=others_video.pk).exists()) is allowed["delete video"]
