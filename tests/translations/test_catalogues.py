"""Interface-string catalogues: complete in all eight languages, and used by the site.

The .mo files are build products (gitignored); this module compiles them itself so it
never depends on an earlier `make` step.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

import polib
import pytest

CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0])
# Directory names as makemessages writes them (Django's to_locale form of LANGUAGES).
LOCALES = {code: translation.to_locale(code) for code, _name in settings.LANGUAGES}
# English msgids are English text: the en catalogue may leave entries to the msgid.
MUST_TRANSLATE = [code for code in LOCALES if code != "en"]
# %(name)s, %(n)d, %(seconds).1f, bare %s and str.format's {name}.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[A-Za-z_][A-Za-z0-9_]*\}"
)


def catalogue(code):
    return polib.pofile(str(CATALOGUE_DIR / LOCALES[code] / "LC_MESSAGES" / "django.po"))


def live_entries(code):
    return [entry for entry in catalogue(code) if not entry.obsolete]


def translations_of(entry):
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]


@pytest.fixture(scope="session")
def compiled_catalogues():
    call_command("compile_catalogues", verbosity=0)


@pytest.fixture
def fresh_catalogues(compiled_catalogues, settings):
    # Re-assigning LOCALE_PATHS makes Django drop catalogues it loaded before the
    # .mo files existed (its setting_changed handler resets the translation cache).
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


def test_every_language_has_a_catalogue_with_the_same_strings():
    # Given the eight site languages
    # When their catalogues are read
    msgids = {code: {e.msgid for e in live_entries(code)} for code in LOCALES}

    # Then each exists, is not empty, and none lacks a string another has
    assert len(msgids) == 8
    everything = set().union(*msgids.values())
    assert len(everything) > 100
    for code, ids in msgids.items():
        assert ids == everything, f"{code} lacks {sorted(everything - ids)[:5]}"


@pytest.mark.parametrize("code", MUST_TRANSLATE)
def test_no_string_is_left_untranslated_or_fuzzy(code):
    # Given a catalogue other than English
    entries = live_entries(code)

    # Then every entry has a reviewed translation in every plural form
    untranslated = [e.msgid for e in entries if not all(translations_of(e))]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert fuzzy == [], f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"


@pytest.mark.parametrize("code", list(LOCALES))
def test_translations_keep_the_placeholders_of_the_original(code):
    # Given every translated entry of a catalogue
    broken = []
    for entry in live_entries(code):
        expected = set(PLACEHOLDER.findall(entry.msgid + " " + entry.msgid_plural))
        for text in filter(None, translations_of(entry)):
            # Then it fills in exactly the values the code passes, no more and no fewer
            if set(PLACEHOLDER.findall(text)) != expected:
                broken.append((entry.msgid, text))
    assert broken == []


@pytest.mark.parametrize("code", list(LOCALES))
def test_plural_entries_have_every_form_the_language_needs(code):
    # Given the catalogue's declared number of plural forms (1 for Chinese)
    po = catalogue(code)
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    plurals = [e for e in po if e.msgid_plural and not e.obsolete]

    # Then each plural entry provides exactly those forms
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgid


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh-hans", "跳到正文"),
        ("zh-hant", "跳到主要內容"),
        ("fr", "Aller au contenu principal"),
        ("de", "Zum Hauptinhalt springen"),
    ],
)
def test_interface_strings_render_in_the_active_language(fresh_catalogues, code, expected):
    # Given the skip link of the site's base template
    template = Template('{% load i18n %}{% translate "Skip to main content" %}')

    # When it renders in a language
    with translation.override(code):
        text = template.render(Context())

    # Then the reader gets it in that language (Traditional characters in zh-hant)
    assert text == expected


def test_plural_messages_follow_the_number(fresh_catalogues):
    # Given the import command's plural-aware summary
    def skipped(n):
        return translation.ngettext(
            "%(count)s invalid item was skipped (listed above with its line).",
            "%(count)s invalid items were skipped (listed above with their lines).",
            n,
        ) % {"count": n}

    # When it is rendered in French, where 0 and 1 are singular, and German
    with translation.override("fr"):
        french = [skipped(1), skipped(2)]
    with translation.override("de"):
        german = skipped(1)

    # Then the form follows the count
    assert french[0].startswith("1 élément invalide a été ignoré")
    assert french[1].startswith("2 éléments invalides ont été ignorés")
    assert german.startswith("1 ungültiger Eintrag")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edition", "skip_link", "no_reads_yet"),
    [
        ("/fr/", "Aller au contenu principal", "Aucune lecture comptée cette semaine"),
        ("/zh-hant/", "跳到主要內容", "本週尚無閱讀統計"),
        ("/zh-hans/", "跳到正文", "本周尚无阅读统计"),
    ],
)
def test_each_edition_of_the_site_shows_its_own_interface_language(
    client, newsroom, fresh_catalogues, edition, skip_link, no_reads_yet
):
    # Given the newsroom's home pages
    # When a reader opens an edition's home page
    response = client.get(edition)

    # Then its interface strings are in that edition's language
    html = response.content.decode()
    assert response.status_code == 200
    assert skip_link in html
    assert no_reads_yet in html
    assert "Skip to main content" not in html


@pytest.mark.django_db
def test_page_not_found_speaks_the_readers_language(client, newsroom, fresh_catalogues):
    # When a reader of the Traditional Chinese edition follows a dead link
    response = client.get("/zh-hant/no-such-page/")

    # Then the 404 page explains it in Traditional Chinese
    assert response.status_code == 404
    assert "找不到頁面" in response.content.decode()
