"""How other systems name our things: BCP 47 language tags and urn:qiaoyin: URIs."""

URN_SCHEME = "urn:qiaoyin"


def bcp47(language_code: str) -> str:
    """Django's language code ("zh-hans", "pt-br") as a BCP 47 tag ("zh-Hans", "pt-BR").

    The case conventions of RFC 5646 §2.1.1: a four-letter script in title case, a
    two-letter region in upper case, everything else (language, extlang, variants, and all
    that follows a singleton such as "x-") in lower case.
    """
    language, *subtags = language_code.split("-")
    tagged = [language.lower()]
    extension = False
    for subtag in subtags:
        extension = extension or len(subtag) == 1
        if not extension and len(subtag) == 4 and subtag.isalpha():
            tagged.append(subtag.title())
        elif not extension and len(subtag) == 2 and subtag.isalpha():
            tagged.append(subtag.upper())
        else:
            tagged.append(subtag.lower())
    return "-".join(tagged)


def urn_prefix(kind: str) -> str:
    """The start of every URN of that kind: "urn:qiaoyin:<kind>:"."""
    return f"{URN_SCHEME}:{kind}:"


def urn(kind: str, *parts: object) -> str:
    """The stable name of one of our things: urn("article", key, "en") →
    urn:qiaoyin:article:<key>:en. Kinds: article, channel, topic, image, media."""
    return urn_prefix(kind) + ":".join(str(part) for part in parts)
