"""The rule engine: normalise once, run each rule's detectors (gated by cheap substring triggers),
resolve overlaps, map spans back to the original text, attach explanations and fixes.

Public API (stable, used by handlers/reviews/messaging.py): check(text, lang=None) -> ComplianceResult.
"""
from __future__ import annotations

from handlers.compliance.context import Ctx
from handlers.compliance.fixes import build_fixes
from handlers.compliance.lang import detect, has_kana, parse_lang
from handlers.compliance.model import MAX_CHARS, ComplianceResult, Finding, InvalidInput, Rule
from handlers.compliance.normalize import normalize
from handlers.compliance.rules import RULES

# A finding of the key rule makes an overlapping finding of these rules redundant
# (the domain inside an email address, digits inside a URL).
_SUBSUMES = {"CONT-08": ("CONT-01", "CONT-09"), "CONT-01": ("CONT-09",), "CONT-02": ("CONT-09",),
             "REV-04": ("REV-03",)}


def validate(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidInput(f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InvalidInput("text is empty: pass the message to check")
    if len(text) > MAX_CHARS:
        raise InvalidInput(f"text has {len(text):,} characters; the maximum is {MAX_CHARS:,}")
    return text


def raw_spans(text: str, lang: str, rules: list[Rule] = RULES) -> list[tuple[Rule, int, int]]:
    """(rule, start, end) spans in the ORIGINAL text, overlaps resolved, sorted."""
    norm = normalize(text, chinese=lang == "zh" or (lang != "ja" and not has_kana(text)))
    ctx = Ctx(norm, lang)
    low = norm.low
    found: dict[str, list[list[int]]] = {}
    for rule in rules:
        spans: list[tuple[int, int]] = []
        for det in rule.detectors:
            if det.triggers and not any(t in low for t in det.triggers):
                continue
            for m in det.regex.finditer(low):
                if det.validate is None or det.validate(ctx, m):
                    s, e = m.span(det.group)
                    if e > s:
                        spans.append((s, e))
        if rule.scan is not None:
            spans.extend(sp for sp in rule.scan(ctx) if sp[1] > sp[0])
        if spans:
            spans.sort()
            merged: list[list[int]] = []
            for s, e in spans:
                if merged and s < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], e)
                else:
                    merged.append([s, e])
            found[rule.id] = merged
    for key, victims in _SUBSUMES.items():
        if key in found:
            for victim in victims:
                if victim in found:
                    found[victim] = [v for v in found[victim]
                                     if not any(v[0] < k[1] and k[0] < v[1] for k in found[key])]
    by_id = {r.id: r for r in rules}
    if "TYPE-04" in found and any(by_id[k].severity == "violation" for k in found):
        del found["TYPE-04"]  # a message with prohibited content is not "only a thank-you"
    out = []
    for rid, spans in found.items():
        for s, e in spans:
            os_, oe = norm.span(s, e)
            if oe > os_:
                out.append((by_id[rid], os_, oe))
    out.sort(key=lambda x: (x[1], x[2], x[0].id))
    return out


def _no_violation(text: str, lang: str) -> bool:
    return all(r.severity != "violation" for r, _, _ in raw_spans(text, lang))


def check(text: str, lang: str | None = None) -> ComplianceResult:
    """Check one buyer message. Raises InvalidInput (empty, > 20,000 characters, unknown language)."""
    text = validate(text)
    lang = parse_lang(lang) if lang else detect(text)
    spans = raw_spans(text, lang)
    fixes = build_fixes(text, spans, lang, _no_violation) if spans else []
    findings = [Finding(rule=r.id, severity=r.severity, start=s, end=e, excerpt=text[s:e], message=r.message, fix=fix)
                for (r, s, e), fix in zip(spans, fixes)]
    verdict = ("violation" if any(f.severity == "violation" for f in findings)
               else "warning" if findings else "ok")
    return ComplianceResult(verdict=verdict, lang=lang, findings=findings)
