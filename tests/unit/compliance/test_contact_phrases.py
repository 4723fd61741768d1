"""Contact and payment outside Buyer-Seller Messaging with no address written out (rules/contact_intl.py).

Positives are REAL corpus texts (tests/compliance/corpus/, by case id): "call us back", "I tried to call
you", "by e-mail", "via our phone numbers", "the contact page", the buyer's e-mail address, a bank
account to pay into, "the URL below" to rate the shop. Negatives: every compliant corpus text, none of
which may get a TYPE-16 or CONT-13 finding ("contact us", "reply to this e-mail", "we e-mail the
tracking number", refunds to the buyer's bank account).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handlers.compliance import check

_CORPUS = Path(__file__).parents[2] / "compliance" / "corpus"
_CASES = {
    d["id"]: d
    for f in sorted(_CORPUS.glob("*.jsonl"))
    for line in f.read_text(encoding="utf-8").splitlines()
    if line.strip()
    for d in [json.loads(line)]
}

# case id -> (rule, a phrase the finding's excerpt must contain, lower case)
POSITIVES = {
    "de-006": ("TYPE-16", "zurückrufen"),  # "Können Sie mich bitte ... zurückrufen"
    "de-009": ("TYPE-16", "per e-mail"),  # "mir per E-Mail mitteilen"
    "nl-006": ("TYPE-16", "per email"),  # "contact met ons opneemt per email"
    "nl-007": ("TYPE-16", "e-mailadres"),  # "geef je e-mailadres ... door"
    "ja-103": ("TYPE-16", "メールにて"),
    "ja-104": ("TYPE-16", "お電話にて"),  # "お電話にてお問い合せください"
    "ar-008": ("TYPE-16", "أرقامنا الهاتفية"),  # "عبر أرقامنا الهاتفية"
    "pl-002": ("TYPE-16", "telefonicznie"),
    "sv-101": ("TYPE-16", "ringa oss"),
    "pl-103": ("CONT-13", "numer konta"),  # bank transfer to the seller's account
    "ja-014": ("CONT-13", "urlより"),  # "以下に記載のURLより弊社店舗に対する意見・評価をご投稿"
}


@pytest.mark.parametrize("case_id", sorted(POSITIVES))
def test_real_text_is_a_violation_with_the_phrase_as_span(case_id: str) -> None:
    case = _CASES[case_id]
    rule, phrase = POSITIVES[case_id]
    result = check(case["text"], case["lang"])
    assert result.verdict == "violation", case_id
    excerpts = [f.excerpt.lower() for f in result.findings if f.rule == rule]
    assert any(phrase in e for e in excerpts), (case_id, excerpts)
    for f in result.findings:  # spans point into the original text
        assert case["text"][f.start : f.end] == f.excerpt


def test_the_second_phrase_of_a_text_is_found_too() -> None:
    excerpts = {f.excerpt for f in check(_CASES["de-009"]["text"], "de").findings if f.rule == "TYPE-16"}
    assert {"telefonisch zu erreichen", "zurückrufen", "mir per E-Mail"} <= excerpts
    excerpts = {f.excerpt for f in check(_CASES["ar-008"]["text"], "ar").findings if f.rule == "TYPE-16"}
    assert any("صفحة" in e for e in excerpts), excerpts  # "عبر صفحة إتصل بنا": the shop's contact page


_COMPLIANT = sorted(i for i, d in _CASES.items() if d["label"] == "compliant")


@pytest.mark.parametrize("case_id", _COMPLIANT)
def test_compliant_real_text_has_no_outside_contact_finding(case_id: str) -> None:
    case = _CASES[case_id]
    rules = {f.rule for f in check(case["text"], case["lang"]).findings}
    assert not rules & {"TYPE-16", "CONT-13"}, (case_id, rules)


@pytest.mark.parametrize(
    ("case_id", "words"),
    [
        ("nl-001", "neem dan zo snel mogelijk contact met ons op"),  # contact us, no channel
        ("sv-008", "kontakta oss"),
        ("ar-103", "يرجى التواصل معنا"),
        ("en-045", "reply to this email"),
        ("en-150", "reply to this email"),
        ("tr-006", "SMS ve e-posta yoluyla"),  # the seller's own notice of the tracking number
        ("fr-004", "compte bancaire"),  # the refund lands on the buyer's bank account
        ("tr-011", "müşteri hizmetleri ile iletişime geçebilirsiniz"),
    ],
)
def test_compliant_families_are_present_and_pass(case_id: str, words: str) -> None:
    """The negatives really hold the near-miss phrasing they stand for (so the test above means something)."""
    case = _CASES[case_id]
    assert words.lower() in case["text"].lower()
    assert check(case["text"], case["lang"]).verdict != "violation"
