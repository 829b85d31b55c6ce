"""What readers of one edition can see of a page, and the strings in another script."""

import re
from html.parser import HTMLParser

import opencc

# Generic character conversion: anything it changes is Simplified (or shared) text.
S2T = opencc.OpenCC("s2t")
CJK = re.compile(r"[\u3400-\u9fff]")
# Attributes readers (and screen readers, and crawlers) see.
VISIBLE_ATTRIBUTES = {"alt", "title", "content", "aria-label", "placeholder"}


class VisibleText(HTMLParser):
    """Text and visible attributes of a page, outside elements marked as another language
    (the switcher names each edition in its own script: lang="zh-Hans")."""

    def __init__(self, page_lang):
        super().__init__(convert_charrefs=True)
        self.page_lang, self.parts, self._foreign = page_lang, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._foreign:
            self._foreign[-1][1] += 1 if tag == self._foreign[-1][0] else 0
            return
        lang = attrs.get("lang")
        if lang and tag != "html" and lang != self.page_lang:
            self._foreign.append([tag, 1])
            return
        self.parts += [
            value for name, value in attrs.items() if name in VISIBLE_ATTRIBUTES and value
        ]

    def handle_endtag(self, tag):
        if self._foreign and tag == self._foreign[-1][0]:
            self._foreign[-1][1] -= 1
            if not self._foreign[-1][1]:
                self._foreign.pop()

    def handle_data(self, data):
        if not self._foreign and data.strip():
            self.parts.append(data.strip())


def visible_text(html, page_lang):
    parser = VisibleText(page_lang)
    parser.feed(html)
    return parser.parts


def simplified_strings(html):
    return [text for text in visible_text(html, "zh-Hant") if S2T.convert(text) != text]


def chinese_strings(html, page_lang):
    return [text for text in visible_text(html, page_lang) if CJK.search(text)]
