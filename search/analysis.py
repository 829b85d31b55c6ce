"""Chinese-aware text analysis shared by every engine, at index and at query time.

Chinese has no spaces, so text is segmented with jieba (plus the newsroom's user dictionary)
and Traditional characters are folded to Simplified with OpenCC, so 華文教育 and 华文教育 meet.
Engines receive space-separated terms and never need a Chinese plugin.
"""

import re
import threading
import time
from functools import lru_cache

from django.core.cache import cache

import jieba

from .folding import normalise
from .models import DictionaryWord, StopWord, Synonym

DICTIONARY_VERSION_KEY = "search:dictionary-version"
# How often a process looks for dictionary or synonym edits made in another process.
DICTIONARY_CHECK_SECONDS = 30
MAX_QUERY_TERMS = 32

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
HAS_CJK = re.compile(f"[{_CJK}]")
# A term is a run of letters or digits; punctuation and symbols are never terms.
WORD_CHARS = re.compile(r"\w", re.UNICODE)

_lock = threading.Lock()
_state = {
    "tokenizer": None,
    "version": None,
    "checked": 0.0,
    "synonyms": {},
    "stop_words": frozenset(),
}


def _dictionary_version():
    return cache.get_or_set(DICTIONARY_VERSION_KEY, 0)


def dictionary_changed():
    """Tell every process to reload the user dictionary and synonyms."""
    try:
        cache.incr(DICTIONARY_VERSION_KEY)
    except ValueError:
        cache.set(DICTIONARY_VERSION_KEY, 1)
    with _lock:
        _state["checked"] = 0.0


def _load():
    """A fresh jieba tokenizer with the user dictionary, the synonym table, the stop words."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in DictionaryWord.objects.all():
        tokenizer.add_word(normalise(word.word), freq=word.frequency or None)
    synonyms = {}
    for group in Synonym.objects.all():
        terms = group.normalised_terms()
        for term in terms:
            if " " not in term:
                tokenizer.add_word(term)  # a synonym is a word: keep it whole
            synonyms.setdefault(term, set()).update(t for t in terms if t != term)
    stop_words = frozenset(
        normalise(word) for word in StopWord.objects.values_list("word", flat=True)
    )
    return tokenizer, synonyms, stop_words


def _current():
    now = time.monotonic()
    if _state["tokenizer"] is not None and now - _state["checked"] < DICTIONARY_CHECK_SECONDS:
        return _state["tokenizer"], _state["synonyms"]
    with _lock:
        version = _dictionary_version()
        if _state["tokenizer"] is None or version != _state["version"]:
            _state["tokenizer"], _state["synonyms"], _state["stop_words"] = _load()
            _state["version"] = version
            _segment_cached.cache_clear()
        _state["checked"] = now
    return _state["tokenizer"], _state["synonyms"]


def _is_term(token):
    return bool(token.strip()) and bool(WORD_CHARS.search(token))


def index_terms(text):
    """Terms stored for a document: jieba's search mode also emits the words inside long words."""
    tokenizer, _ = _current()
    normalised = normalise(text)
    return [t.strip() for t in tokenizer.cut_for_search(normalised) if _is_term(t)]


@lru_cache(maxsize=4096)
def _segment_cached(normalised):
    tokenizer, _ = _current()
    return tuple(t.strip() for t in tokenizer.cut(normalised) if _is_term(t))


def query_terms(text):
    """Terms of a reader's query, in order, without duplicates."""
    _current()
    terms = []
    for term in _segment_cached(normalise(text)[:1000]):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_QUERY_TERMS]


def is_stop_word(term):
    _current()
    return term in _state["stop_words"]


def meaningful_terms(text):
    """The query's terms without its stop words (question words, particles, "the"); a query
    made only of stop words keeps them all, so 怎么 alone still finds articles about 怎么."""
    terms = query_terms(text)
    meaningful = [term for term in terms if not is_stop_word(term)]
    return meaningful or terms


def meaningful_runs(text):
    """The Chinese runs of the query with the stop words cut out: 涉侨纠纷怎么调解 →
    涉侨纠纷, 调解. Each is matched as a phrase of character pairs (names jieba splits
    differently in the article) and earns the phrase bonus where a title holds it whole."""
    _current()
    runs = []
    for run in CJK_RUN.findall(normalise(text)[:1000]):
        current = ""
        for term in _segment_cached(run):
            if is_stop_word(term):
                runs.append(current)
                current = ""
            else:
                current += term
        runs.append(current)
    return list(dict.fromkeys(run for run in runs if run))


def synonyms_of(term):
    _, synonyms = _current()
    return sorted(synonyms.get(term, ()))


def expanded_query(text):
    """Each meaningful query term with its synonyms: [[term, synonym, …], …].

    Synonyms are dictionary words too, so articles are segmented to contain them whole once
    the rebuild that follows a synonym edit has run (tasks.rebuild_index)."""
    return [[term, *synonyms_of(term)] for term in meaningful_terms(text)]


def cjk_bigrams(text):
    """Overlapping character pairs of the Chinese runs: finds names jieba splits differently."""
    grams = []
    for run in CJK_RUN.findall(normalise(text)):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def cjk_grams(text):
    """The character pairs, then each Chinese character once: q=侨 then finds 华侨 and 侨胞,
    which jieba keeps whole. The single characters come after the pairs so that the pairs
    of one run stay adjacent (they are matched as phrases)."""
    pairs = cjk_bigrams(text)
    characters = dict.fromkeys(ch for run in CJK_RUN.findall(normalise(text)) for ch in run)
    return [*pairs, *characters]


def as_terms_text(text):
    return " ".join(index_terms(text))
