"""Safe uploads through the admin's uploader (the multiple-upload view editors use)."""

import io

from django.urls import reverse

import pytest
from PIL import Image, ImageCms

from media.models import NewsImage

from .conftest import photo_bytes, upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
BODY_SERIAL_NUMBER = 0xA431
LENS_SERIAL_NUMBER = 0xA435
ORIENTATION = 0x0112
ARTIST = 0x013B
MAKE = 0x010F


@pytest.fixture
def admin_client(admin_client, admin_user):
    """The admin in English, so the assertions read the messages' source text."""
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=admin_user, defaults={"preferred_language": "en"})
    return admin_client


def post_photo(client, name, content):
    response = client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload(name, content)}
    )
    assert response.status_code == 200
    return response.json()


def camera_photo():
    """A correspondent's phone photo: landscape pixels shown rotated (Orientation 6), GPS
    coordinates of where they stood, the camera's and lens's serial numbers."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "PhoneMaker"
    exif[ARTIST] = "Qiaoyin correspondent"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (45.0, 27.0, 50.0), 3: "E", 4: (9.0, 11.0, 23.0)})
    exif.get_ifd(EXIF_IFD).update({BODY_SERIAL_NUMBER: "SN-123456", LENS_SERIAL_NUMBER: "LN-987"})
    return photo_bytes(size=(400, 200), exif=exif.tobytes())


def stored_image(response_json):
    return NewsImage.objects.get(pk=response_json["image_id"])


def test_gps_and_serial_numbers_are_stripped_and_orientation_applied(admin_client):
    # Given a phone photo with GPS, serial numbers and a rotate-on-display flag
    # When a correspondent uploads it
    result = post_photo(admin_client, "milan.jpg", camera_photo())
    # Then the stored file has no location and no serials, but keeps the harmless credits
    image = stored_image(result)
    with image.open_file() as handle, Image.open(handle) as stored:
        exif = stored.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert BODY_SERIAL_NUMBER not in exif.get_ifd(EXIF_IFD)
        assert LENS_SERIAL_NUMBER not in exif.get_ifd(EXIF_IFD)
        assert exif.get(ARTIST) == "Qiaoyin correspondent"
        # And the pixels are turned upright, so every rendition shows it as the camera did
        assert ORIENTATION not in exif
        assert stored.size == (200, 400)
    assert (image.width, image.height) == (200, 400)


def test_cmyk_photo_is_stored_as_srgb(admin_client):
    # Given an agency photo in CMYK (print workflow) — pure red ink
    content = photo_bytes(mode="CMYK", color=(0, 255, 255, 0))
    # When it is uploaded
    image = stored_image(post_photo(admin_client, "agency.jpg", content))
    # Then the stored file is RGB that browsers show as red
    with image.open_file() as handle, Image.open(handle) as stored:
        assert stored.mode == "RGB"
        red, green, blue = stored.getpixel((10, 10))
        assert red > 200 and green < 60 and blue < 60


def wide_gamut_profile():
    """An RGB profile that is not sRGB by name. (Pillow can only build sRGB itself; the
    conversion path is the same for Display P3 or Adobe RGB files from cameras.)"""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return srgb.replace("sRGB".encode("utf-16-be"), "WIDE".encode("utf-16-be"))


@pytest.mark.parametrize("profile", [wide_gamut_profile(), b"not a colour profile"])
def test_photo_with_another_colour_profile_is_stored_as_srgb(admin_client, profile):
    # Given a photo tagged with a colour profile other than sRGB (or a broken one)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 160, 40)).save(buffer, format="JPEG", icc_profile=profile)
    # When it is uploaded
    image = stored_image(post_photo(admin_client, "camera.jpg", buffer.getvalue()))
    # Then the stored file is plain sRGB (no foreign profile) and its colours are kept
    with image.open_file() as handle, Image.open(handle) as stored:
        assert "icc_profile" not in stored.info
        red, green, blue = stored.getpixel((32, 32))
        assert abs(red - 30) < 12 and abs(green - 160) < 12 and abs(blue - 40) < 12


def test_a_clean_photo_is_stored_byte_for_byte(admin_client):
    # Given a photo without metadata in sRGB
    content = photo_bytes()
    # When it is uploaded
    image = stored_image(post_photo(admin_client, "clean.jpg", content))
    # Then nothing was re-encoded
    with image.open_file() as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", "这不是图片 not a picture".encode(), "Upload a valid image"),
        ("photo.jpg", photo_bytes(fmt="PNG"), "extension does not match"),
        ("script.exe", photo_bytes(), "Not a supported image format"),
        ("cut.jpg", photo_bytes(size=(800, 600))[:1500], "incomplete or damaged"),
    ],
    ids=["not-an-image", "wrong-extension", "not-an-image-extension", "truncated"],
)
def test_bad_uploads_are_refused_with_a_clear_message(admin_client, name, content, message):
    # When an editor uploads a bad file
    result = post_photo(admin_client, name, content)
    # Then the uploader says why, and nothing is stored
    assert result["success"] is False
    assert message in result["error_message"]
    assert not NewsImage.objects.exists()


def test_decompression_bomb_is_refused_before_decoding(admin_client, settings):
    # Given a pixel limit from the settings, and a tiny file that expands far beyond it
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000_000
    bomb = photo_bytes(size=(4000, 4000), fmt="PNG", color=(0, 0, 0))
    assert len(bomb) < 100_000
    # When it is uploaded
    result = post_photo(admin_client, "bomb.png", bomb)
    # Then it is refused as too many pixels
    assert result["success"] is False
    assert "too many pixels" in result["error_message"]
    assert "1,000,000" in result["error_message"]


def test_size_limit_comes_from_the_settings(admin_client, settings):
    # Given a 20 kB limit
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20_000
    # When a larger photo is uploaded
    noisy = Image.effect_noise((400, 400), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=95)
    result = post_photo(admin_client, "big.jpg", buffer.getvalue())
    # Then it is refused, naming the limit
    assert result["success"] is False
    assert "too big" in result["error_message"]


def test_duplicate_upload_is_detected_by_file_hash(admin_client):
    # Given a photo already in the library (uploaded with its GPS, which was stripped)
    first = post_photo(admin_client, "first.jpg", camera_photo())
    assert first["duplicate"] is False
    # When someone uploads the same photo again under another name
    second = post_photo(admin_client, "again.jpg", camera_photo())
    # Then the uploader points at the existing image instead of silently duplicating it
    assert second["duplicate"] is True
    assert stored_image(first).file_hash == stored_image(second).file_hash
    assert (
        "first.jpg" in second["confirm_duplicate_upload"]
        or str(first["image_id"]) in (second["confirm_duplicate_upload"])
    )
