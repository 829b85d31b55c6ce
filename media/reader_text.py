"""Reader-visible text that has no translatable home, in the language being shown.

A photo's caption, credit and alt text live once in the image library and show on every
edition; an edition whose script differs (繁體中文) must still show them in its own script.
Apps that can convert text register a converter per language (translations registers
OpenCC for zh-hant in its AppConfig.ready); this app, below them, only calls the hook.
"""

from django.utils import translation

_converters = {}


def register_reader_text(language_code, convert):
    """`convert(text) -> text` for the pages shown in `language_code`."""
    _converters[language_code] = convert


def reader_text(text: str, language_code: str | None = None, keep: bool = False) -> str:
    """`text` as readers of `language_code` (default: the active language) see it. A
    converter may leave out text its edition cannot read; `keep` text that must show
    anyway (a photo's credit: attribution is owed whatever the language)."""
    if not text:
        return text
    convert = _converters.get(language_code or translation.get_language())
    shown = convert(text) if convert is not None else text
    return text if keep and not shown else shown
