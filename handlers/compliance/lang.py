"""Automatic language detection: script first (kana -> ja, Han -> zh), then stop words."""

from __future__ import annotations

import re

from handlers.compliance.model import LANGS, InvalidInput

_KANA = re.compile(r"[\u3040-\u30ff]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-zà-öø-ÿ]+")
_STOP = {
    "en": [
        "the",
        "and",
        "you",
        "your",
        "is",
        "are",
        "to",
        "we",
        "for",
        "of",
        "please",
        "thank",
        "thanks",
        "have",
        "with",
        "this",
        "it",
        "our",
        "us",
        "be",
        "will",
        "if",
        "can",
        "any",
        "was",
        "would",
        "could",
        "that",
        "on",
        "at",
        "from",
    ],
    "de": [
        "der",
        "die",
        "das",
        "und",
        "sie",
        "ihre",
        "ihr",
        "ihnen",
        "wir",
        "ist",
        "nicht",
        "mit",
        "für",
        "eine",
        "ein",
        "einen",
        "bitte",
        "vielen",
        "dank",
        "uns",
        "den",
        "dem",
        "zu",
        "auf",
        "ich",
        "hier",
        "sind",
        "wurde",
        "haben",
        "leider",
        "gerne",
        "über",
        "auch",
    ],
    "fr": [
        "le",
        "la",
        "les",
        "et",
        "vous",
        "votre",
        "nous",
        "est",
        "pour",
        "une",
        "des",
        "du",
        "merci",
        "avec",
        "pas",
        "dans",
        "sur",
        "ce",
        "je",
        "ne",
        "au",
        "vos",
        "été",
        "avez",
        "sont",
        "notre",
        "nos",
        "cette",
    ],
    "es": [
        "el",
        "los",
        "las",
        "y",
        "usted",
        "su",
        "para",
        "con",
        "una",
        "gracias",
        "por",
        "es",
        "nos",
        "del",
        "lo",
        "sus",
        "le",
        "muy",
        "está",
        "cualquier",
        "hemos",
        "tiene",
        "puede",
        "podría",
        "este",
        "esta",
        "más",
        "como",
        "pero",
        "al",
        "necesita",
    ],
    "it": [
        "il",
        "lo",
        "gli",
        "di",
        "per",
        "con",
        "una",
        "grazie",
        "che",
        "sono",
        "non",
        "ci",
        "suo",
        "sua",
        "è",
        "della",
        "del",
        "le",
        "saluti",
        "questo",
        "può",
        "ha",
        "trova",
        "nel",
        "alla",
        "dell",
        "lei",
        "questa",
        "sei",
        "anche",
        "molto",
        "abbiamo",
    ],
}
_CUES = {"es": "¿¡ñ", "de": "äöüß", "fr": "çêèàœ", "it": "ìò"}
_URLISH = re.compile(r"https?://\S+|www\.\S+|@\S+")  # literal starts: no backtracking scan
_STOPSETS = {lang: frozenset(words) for lang, words in _STOP.items()}

ALIASES = {
    "zh-cn": "zh",
    "zh-hans": "zh",
    "zh-tw": "zh",
    "zh-hant": "zh",
    "zh-hk": "zh",
    "cn": "zh",
    "jp": "ja",
    "ja-jp": "ja",
    "en-us": "en",
    "en-gb": "en",
    "de-de": "de",
    "fr-fr": "fr",
    "es-es": "es",
    "it-it": "it",
}


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
    return detect_confident(text)[0]


def detect_confident(text: str) -> tuple[str, bool]:
    """(language, confident): not confident when a short or mixed text gives little evidence."""
    low = text[:SAMPLE].lower()
    kana = has_kana(low)
    han = not low.isascii() and has_han(low)
    return profile(low, kana, han)


def detect_or(text: str, default: str) -> str:
    """detect(), but `default` when the text is too short to tell (no script, no stop word)."""
    if not text.isascii() and _CJK.search(text):
        return "ja" if has_kana(text) or default == "ja" else "zh"
    if "http" in text or "www" in text or "@" in text:
        text = _URLISH.sub(" ", text)
    best, score, _ = _latin(text, _WORD.findall(text.lower()))
    return best if score else default


def _latin(text: str, words: list[str]) -> tuple[str, int, int]:
    found = set(words)
    low = text.lower()
    scores = {lang: 2 * len(found & stops) for lang, stops in _STOPSETS.items()}
    if not low.isascii():
        for lang, cues in _CUES.items():
            scores[lang] += sum(1 for c in cues if c in low)
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=scores.__getitem__)
    return best, ranked[0], ranked[1]


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")
_CUE_CHARS = re.compile("[" + "".join(sorted(set("".join(_CUES.values())))) + "]")
_CUE_LANG = {c: lang for lang, cues in _CUES.items() for c in cues}


def profile(low: str, kana: bool, han: bool) -> tuple[str, bool]:
    """(dominant language, confident) of lower-case text; `kana` / `han`: the text has kana / Han characters."""
    words = _WORD.findall(_URLISH.sub(" ", low) if ("http" in low or "www" in low or "@" in low) else low)
    cjk = sum(map(len, _CJK_RUN.findall(low))) if kana or han else 0
    if cjk and cjk >= len(words):
        return ("ja" if kana else "zh"), True
    found = set(words)
    scores = {lang: 2 * len(found & stops) for lang, stops in _STOPSETS.items()}
    if not low.isascii():
        for c in set(_CUE_CHARS.findall(low)):
            scores[_CUE_LANG[c]] += 1
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=scores.__getitem__)
    if ranked[0] == 0:
        return (("ja" if kana else "zh") if cjk else "en"), False
    return best, ranked[0] >= 6 and ranked[0] - ranked[1] >= 4
