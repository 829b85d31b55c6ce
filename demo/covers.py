"""Cover and illustration images for the demo, drawn with Pillow (no network, no stock photos).

Each image gets its own colours and shapes from a seed; the headline is written on it only
when a CJK font is installed, so the demo also loads on a machine without one.
"""

import functools
import glob
import io
import random
import textwrap

from PIL import Image, ImageDraw, ImageFont, ImageOps

WIDTH, HEIGHT = 1200, 675  # 16:9, the cover ratio of the public site
JPEG_QUALITY = 82

# Where Linux distributions, macOS and Windows keep CJK fonts.
FONT_PATTERNS = [
    "/usr/share/fonts/**/NotoSansCJK*.tt[cf]",
    "/usr/share/fonts/**/NotoSerifCJK*.tt[cf]",
    "/usr/share/fonts/**/*[Ww]qy*.tt[cf]",
    "/usr/share/fonts/**/*[Dd]roid*[Ff]allback*.tt[cf]",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti*.ttc",
    "C:/Windows/Fonts/msyh.tt[cf]",
]

# Pairs of gradient colours, one family per channel so a channel's covers look related.
PALETTES = {
    "yaowen": [((178, 34, 34), (92, 12, 20)), ((196, 60, 40), (120, 20, 30))],
    "qiaojie": [((230, 126, 34), (140, 60, 20)), ((214, 150, 60), (120, 70, 30))],
    "qiaoxiang": [((39, 174, 96), (20, 90, 60)), ((90, 160, 80), (30, 80, 40))],
    "chuangye": [((41, 128, 185), (20, 50, 110)), ((52, 152, 219), (30, 60, 120))],
    "fazhi": [((52, 73, 94), (20, 30, 45)), ((70, 90, 120), (25, 35, 60))],
    "qinqing": [((192, 57, 143), (100, 30, 90)), ((220, 110, 150), (120, 40, 80))],
    "gongyi": [((243, 156, 18), (170, 80, 10)), ((250, 190, 80), (180, 100, 20))],
    "lianluozhan": [((22, 160, 133), (10, 80, 80)), ((60, 150, 170), (20, 70, 90))],
    "tupian": [((80, 80, 80), (20, 20, 20)), ((120, 110, 100), (40, 35, 30))],
    "shipin": [((142, 68, 173), (60, 30, 90)), ((100, 80, 180), (40, 30, 90))],
}
DEFAULT_PALETTE = [((120, 120, 160), (40, 40, 70))]


@functools.cache
def find_cjk_font():
    """(path, face index) of an installed font that has Chinese glyphs, or None."""
    for pattern in FONT_PATTERNS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            face = _simplified_chinese_face(path)
            if face is not None:
                return path, face
    return None


def _simplified_chinese_face(path):
    """Collections hold several faces (JP, KR, SC…); prefer the Simplified Chinese one."""
    faces = []
    for index in range(10):
        try:
            font = ImageFont.truetype(path, 20, index=index)
        except OSError:
            break
        if font.getmask("侨").getbbox() is None:
            continue
        faces.append(index)
        if font.getname()[0].endswith(" SC"):
            return index
    return faces[0] if faces else None


def _background(palette_key, rng):
    top, bottom = rng.choice(PALETTES.get(palette_key, DEFAULT_PALETTE))
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    return ImageOps.colorize(gradient, top, bottom).convert("RGBA")


def _shapes(image, rng):
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(rng.randint(7, 12)):
        colour = (*(rng.randint(120, 255) for _ in range(3)), rng.randint(40, 110))
        x, y = rng.randint(-100, WIDTH), rng.randint(-100, HEIGHT)
        size = rng.randint(120, 420)
        shape = rng.choice(("circle", "rectangle", "triangle"))
        if shape == "circle":
            draw.ellipse((x, y, x + size, y + size), fill=colour)
        elif shape == "rectangle":
            draw.rectangle((x, y, x + size * 1.6, y + size * 0.6), fill=colour)
        else:
            draw.polygon([(x, y + size), (x + size, y + size), (x + size / 2, y)], fill=colour)
    return Image.alpha_composite(image, overlay)


def _headline(image, text, label, font_spec):
    band_top = HEIGHT - 230
    band = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(band).rectangle((0, band_top, WIDTH, HEIGHT), fill=(0, 0, 0, 140))
    image = Image.alpha_composite(image, band)
    draw = ImageDraw.Draw(image)
    if font_spec is None:
        # Without a CJK font only the Latin masthead is drawn; Chinese would show as boxes.
        draw.text((60, band_top + 80), "QIAOYIN", fill="white", font=ImageFont.load_default(64))
        return image
    path, index = font_spec
    title_font = ImageFont.truetype(path, 56, index=index)
    label_font = ImageFont.truetype(path, 30, index=index)
    draw.text((60, band_top + 24), label, fill=(255, 220, 120), font=label_font)
    for row, line in enumerate(textwrap.wrap(text, width=19)[:2]):
        draw.text((60, band_top + 72 + row * 70), line, fill="white", font=title_font)
    return image


def draw_image(seed, palette_key, headline="", label="侨音", font_spec="auto"):
    """A JPEG (bytes) with the seed's colours and shapes, and the headline if a font exists."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    if font_spec == "auto":
        font_spec = find_cjk_font()
    image = _shapes(_background(palette_key, rng), rng)
    if headline:
        image = _headline(image, headline, label, font_spec)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()
