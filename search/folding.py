"""Text folding shared by the analysis and the dictionary models: one spelling per word.

Width and compatibility forms (NFKC), Traditional → Simplified (OpenCC t2s) and case, so
華文教育, 华文教育 and ＣＯＶＩＤ / covid meet.
"""

import unicodedata

import opencc

_converter = opencc.OpenCC("t2s")


def normalise(text):
    """Fold width/compatibility forms, Traditional → Simplified, and case."""
    text = unicodedata.normalize("NFKC", text or "")
    return _converter.convert(text).lower()
