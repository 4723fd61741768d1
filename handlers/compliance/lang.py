"""Automatic language detection: script first (kana -> ja, Han -> zh), then stop words."""
from __future__ import annotations

import re

from handlers.compliance.model import LANGS, InvalidInput

_KANA = re.compile(r"[\u3040-\u30ff]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-zà-öø-ÿ']+")
_STOP = {
    "en": "the and you your is are to we for of please thank thanks order have with this it our us be will if can any".split(),
    "de": "der die das und sie ihre ihr wir ist nicht mit für eine ein bitte vielen dank bestellung uns den dem zu auf ich".split(),
    "fr": "le la les et vous votre nous est pour une des du merci commande avec pas dans sur ce je ne au vos".split(),
    "es": "el los las y usted su para con una gracias pedido por es nos del lo sus le muy está cualquier".split(),
    "it": "il lo gli di per con una grazie ordine che sono non ci suo sua è della del le saluti questo".split(),
}
_SCORE: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOP.items():
    for _w in _words:
        _SCORE[_w] = _SCORE.get(_w, ()) + (_lang,)

_STOPSETS = {lang: frozenset(words) for lang, words in _STOP.items()}

ALIASES = {"zh-cn": "zh", "zh-hans": "zh", "zh-tw": "zh", "zh-hant": "zh", "zh-hk": "zh", "cn": "zh",
           "jp": "ja", "ja-jp": "ja", "en-us": "en", "en-gb": "en", "de-de": "de", "fr-fr": "fr", "es-es": "es",
           "it-it": "it"}


def parse_lang(lang: str) -> str:
    key = lang.strip().lower().replace("_", "-")
    key = ALIASES.get(key, key)
    if key not in LANGS:
        raise InvalidInput(f"unsupported language {lang!r}; use one of: {', '.join(LANGS)}")
    return key


def has_kana(text: str) -> bool:
    return _KANA.search(text) is not None


SAMPLE = 300  # a message is written in one language; its first 400 characters tell which


def detect(text: str) -> str:
    """The dominant language of `text` (any case; full-width is fine)."""
    text = text[:SAMPLE]
    cjk = len(_CJK.findall(text)) if not text.isascii() else 0
    words = _WORD.findall(text.lower())
    if cjk and cjk >= len(words):
        return "ja" if has_kana(text) else "zh"
    found = set(words)
    scores = {lang: len(found & stops) for lang, stops in _STOPSETS.items()}
    best = max(scores, key=scores.__getitem__)
    if scores[best] == 0:
        return ("ja" if has_kana(text) else "zh") if cjk else "en"
    return best


def detect_or(text: str, default: str) -> str:
    """detect(), but `default` when the text is too short to tell (no script, no stop word)."""
    if not text.isascii() and _CJK.search(text):
        return "ja" if has_kana(text) or default == "ja" else "zh"
    words = _WORD.findall(text.lower())
    scores = dict.fromkeys(_STOP, 0)
    for w in words:
        for lang in _SCORE.get(w, ()):
            scores[lang] += 1
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] else default


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None
