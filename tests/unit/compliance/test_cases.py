"""Labelled cases, span invariants, fixes and input validation of handlers.compliance."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.compliance import LANGS, RULES, InvalidInput, check
from handlers.compliance.fixes import TEMPLATES
from handlers.compliance.i18n import SEP, advice, phrase

CASES = [
    json.loads(line) for line in (Path(__file__).parent / "cases.jsonl").read_text("utf-8").splitlines() if line.strip()
]
# instructions (not rewrites) start with a rule's advice or the cancel phrase, in any of the 13 languages
ADVICE = {advice(r, lang).split(SEP)[0] for r in RULES for lang in LANGS} | {
    phrase("cancel_then", lang) for lang in LANGS
}


def test_recall_and_precision() -> None:
    results = [(c, check(c["text"], c["lang"])) for c in CASES]
    viol = [r for c, r in results if c["expected"] == "violation"]
    # violations recall: of messages labelled violation, the share the checker calls violation
    recall = sum(r.verdict == "violation" for r in viol) / len(viol)
    # compliant precision: of messages the checker calls ok/warning, the share labelled ok/warning
    passed = [c for c, r in results if r.verdict != "violation"]
    precision = sum(c["expected"] != "violation" for c in passed) / len(passed)
    # specificity: of messages labelled ok, the share the checker calls ok/warning
    ok = [r for c, r in results if c["expected"] == "ok"]
    specificity = sum(r.verdict != "violation" for r in ok) / len(ok)
    assert recall >= 0.95 and precision >= 0.95 and specificity >= 0.95


def test_recall_and_precision_with_detected_language() -> None:
    results = [(c, check(c["text"])) for c in CASES]
    viol = [r for c, r in results if c["expected"] == "violation"]
    passed = [c for c, r in results if r.verdict != "violation"]
    assert sum(r.verdict == "violation" for r in viol) / len(viol) >= 0.95
    assert sum(c["expected"] != "violation" for c in passed) / len(passed) >= 0.95


def test_verdicts_match_labels() -> None:
    agree = sum(check(c["text"], c["lang"]).verdict == c["expected"] for c in CASES)
    assert agree / len(CASES) >= 0.95


def test_language_detection() -> None:
    agree = sum(check(c["text"]).lang == c["lang"] for c in CASES)
    assert agree / len(CASES) >= 0.95


def test_cases_cover_every_rule_and_language_about_half_compliant() -> None:
    assert len(CASES) >= 180
    assert {r.id for r in RULES} <= {rule for c in CASES for rule in c["rules"]}
    # the project's cases cover the first 7 languages; pt nl pl sv tr ar are in tests/compliance/corpus (real texts)
    assert set(LANGS) >= {c["lang"] for c in CASES} >= {"en", "zh", "de", "fr", "es", "it", "ja"}
    for lang in {c["lang"] for c in CASES}:  # compliant customer-service text and violations in every language
        assert {c["expected"] for c in CASES if c["lang"] == lang} >= {"ok", "violation", "warning"}
    compliant = sum(c["expected"] == "ok" for c in CASES) / len(CASES)
    assert 0.4 <= compliant <= 0.6


@pytest.mark.parametrize("case", [c for c in CASES if c["rules"]], ids=lambda c: c["text"][:30])
def test_expected_rules_found(case: dict) -> None:
    assert set(case["rules"]) <= {f.rule for f in check(case["text"], case["lang"]).findings}


@pytest.mark.parametrize("case", [c for c in CASES if c["expected"] != "ok"], ids=lambda c: c["text"][:30])
def test_findings_are_explained_and_fixes_compliant(case: dict) -> None:
    result = check(case["text"], case["lang"])
    for f in result.findings:
        assert case["text"][f.start : f.end] == f.excerpt and (f.excerpt.strip() or f.rule == "STYLE-09")
        assert f.message and f.fix
        if not any(f.fix.startswith(a) for a in ADVICE):
            assert check(f.fix).verdict != "violation", f.fix  # a rewrite never reintroduces a violation


def test_rules_catalogue_shape() -> None:
    for r in RULES:
        assert r.id.split("-")[0] in {"TYPE", "CONT", "REV", "FB", "STYLE"} and r.severity in ("violation", "warning")
        assert r.title and r.source and r.message and r.advice and (r.detectors or r.scan)
    reference = Path("/work/shared/reference/amazon-rules-and-peers.md")
    if reference.exists():  # every rule id is one of the catalogue's
        text = reference.read_text("utf-8")
        assert all(f"**{r.id}**" in text for r in RULES)


def test_span_traditional_and_fullwidth() -> None:
    text = "謝謝！如果您滿意，請給五星"
    f = next(f for f in check(text).findings if f.rule == "REV-03")
    assert text[f.start : f.end] == "如果您滿意" == f.excerpt
    text = "Hi, ＶＩＳＩＴ ＯＵＲ ＷＥＢＳＩＴＥ now"
    f = check(text).findings[0]
    assert f.rule == "CONT-13" and text[f.start : f.end] == "ＶＩＳＩＴ ＯＵＲ ＷＥＢＳＩＴＥ"


def test_span_map_survives_expanding_normalisation() -> None:
    # "ﬁ" (one character) becomes "fi" under NFKC; "㎏" becomes "kg": offsets still index the original
    text = "㎏ ﬁne. Contact ﬁnn@greenhome.de or +49 30 1234567"
    result = check(text)
    got = {f.rule: f.excerpt for f in result.findings}
    assert got["CONT-08"] == "ﬁnn@greenhome.de" and got["CONT-09"] == "+49 30 1234567"
    for f in result.findings:
        assert text[f.start : f.end] == f.excerpt


def test_order_id_is_not_phone_and_amazon_link_ok() -> None:
    assert check("Order 113-1234567-1234567, see https://www.amazon.de/gp/your-orders").verdict == "ok"


@pytest.mark.parametrize(
    "text",
    [
        "Please leave an honest review.",
        "Thank you for your review, we have fixed the label.",
        "Your feedback helps us improve the packaging.",
        "We reviewed your photos and approved the return.",
        "The review page is https://www.amazon.com/review/create-review?asin=B0C1234567 if you want to share your experience.",
        "Bitte hinterlassen Sie eine ehrliche Bewertung.",
        "N'hésitez pas à laisser un avis honnête.",
        "Nos encantaría conocer su opinión sincera.",
        "Ci farebbe piacere una sua recensione sincera.",
        "欢迎留下真实的评价。",
        "率直なレビューをお寄せください。",
    ],
)
def test_neutral_review_language_is_ok(text: str) -> None:
    assert check(text).verdict == "ok"


def test_lang_override_and_aliases() -> None:
    assert check("Hello there", "de").lang == "de"
    assert check("謝謝", "zh-TW").lang == "zh"
    with pytest.raises(InvalidInput, match="unsupported language"):
        check("Hello", "xx")


def test_fix_is_localised_rewrite() -> None:
    f = check("Wenn Sie zufrieden sind, geben Sie uns bitte 5 Sterne.").findings[0]
    assert f.fix == TEMPLATES["review"]["de"]
    f = next(
        f
        for f in check("Thanks for your order, you can find the manual at greenhome.com/manual.").findings
        if f.rule == "CONT-01"
    )
    assert f.fix == "Thanks for your order, you can find the manual."


def test_invalid_input() -> None:
    for bad in ("", "   ", "\n\t", "x" * 20_001):
        with pytest.raises(InvalidInput):
            check(bad)
    with pytest.raises(InvalidInput):
        check(None)  # type: ignore[arg-type]
    assert check("x" * 20_000).verdict == "ok"


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_property_spans_in_bounds(text: str) -> None:
    if not text.strip():
        return
    for f in check(text).findings:
        assert 0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.excerpt


_PIECES = st.sampled_from(
    [
        "5 stars",
        "review",
        "www.",
        ".com",
        " dot ",
        "@",
        "+49 ",
        "030 123",
        "如果您滿意",
        "好評",
        "ご満足いただけましたら",
        "ＶＩＳＩＴ",
        "ﬁ",
        "İ",
        "\u0301",
        "😀",
        "<b>",
        "\n\n\n",
        "。",
        "!",
        " ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30), st.sampled_from([None, *LANGS]))
def test_property_adversarial_text_only_invalid_input(parts: list[str], lang: str | None) -> None:
    text = "".join(parts)
    try:
        result = check(text, lang)
    except InvalidInput:
        assert not text.strip()
        return
    for f in result.findings:
        assert text[f.start : f.end] == f.excerpt


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.binary(max_size=20),
        st.text(max_size=5),
        st.just(" " * 50),
        st.text(min_size=1, max_size=20).map(lambda t: t * (20_001 // len(t) + 1)),
    ),
    st.one_of(st.none(), st.text(max_size=6)),
)
def test_property_bad_input_raises_only_invalid_input(value: object, lang: str | None) -> None:
    try:
        check(value, lang)  # type: ignore[arg-type]
    except InvalidInput:
        pass


def test_bilingual_message_every_lexicon_runs() -> None:
    text = (
        "Dear customer, your order 113-1234567-1234567 is on its way and we apologise for the delay. "
        "Please reply here if anything is missing; we are happy to help with the assembly. "
        * 3
        + "\n\nDeutsch: Wenn Sie zufrieden sind, geben Sie uns bitte 5 Sterne.\n中文：好评返现5元。"
    )
    for lang in (None, "en"):
        result = check(text, lang)
        assert result.lang == "en" and {"REV-02", "REV-03", "REV-06"} <= {f.rule for f in result.findings}
