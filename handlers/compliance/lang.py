"""Automatic language detection: script first (kana -> ja, Han -> zh, Arabic -> ar), then py3langid.

py3langid (restricted to the checker's 13 languages) replaced a hand-made stop-word profile that knew only
en de fr es it and read Portuguese as Spanish or French, Dutch as French, Turkish as German. bench/langid.py
measures it against lingua-language-detector on 740 short messages: py3langid 0.993 accurate, 40-100 µs a call,
0.5 s to load, 4.5 MB; lingua 0.988, 230-450 µs a call, 1.7 s to load, 96 MB of models (too big for the Lambda
artifact). Script rules stay in front: they are certain among these 13 languages and cost nothing.

py3langid's model is scored here without numpy (16 MB of the Lambda artifact): handlers.compliance.langid_model
reads the model tools/export_langid_model.py exports from py3langid's (data/langid13.bin, 2.6 MB) and picks
the same language as py3langid on every text of the corpus, the holdout and the langid samples
(tests/unit/compliance/test_langid_model.py). py3langid and numpy are dev-only now.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from handlers.compliance.langid_model import LangIdModel
from handlers.compliance.model import LANGS, InvalidInput

_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufeff]{2,}")
_WORD = re.compile(r"[^\W\d_]{2,}")  # a word of at least two letters, any script
# addresses say nothing about the language ("anna.meier@gmx.de" is not German); literal starts: no backtracking scan
_URLISH = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\S+\.(?:com|net|org|de|fr|it|es|nl|pl|se|co\.uk)\b\S*")

_PLACEHOLDER = re.compile(r"\{[^{}]{0,60}\}")

ALIASES = {
    **dict.fromkeys(("zh-cn", "zh-hans", "zh-tw", "zh-hant", "zh-hk", "zh-sg", "cn"), "zh"),
    **dict.fromkeys(("jp", "ja-jp"), "ja"),
    **dict.fromkeys(("en-us", "en-gb", "en-ca", "en-au", "en-in", "en-sg", "en-ae", "en-ie"), "en"),
    **dict.fromkeys(("de-de", "de-at", "de-ch"), "de"),
    **dict.fromkeys(("fr-fr", "fr-be", "fr-ca", "fr-ch"), "fr"),
    **dict.fromkeys(("es-es", "es-mx", "es-us"), "es"),
    **dict.fromkeys(("it-it", "it-ch"), "it"),
    **dict.fromkeys(("pt-br", "pt-pt", "br"), "pt"),
    **dict.fromkeys(("nl-nl", "nl-be"), "nl"),
    **dict.fromkeys(("pl-pl",), "pl"),
    **dict.fromkeys(("sv-se", "se"), "sv"),
    **dict.fromkeys(("tr-tr",), "tr"),
    **dict.fromkeys(("ar-sa", "ar-ae", "ar-eg", "sa", "ae", "eg"), "ar"),
}


def parse_lang(lang: str) -> str:
    """A language code, a language-region tag (pt-BR, nl_BE, ar-SA ...) -> one of LANGS; else InvalidInput."""
    key = lang.strip().lower().replace("_", "-")
    key = ALIASES.get(key, key)
    if key not in LANGS:
        raise InvalidInput(f"unsupported language {lang!r}; use one of: {', '.join(LANGS)}")
    return key


def has_kana(text: str) -> bool:
    return _KANA.search(text) is not None


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


SAMPLE = 300  # a message is written in one language; its first 300 characters tell which
MIN_LETTERS = 12  # fewer letters than this (after addresses are removed): too short to tell
CONFIDENT = 0.9  # the model's normalised probability above which a guess is confident


@functools.cache
def _identifier() -> LangIdModel:
    # loaded lazily: reading the model (2.6 MB, zlib) takes ~0.3 s, and only checks without --lang need it
    return LangIdModel.load()


def detect(text: str) -> str:
    """The dominant language of `text` (any case; full-width is fine)."""
    return detect_confident(text)[0]


def detect_confident(text: str) -> tuple[str, bool]:
    """(language, confident): not confident when a short or mixed text gives little evidence."""
    lang, prob, letters = _guess(text)
    return lang or "en", prob >= CONFIDENT and letters >= MIN_LETTERS


def detect_or(text: str, default: str) -> str:
    """detect(), but `default` when the text is too short to tell (fewer than MIN_LETTERS letters)."""
    lang, _, letters = _guess(text)
    if lang is None or letters < MIN_LETTERS:
        return default
    if lang == "zh" and default == "ja":
        return "ja"  # Han without kana in a Japanese message: Japanese kanji
    return lang


def prepare(text: str) -> str:
    """What the model reads of `text`: its first SAMPLE characters, NFKC, without addresses or placeholders."""
    sample = text[:SAMPLE]
    if not sample.isascii():
        sample = unicodedata.normalize("NFKC", sample)  # full-width Latin -> ASCII for the model
    if "http" in sample or "www" in sample or "@" in sample or "." in sample:
        sample = _URLISH.sub(" ", sample)
    if "{" in sample:  # template placeholders ({firstname}, {shop_name}) are English words in any language
        sample = _PLACEHOLDER.sub(" ", sample)
    return sample


def _guess(text: str) -> tuple[str | None, float, int]:
    """(language or None when there is no letter, probability, letters) of the first SAMPLE characters."""
    sample = prepare(text)
    words = _WORD.findall(sample)
    if not sample.isascii():
        cjk = sum(map(len, _CJK_RUN.findall(sample)))
        if cjk:
            latin = sum(1 for w in words if not _CJK.search(w))
            if cjk >= latin:  # one Han character is about one word
                return ("ja" if has_kana(sample) else "zh"), 1.0, MIN_LETTERS  # the script is certain
        if _ARABIC.search(sample):
            arabic = _ARABIC_WORD.findall(sample)
            if arabic and len(arabic) >= len(words) - len(arabic):
                return "ar", 1.0, MIN_LETTERS
    letters = sum(map(len, words))
    if not letters:
        return None, 0.0, 0
    lang, prob = _identifier().classify(sample)
    return lang, prob, letters
