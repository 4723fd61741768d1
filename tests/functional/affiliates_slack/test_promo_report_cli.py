"""`sellerbot promo report --json` gains one key, "affiliates" (issue 22 item 4); every existing key is unchanged."""

from __future__ import annotations

import json

from handlers.promo.report import parse_report
from tests.functional.promo.test_cli import run
from tests.support.promo import PROMO_DATA

FILE = PROMO_DATA / "promo_report_us.csv"


def test_existing_keys_unchanged_and_affiliates_added(capsys):
    code, out, _ = run(["promo", "report", str(FILE), "--json", "--code", "SUMMERSALE"], capsys)
    body = json.loads(out)
    expected = json.loads(parse_report(FILE.read_bytes(), code="SUMMERSALE").model_dump_json())
    assert code == 0 and {k: v for k, v in body.items() if k != "affiliates"} == expected
    assert body["affiliates"]["available"] is False and body["affiliates"]["joined_to_promo_codes"] is False
    assert "--account" in body["affiliates"]["message"]


def test_a_marketplace_without_attribution_says_so(capsys):
    code, out, _ = run(
        ["promo", "report", str(FILE), "--json", "--code", "SUMMERSALE", "--marketplace", "JP", "--account", "acme"],
        capsys,
    )
    assert code == 0 and "does not exist for JP" in json.loads(out)["affiliates"]["message"]


def test_text_output_ends_with_the_separate_statistic(capsys):
    code, out, _ = run(["promo", "report", str(FILE), "--code", "SUMMERSALE"], capsys)
    assert code == 0 and out.splitlines()[-1].startswith("amazon attribution (separate statistic)")
