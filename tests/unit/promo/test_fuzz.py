"""Bad input never raises: every problem becomes an Issue or a ReportRejected."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.promo.parse import parse_inline
from handlers.promo.report import ReportRejected, parse_report
from handlers.promo.validation import FIELDS, validate
from tests.support.promo import NOW

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.lists(st.text(max_size=12), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from((*FIELDS, "extra")), values, max_size=10))
def test_validate_never_raises(raw):
    r = validate(raw, account=None, now=NOW)
    assert r.ok == (not r.errors)
    assert all(e.field and e.message for e in r.errors)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_parse_inline_never_raises(text):
    parse_inline(text)


@settings(max_examples=150, deadline=None)
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: ("Order ID,Purchase Date,Quantity,Item Price\n" + t).encode())
)
def test_report_rejects_or_parses(data):
    try:
        r = parse_report(data)
    except ReportRejected as exc:
        assert exc.reason
    else:
        assert r.orders >= 1
