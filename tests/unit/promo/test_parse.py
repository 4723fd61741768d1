from __future__ import annotations

from handlers.promo.parse import USAGE, parse_inline
from handlers.promo.validation import validate
from tests.support.promo import NOW


def test_full_inline_command(account):
    p = parse_inline(
        "summersale 20% B0ABCDEFGH,B0ZZZZZZZ1 2026-12-01..2026-12-20 --share-influencers no "
        '--marketplace US --one-per-customer yes --note "for the Dec creators"'
    )
    assert p.ok, p.errors
    assert p.raw == {
        "code": "summersale",
        "percent_off": "20%",
        "asins": ["B0ABCDEFGH", "B0ZZZZZZZ1"],
        "start": "2026-12-01",
        "end": "2026-12-20",
        "share_with_influencers": "no",
        "marketplace": "US",
        "one_per_customer": "yes",
        "note": "for the Dec creators",
    }
    r = validate(p.raw, account=account, now=NOW)
    assert r.ok and r.draft.one_per_customer and not r.draft.share_with_influencers


def test_option_equals_form():
    assert parse_inline("ABCDEFGH 20 B0ABCDEFGH 2026-12-01..2026-12-20 --marketplace=CA").raw["marketplace"] == "CA"


def test_bad_syntax_is_field_specific():
    assert parse_inline("ABCDEFGH 20% B0ABCDEFGH 2026-12-01").errors[0].field == "start"
    missing = parse_inline("ABCDEFGH")
    assert {e.field for e in missing.errors} == {"percent_off", "asins", "start"}
    assert parse_inline('ABCDEFGH 20% B0ABCDEFGH 2026-12-01..2026-12-20 --note "open').errors[0].field == "command"
    assert parse_inline("ABCDEFGH 20% B0ABCDEFGH 2026-12-01..2026-12-20 --colour red").errors[0].field == "command"
    assert parse_inline("ABCDEFGH 20% B0ABCDEFGH 2026-12-01..2026-12-20 --marketplace").errors[0].field == "marketplace"
    assert parse_inline("ABCDEFGH 20% B0ABCDEFGH B0ZZZZZZZ1 2026-12-01..2026-12-20").errors[0].field == "command"


def test_relative_dates_inline(account):
    p = parse_inline("WINTERDEAL 20% B0ABCDEFGH tomorrow..+2w --marketplace US")
    assert p.ok and (p.raw["start"], p.raw["end"]) == ("tomorrow", "+2w")
    r = validate(p.raw, account=account, now=NOW)
    assert r.ok, r.errors
    assert "+1d..+15d" in USAGE and "2026-" not in USAGE


def test_syntax_errors_are_plain_sentences():
    for text in ("ABCDEFGH", "ABCDEFGH 20% B0ABCDEFGH 2026-12-01", 'ABCDEFGH 20% B0ABCDEFGH +1d..+15d --note "open'):
        for e in parse_inline(text).errors:
            assert "percent_off" not in e.message and "'" not in e.message and "No closing" not in e.message
