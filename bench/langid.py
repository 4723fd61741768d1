"""Language identification on short messages (1-3 sentences) in the checker's 13 languages (issue 15, item 2).

Measures py3langid and lingua-language-detector, each restricted to the 13 languages, the numpy-free scorer of
py3langid's model (handlers.compliance.langid_model) and the checker's own `handlers.compliance.lang.detect`
(script rules for CJK, then that scorer): accuracy per language and overall,
import (+ model build) time in a fresh interpreter, and the mean time per call.

Texts, all short:
- tests/unit/compliance/langid_samples.jsonl: sentences from public pages, each with its source address
  (Seller Central help pages in pt_BR / it_IT, bol.com partner pages, consumentenbond.nl, wanapix.nl,
  archiwumalle.pl, anielnia.pl, caphunters.se, support.lilysilk.com, startaegetinfo.se, edu3dmodel.com,
  ecatalog.gitbook.io, koctas.com.tr, riyadh-store.com, ar.wukihow.com, folderat.com, edesk.com/it);
- tests/compliance/corpus/*.jsonl (real sellers' texts) when present, cut to their first three sentences;
- tests/unit/compliance/cases.jsonl (the project's cases; en de fr es it zh ja).

    .venv/bin/python bench/langid.py [--misses]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LANGS = ("en", "zh", "de", "fr", "es", "it", "ja", "pt", "nl", "pl", "sv", "tr", "ar")
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")


def short(text: str, n: int = 3) -> str:
    return " ".join(m.group().strip() for m in list(_SENTENCE.finditer(text))[:n]).strip()


def samples() -> list[tuple[str, str, str]]:
    """(lang, text, origin) for every short text."""
    out: list[tuple[str, str, str]] = []
    for line in (ROOT / "tests/unit/compliance/langid_samples.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append((d["lang"], d["text"], "samples"))
    for path in sorted((ROOT / "tests/compliance/corpus").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                if d.get("lang") in LANGS and (text := short(d["text"])):
                    out.append((d["lang"], text, "corpus"))
    for line in (ROOT / "tests/unit/compliance/cases.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append((d["lang"], d["text"], "cases"))
    return out


IMPORTS = {
    "py3langid": (
        "from py3langid.langid import LanguageIdentifier, MODEL_FILE\n"
        "i = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)\n"
        f"i.set_languages({list(LANGS)!r})\n"
        "i.classify('hello')"
    ),
    "lingua": (
        "from lingua import Language, LanguageDetectorBuilder\n"
        "L = [Language.ENGLISH, Language.CHINESE, Language.GERMAN, Language.FRENCH, Language.SPANISH,"
        " Language.ITALIAN, Language.JAPANESE, Language.PORTUGUESE, Language.DUTCH, Language.POLISH,"
        " Language.SWEDISH, Language.TURKISH, Language.ARABIC]\n"
        "d = LanguageDetectorBuilder.from_languages(*L).build()\n"
        "d.detect_language_of('hello')"
    ),
    "langid_model (no numpy)": (
        "from handlers.compliance.langid_model import LangIdModel\nLangIdModel.load().classify('hello')"
    ),
    "checker (lang.detect)": "from handlers.compliance.lang import detect\ndetect('hello there, thank you')",
}


def import_seconds(code: str, runs: int = 3) -> float:
    """Best of `runs` fresh interpreters: import + build + the first call (lazy models load there)."""
    best = float("inf")
    for _ in range(runs):
        prog = f"import time\nt=time.perf_counter()\n{code}\nprint(time.perf_counter()-t)"
        out = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, cwd=ROOT, check=True)
        best = min(best, float(out.stdout.strip().splitlines()[-1]))
    return best


def detectors() -> dict[str, Callable[[str], str]]:
    from lingua import Language, LanguageDetectorBuilder
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from handlers.compliance.lang import detect
    from handlers.compliance.langid_model import LangIdModel

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGS))
    iso = {
        Language.ENGLISH: "en",
        Language.CHINESE: "zh",
        Language.GERMAN: "de",
        Language.FRENCH: "fr",
        Language.SPANISH: "es",
        Language.ITALIAN: "it",
        Language.JAPANESE: "ja",
        Language.PORTUGUESE: "pt",
        Language.DUTCH: "nl",
        Language.POLISH: "pl",
        Language.SWEDISH: "sv",
        Language.TURKISH: "tr",
        Language.ARABIC: "ar",
    }
    lingua = LanguageDetectorBuilder.from_languages(*iso).build()
    ours = LangIdModel.load()

    def by_lingua(text: str) -> str:
        got = lingua.detect_language_of(text)
        return iso[got] if got is not None else "?"

    return {
        "py3langid": lambda text: str(ident.classify(text)[0]),
        "lingua": by_lingua,
        "langid_model (no numpy)": lambda text: ours.classify(text)[0],
        "checker (lang.detect)": detect,
    }


def main() -> None:
    misses = "--misses" in sys.argv
    data = samples()
    origins = defaultdict(int)
    for _, _, o in data:
        origins[o] += 1
    print(f"{len(data)} short texts ({', '.join(f'{n} {o}' for o, n in origins.items())})\n")
    results: dict[str, dict[str, list[bool]]] = {}
    timing: dict[str, float] = {}
    it_es: dict[str, int] = {}
    for name, fn in detectors().items():
        for _, text, _ in data:  # warm: lingua loads each language's models on first use
            fn(text)
        per: dict[str, list[bool]] = defaultdict(list)
        t = time.perf_counter()
        got = [fn(text) for _, text, _ in data]
        timing[name] = (time.perf_counter() - t) / len(data)
        for (lang, text, origin), g in zip(data, got, strict=True):
            per[lang].append(g == lang)
            if misses and g != lang:
                print(f"  {name}: {lang} -> {g} [{origin}] {text[:90]!r}")
        results[name] = per
        it_es[name] = sum(1 for (lang, _, _), g in zip(data, got, strict=True) if lang == "it" and g == "es")
    names = list(results)
    print(f"\n{'lang':6}{'n':>5}" + "".join(f"{n:>24}" for n in names))
    for lang in LANGS:
        n = len(results[names[0]].get(lang, []))
        cells = "".join(f"{sum(results[k][lang]) / n:>24.2f}" if n else f"{'-':>24}" for k in names)
        print(f"{lang:6}{n:>5}{cells}")
    total = len(data)
    print(f"{'all':6}{total:>5}" + "".join(f"{sum(sum(v) for v in results[k].values()) / total:>24.3f}" for k in names))
    print(f"{'it as es':11}" + "".join(f"{it_es[k]:>24}" for k in names))
    print(f"\n{'per call (µs)':11}" + "".join(f"{timing[k] * 1e6:>24.0f}" for k in names))
    print(f"{'import+build (ms)':11}" + "".join(f"{import_seconds(IMPORTS[k]) * 1e3:>24.0f}" for k in names))


if __name__ == "__main__":
    main()
