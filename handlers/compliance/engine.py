"""The rule engine: normalise once (NFKC, lower case, OpenCC t2s for Chinese), find every trigger in one
trie-regex pass, run each woken detector only in the sentences holding its triggers, resolve overlaps,
map spans back to the original text, attach explanations and sentence-level compliant rewrites.

Public API (stable, used by handlers/reviews/messaging.py): check(text, lang=None) -> ComplianceResult.
"""

from __future__ import annotations

import functools
import re

from handlers.compliance.context import Ctx
from handlers.compliance.fixes import build_fixes
from handlers.compliance.i18n import message
from handlers.compliance.lang import detect, has_han, has_kana, parse_lang
from handlers.compliance.model import LANGS, MAX_CHARS, ComplianceResult, Finding, InvalidInput, Rule
from handlers.compliance.normalize import Normalized, normalize
from handlers.compliance.rules import RULES

# A finding of the key rule makes an overlapping finding of these rules redundant
# (the domain inside an email address, digits inside a URL).
# The first this many findings of each rule are reported: past a few dozen, more of the same says nothing
# new, and each one costs a rewrite, an explanation and output (2,857 e-mails in 20,000 characters).
MAX_FINDINGS_PER_RULE = 100

_SUBSUMES = {"CONT-08": ("CONT-01", "CONT-09"), "CONT-01": ("CONT-09",), "CONT-02": ("CONT-09",), "REV-04": ("REV-03",)}


def validate(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidInput(f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InvalidInput("text is empty: pass the message to check")
    if len(text) > MAX_CHARS:
        raise InvalidInput(f"text has {len(text):,} characters; the maximum is {MAX_CHARS:,}")
    return text


_Trie = dict[str, "_Trie"]  # character -> subtree; the key "" marks the end of a word


def _trie(words: set[str]) -> str:
    """One regex for a set of literals, shaped as a trie so each position costs a few comparisons."""
    root: _Trie = {}
    for w in words:
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        alts = [re.escape(c) + build(sub) for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


class _Index:
    """The detectors active for a set of languages, and how to find all their triggers in one pass.

    Triggers are split three ways: Latin words (one trie regex anchored at word starts, so
    mid-word positions cost one boundary test), CJK literals (one trie regex, run only when the
    text has CJK characters) and symbols ("%", "@", "<"...: plain substring search).
    """

    def __init__(self, active: frozenset[str], rules: list[Rule]) -> None:
        self.detectors = [
            (rule, det) for rule in rules for det in rule.detectors if det.lang is None or det.lang in active
        ]
        canon = [tuple({t.strip() or t for t in det.triggers}) for _, det in self.detectors]
        literals = {t for ts in canon for t in ts}
        # a hit on literal L wakes every detector with a trigger inside L ("stars" wakes "star")
        self.wakes: dict[str, list[int]] = {
            lit: [i for i, ts in enumerate(canon) if any(t in lit for t in ts)] for lit in literals
        }
        cjk = {t for t in literals if _CJK_CHAR.search(t)}
        words = {t for t in literals - cjk if t[0].isalnum()}
        self.always = [i for i, (_, det) in enumerate(self.detectors) if not det.triggers]
        symbols = literals - cjk - words
        self.symbols = re.compile(_trie(symbols)) if symbols else None
        self.words = re.compile(r"\b" + _trie(words)) if words else None
        self.cjk = re.compile(_trie(cjk)) if cjk else None

    def hits(self, low: str, cjk: bool) -> dict[int, list[tuple[int, int]]]:
        out: dict[int, list[tuple[int, int]]] = {}
        wakes = self.wakes
        by_lit: dict[str, list[tuple[int, int]]] = {}
        for rx in (self.words, self.cjk if cjk else None, self.symbols):
            if rx is not None:
                for m in rx.finditer(low):
                    by_lit.setdefault(m.group(), []).append(m.span())
        for lit, spans in by_lit.items():
            for i in wakes[lit]:
                out.setdefault(i, []).extend(spans)
        return out


_INDEXES: dict[tuple[frozenset[str], int], _Index] = {}


def _index(active: frozenset[str], rules: list[Rule]) -> _Index:
    key = (active, id(rules))
    idx = _INDEXES.get(key)
    if idx is None:
        idx = _INDEXES[key] = _Index(active, rules)
    return idx


def raw_spans(
    text: str, lang: str, rules: list[Rule] = RULES, *, norm: Normalized | None = None
) -> list[tuple[Rule, int, int]]:
    """(rule, start, end) spans in the ORIGINAL text, overlaps resolved, sorted.

    Every lexicon runs, whatever the detected language (bilingual messages, quoted replies, a German
    line in an English mail): one trie-regex pass finds every trigger of every language, and a
    detector runs only inside the sentences that hold one of its own triggers (widened by its
    `reach`), or over the whole text when it has no triggers. A lexicon whose words do not occur
    costs nothing. `lang` only decides Chinese normalisation when the script is ambiguous.
    """
    kana = has_kana(text)
    han = not text.isascii() and has_han(text)
    if norm is None:
        norm = normalize(text, chinese=han and (lang == "zh" or (lang != "ja" and not kana)))
    ctx = Ctx(norm, lang)
    spans_by_rule = _detector_spans(ctx, _index(frozenset(LANGS), rules), cjk=kana or han)
    found: dict[str, list[list[int]]] = {}
    for rule in rules:
        spans = spans_by_rule.get(rule.id, [])
        if rule.scan is not None:
            spans.extend(sp for sp in rule.scan(ctx) if sp[1] > sp[0])
        if spans:
            found[rule.id] = _merged(spans)
    _drop_subsumed(found)
    by_id = {r.id: r for r in rules}
    if "TYPE-04" in found and any(by_id[k].severity == "violation" for k in found):
        del found["TYPE-04"]  # a message with prohibited content is not "only a thank-you"
    out: list[tuple[Rule, int, int]] = []
    for rid, merged in found.items():
        for s, e in merged[:MAX_FINDINGS_PER_RULE]:
            os_, oe = norm.span(s, e)
            if oe > os_:
                out.append((by_id[rid], os_, oe))
    out.sort(key=lambda x: (x[1], x[2], x[0].id))
    return out


def _detector_spans(ctx: Ctx, idx: _Index, *, cjk: bool) -> dict[str, list[tuple[int, int]]]:
    """Spans of the normalised text each rule's detectors match, run only where their triggers woke them."""
    low = ctx.low
    hits = idx.hits(low, cjk=cjk)
    spans_by_rule: dict[str, list[tuple[int, int]]] = {}
    for i in sorted([*hits, *idx.always]):
        rule, det = idx.detectors[i]
        windows = ctx.windows(hits[i], det.reach) if det.triggers else [(0, len(low))]
        for ws, we in windows:
            for m in det.regex.finditer(low, ws, we):
                if det.validate is None or det.validate(ctx, m):
                    s, e = m.span(det.group)
                    if e > s:
                        spans_by_rule.setdefault(rule.id, []).append((s, e))
    return spans_by_rule


def _merged(spans: list[tuple[int, int]]) -> list[list[int]]:
    """Overlapping spans of one rule joined into one."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged


def _drop_subsumed(found: dict[str, list[list[int]]]) -> None:
    """Remove the spans a subsuming rule's finding overlaps (see _SUBSUMES)."""
    for key, victims in _SUBSUMES.items():
        if key in found:
            for victim in victims:
                if victim in found:
                    found[victim] = _not_overlapping(found[victim], found[key])


def _not_overlapping(spans: list[list[int]], others: list[list[int]]) -> list[list[int]]:
    """The spans that overlap none of `others`. Both lists are sorted and disjoint (_merged), so one sweep
    does it: testing every span against every other is quadratic with thousands of e-mails and domains."""
    out = []
    k = 0
    for v in spans:
        while k < len(others) and others[k][1] <= v[0]:
            k += 1  # ends before this span, so before every later one too
        if k < len(others) and others[k][0] < v[1]:
            continue
        out.append(v)
    return out


@functools.lru_cache(maxsize=4096)  # rewrites repeat (templates), so re-checks are mostly cache hits
def _no_violation(text: str, lang: str) -> bool:
    return all(r.severity != "violation" for r, _, _ in raw_spans(text, lang))


def check(text: str, lang: str | None = None) -> ComplianceResult:
    """Check one buyer message. Raises InvalidInput (empty, > 20,000 characters, unknown language)."""
    text = validate(text)
    if lang is not None and not isinstance(lang, str):
        raise InvalidInput(f"lang must be a language code such as 'en', not {type(lang).__name__}")
    forced = parse_lang(lang) if lang else None
    kana = has_kana(text)
    han = not text.isascii() and has_han(text)
    norm = normalize(text, chinese=han and (forced == "zh" or (forced != "ja" and not kana)))
    lang = forced or detect(text)
    # --lang picks the reported language and the language of the fixes; every lexicon runs regardless
    spans = raw_spans(text, lang, norm=norm)
    fixes = build_fixes(text, spans, lang, _no_violation) if spans else []
    findings = [
        Finding(rule=r.id, severity=r.severity, start=s, end=e, excerpt=text[s:e], message=message(r, lang), fix=fix)
        for (r, s, e), fix in zip(spans, fixes, strict=False)
    ]
    verdict = "violation" if any(f.severity == "violation" for f in findings) else "warning" if findings else "ok"
    return ComplianceResult(verdict=verdict, lang=lang, findings=findings)
