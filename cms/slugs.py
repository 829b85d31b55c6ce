"""Page slugs from Chinese titles: pinyin by pypinyin, syllables of a word written together
("侨连天下平台用户近百万" → "qiaolian-tianxia-pingtai-yonghu-jin-baiwan").

Wagtail's own slug filling keeps Chinese characters (or, transliterating, drops them), so a
Chinese title gave an empty slug and the first save failed on a field the editor had not
seen. jieba (the search app's segmenter, already a dependency) finds the words; pypinyin
picks each character's reading in its word (重庆 → chongqing, not zhongqing).
"""

from django.utils.text import slugify

import jieba
from pypinyin import lazy_pinyin

# Long titles make long addresses; the slug is cut at a word boundary.
MAX_SLUG_LENGTH = 80


def pinyin_slug(text):
    """An ASCII slug for `text`: pinyin words, other letters and digits as they are."""
    words = []
    for word in jieba.cut(text or ""):
        piece = slugify("".join(lazy_pinyin(word)))
        if piece:
            words.append(piece)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH:
            break
        slug = candidate
    if not slug and words:  # one word longer than the limit
        slug = words[0][:MAX_SLUG_LENGTH]
    return slug


def available_slug(parent_page, base_slug, page=None):
    """`base_slug`, or `base_slug-2`, `-3`… if a sibling already has it."""
    from wagtail.models import Page

    candidate, suffix = base_slug, 1
    while not Page._slug_is_available(candidate, parent_page, page):
        suffix += 1
        candidate = f"{base_slug}-{suffix}"
    return candidate
