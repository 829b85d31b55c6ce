"""Machine translators for wagtail-localize.

wagtail-localize takes one translator (WAGTAILLOCALIZE_MACHINE_TRANSLATOR); the newsroom
needs two: OpenCC for Simplified ↔ Traditional Chinese (offline, phrase by phrase, with the
regional vocabulary of Taiwan or Hong Kong) and a commercial service for the other languages.
`NewsroomTranslator` routes each language pair to the right one.
"""

import hashlib
import logging
from functools import cache

from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.machine_translators.deepl import DeepLTranslator
from wagtail_localize.machine_translators.libretranslate import LibreTranslator
from wagtail_localize.strings import StringValue

import opencc
import requests

from .glossary import glossary_entries
from .models import DeepLGlossary

logger = logging.getLogger(__name__)

SIMPLIFIED = "zh-hans"
TRADITIONAL = "zh-hant"
# OpenCC configurations: Taiwan phrases (软件→軟體), Hong Kong, generic Traditional.
TRADITIONAL_VARIANTS = {"s2twp": "tw2sp", "s2tw": "tw2s", "s2hk": "hk2s", "s2t": "t2s"}
DEFAULT_TIMEOUT = 30


class MachineTranslationError(Exception):
    """The translation service refused or failed; the message says which and why."""


@cache
def opencc_converter(config):
    # Building a converter loads its dictionaries: one per process is enough.
    return opencc.OpenCC(config)


def _base_language(code):
    return code.split("-")[0].lower()


class OpenCCTranslator(BaseMachineTranslator):
    """Simplified ↔ Traditional Chinese by OpenCC. Strings are HTML; tags are ASCII and pass
    through the conversion untouched."""

    display_name = "OpenCC"

    def __init__(self, options):
        super().__init__(options)
        self.variant = options.get("TRADITIONAL_VARIANT", "s2twp")
        if self.variant not in TRADITIONAL_VARIANTS:
            raise ValueError(f"Unknown OpenCC variant {self.variant!r}")

    def _config_for(self, source_code, target_code):
        if (source_code, target_code) == (SIMPLIFIED, TRADITIONAL):
            return self.variant
        if (source_code, target_code) == (TRADITIONAL, SIMPLIFIED):
            return TRADITIONAL_VARIANTS[self.variant]
        return None

    def can_translate(self, source_locale, target_locale):
        return (
            self._config_for(source_locale.language_code, target_locale.language_code) is not None
        )

    def translate(self, source_locale, target_locale, strings):
        converter = opencc_converter(
            self._config_for(source_locale.language_code, target_locale.language_code)
        )
        return {string: StringValue(converter.convert(string.data)) for string in strings}


def _post(url, *, json, headers=None, params=None, timeout=DEFAULT_TIMEOUT, service):
    try:
        response = requests.post(url, json=json, headers=headers, params=params, timeout=timeout)
    except requests.RequestException as error:
        raise MachineTranslationError(f"{service} could not be reached: {error}") from error
    if response.status_code >= 400:
        raise MachineTranslationError(
            f"{service} refused the request ({response.status_code}): {response.text[:300]}"
        )
    return response.json()


class NewsroomDeepLTranslator(DeepLTranslator):
    """DeepL with the right Chinese codes and the newsroom glossary.

    wagtail-localize's own DeepL translator sends both Chinese editions as "ZH"; DeepL takes
    ZH-HANS and ZH-HANT as targets (sources have no variant). English and Portuguese targets
    must name a variant too.
    """

    display_name = "DeepL"
    TARGET_CODES = {"zh-hans": "ZH-HANS", "zh-hant": "ZH-HANT", "en": "EN-GB", "pt": "PT-PT"}

    def base_url(self):
        if url := self.options.get("API_URL"):
            return url.rstrip("/")
        free = self.options.get("AUTH_KEY", "").endswith(":fx")
        return "https://api-free.deepl.com" if free else "https://api.deepl.com"

    def get_api_endpoint(self):
        return f"{self.base_url()}/v2/translate"

    def source_code(self, code):
        return _base_language(code).upper()

    def target_code(self, code):
        codes = {**self.TARGET_CODES, **self.options.get("TARGET_CODES", {})}
        return codes.get(code.lower(), _base_language(code).upper())

    def can_translate(self, source_locale, target_locale):
        return source_locale.language_code != target_locale.language_code

    def get_parameters(self, source_locale, target_locale, strings):
        parameters = {
            "text": [string.data for string in strings],
            "tag_handling": "xml",
            "source_lang": self.source_code(source_locale.language_code),
            "target_lang": self.target_code(target_locale.language_code),
        }
        if formality := self.options.get("FORMALITY"):
            parameters["formality"] = formality
        if glossary_id := self.glossary_id(source_locale, target_locale):
            parameters["glossary_id"] = glossary_id
        return parameters

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        data = _post(
            self.get_api_endpoint(),
            json=self.get_parameters(source_locale, target_locale, strings),
            headers=self.get_headers(),
            timeout=int(self.options.get("TIMEOUT", DEFAULT_TIMEOUT)),
            service="DeepL",
        )
        return {
            string: StringValue(item["text"])
            for string, item in zip(strings, data["translations"], strict=True)
        }

    # --- glossary ---------------------------------------------------------------------------
    def glossary_id(self, source_locale, target_locale):
        """DeepL's id for the newsroom glossary of this pair, uploading it when it changed."""
        entries = glossary_entries(source_locale, target_locale)
        if not entries:
            return None
        source_lang = _base_language(source_locale.language_code)
        target_lang = _base_language(target_locale.language_code)
        tsv = "\n".join(f"{term}\t{text}" for term, text in sorted(entries.items()))
        entries_hash = hashlib.sha256(tsv.encode()).hexdigest()
        stored = DeepLGlossary.objects.filter(
            source_lang=source_lang, target_lang=target_lang
        ).first()
        if stored and stored.entries_hash == entries_hash:
            return stored.glossary_id
        created = _post(
            f"{self.base_url()}/v2/glossaries",
            json={
                "name": f"qiaoyin {source_lang}-{target_lang}",
                "source_lang": source_lang,
                "target_lang": target_lang,
                "entries": tsv,
                "entries_format": "tsv",
            },
            headers=self.get_headers(),
            service="DeepL",
        )
        if stored:
            self._delete_glossary(stored.glossary_id)
        DeepLGlossary.objects.update_or_create(
            source_lang=source_lang,
            target_lang=target_lang,
            defaults={"glossary_id": created["glossary_id"], "entries_hash": entries_hash},
        )
        return created["glossary_id"]

    def _delete_glossary(self, glossary_id):
        # An old glossary left behind only uses DeepL quota; never fail a translation on it.
        try:
            requests.delete(
                f"{self.base_url()}/v2/glossaries/{glossary_id}",
                headers=self.get_headers(),
                timeout=DEFAULT_TIMEOUT,
            )
        except requests.RequestException:
            logger.warning("Could not delete the replaced DeepL glossary %s", glossary_id)


class GoogleTranslator(BaseMachineTranslator):
    """Google Cloud Translation (Basic, v2 REST with an API key).

    wagtail-localize's Google translator needs the google-cloud-translate SDK and service
    account credentials over gRPC; the REST API takes the API key from the environment like
    the other services and is a plain HTTPS call.
    """

    display_name = "Google Translate"
    LANGUAGE_CODES = {"zh-hans": "zh-CN", "zh-hant": "zh-TW"}

    def language_code(self, code):
        return self.LANGUAGE_CODES.get(code.lower(), _base_language(code))

    def can_translate(self, source_locale, target_locale):
        return source_locale.language_code != target_locale.language_code

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        base_url = self.options.get("API_URL") or "https://translation.googleapis.com"
        data = _post(
            f"{base_url.rstrip('/')}/language/translate/v2",
            params={"key": self.options["API_KEY"]},
            json={
                "q": [string.data for string in strings],
                "source": self.language_code(source_locale.language_code),
                "target": self.language_code(target_locale.language_code),
                "format": "html",
            },
            service="Google Cloud Translation",
        )
        return {
            string: StringValue(item["translatedText"])
            for string, item in zip(strings, data["data"]["translations"], strict=True)
        }


class NewsroomLibreTranslator(LibreTranslator):
    """LibreTranslate, telling the two Chinese editions apart ("zh" and "zt")."""

    LANGUAGE_CODES = {"zh-hans": "zh", "zh-hant": "zt"}

    def language_code(self, code):
        codes = {**self.LANGUAGE_CODES, **self.options.get("LANGUAGE_CODES", {})}
        return codes.get(code.lower(), _base_language(code))

    def can_translate(self, source_locale, target_locale):
        return source_locale.language_code != target_locale.language_code

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        data = _post(
            f"{self.get_api_endpoint().rstrip('/')}/translate",
            json={
                "q": [string.data for string in strings],
                "source": self.language_code(source_locale.language_code),
                "target": self.language_code(target_locale.language_code),
                "api_key": self.options.get("API_KEY", ""),
                "format": "html",
            },
            timeout=self.get_timeout(),
            service="LibreTranslate",
        )
        return {
            string: StringValue(text)
            for string, text in zip(strings, data["translatedText"], strict=True)
        }


SERVICES = {
    "deepl": (NewsroomDeepLTranslator, "DEEPL"),
    "google": (GoogleTranslator, "GOOGLE"),
    "libretranslate": (NewsroomLibreTranslator, "LIBRETRANSLATE"),
}


class NewsroomTranslator(BaseMachineTranslator):
    """OpenCC between the Chinese editions, the configured service for everything else."""

    def __init__(self, options):
        super().__init__(options)
        self.opencc = OpenCCTranslator(options)
        self.service = None
        name = (options.get("SERVICE") or "").lower()
        if name:
            if name not in SERVICES:
                raise ValueError(
                    f"MACHINE_TRANSLATOR must be one of {', '.join(SERVICES)}, not {name!r}"
                )
            service_class, options_key = SERVICES[name]
            self.service = service_class(options.get(options_key, {}))
        names = [self.opencc.display_name] + ([self.service.display_name] if self.service else [])
        self.display_name = " · ".join(names)

    def translator_for(self, source_locale, target_locale):
        if self.opencc.can_translate(source_locale, target_locale):
            return self.opencc
        if self.service and self.service.can_translate(source_locale, target_locale):
            return self.service
        return None

    def can_translate(self, source_locale, target_locale):
        return self.translator_for(source_locale, target_locale) is not None

    def translate(self, source_locale, target_locale, strings):
        translator = self.translator_for(source_locale, target_locale)
        if translator is None:
            raise MachineTranslationError(
                f"No machine translator for {source_locale.language_code} → "
                f"{target_locale.language_code}"
            )
        return translator.translate(source_locale, target_locale, strings)
