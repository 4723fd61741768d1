"""No module outside bot/ builds Slack text (issue 13).

handlers/ returns what happened (who, when, which state, which flag); infra/ talks to AWS, SP-API and
the store. Mentions, channel links, `<!here>`-style specials, emoji shortcodes, mrkdwn and Block Kit
action ids belong to bot/ (bot/views renders, bot/listeners registers action ids). infra/fakes is
left out: it fakes Slack itself.

Only the code's string literals (f-strings, docstrings included) and names are scanned, not comments,
so a regex like `(?<!\\w)` or a slice like `a[i:j:k]` is not mistaken for Slack markup.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("handlers", "infra")
EXCLUDED = (ROOT / "infra" / "fakes",)

IN_STRINGS = {
    "a user mention (<@…>)": re.compile(r"<@[A-Za-z0-9{]"),
    "a channel link (<#…>)": re.compile(r"<#[A-Za-z0-9{]"),
    "a special mention (<!here>, <!subteam^…>, <!channel>, …)": re.compile(r"(?<!\?)<![a-z{]"),
    "an emoji shortcode (:white_check_mark:)": re.compile(r"(?<![\w:/]):[a-z0-9][a-z0-9_+-]*:(?![\w/])"),
    "a Block Kit action id": re.compile(r"action_id"),
    "mrkdwn": re.compile(r"mrkdwn"),
}
IN_NAMES = {"a Block Kit action id": re.compile(r"action_id", re.IGNORECASE)}
# Strings that look like Slack markup and are not.
ALLOWED = {":memory:"}  # SQLite's in-memory database (infra/store)


def _python_files() -> list[Path]:
    files = [p for d in SCANNED for p in sorted((ROOT / d).rglob("*.py"))]
    return [p for p in files if not any(p.is_relative_to(x) for x in EXCLUDED)]


def slack_markup(source: str) -> list[tuple[int, str, str]]:
    """(line, what, the matched text) for every piece of Slack markup in the source's strings and names."""
    hits: list[tuple[int, str, str]] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        patterns = IN_STRINGS if tok.type == tokenize.STRING else IN_NAMES if tok.type == tokenize.NAME else {}
        for what, pattern in patterns.items():
            for m in pattern.finditer(tok.string):
                if m.group(0) in ALLOWED:
                    continue
                line = tok.start[0] + tok.string.count("\n", 0, m.start())
                hits.append((line, what, m.group(0)))
    return hits


def test_the_scan_finds_slack_markup():
    source = (
        'a = f"Acknowledged by <@{user}>."\n'
        'b = "<!subteam^S0OPS> :rotating_light: see <#C123>"\n'
        "confirm_action_id = 'promo_mark_created'\n"
        'c = {"type": "mrkdwn"}\n'
        'd = r"(?<![\\w@.-])x" + "sqlite://:memory:" + ":memory:"  # <@U1> in a comment\n'
        "e = xs[lo:hi:step]\n"
    )
    found = [(line, what) for line, what, _ in slack_markup(source)]
    assert found == [
        (1, "a user mention (<@…>)"),
        (2, "a channel link (<#…>)"),
        (2, "a special mention (<!here>, <!subteam^…>, <!channel>, …)"),
        (2, "an emoji shortcode (:white_check_mark:)"),
        (3, "a Block Kit action id"),
        (4, "mrkdwn"),
    ]


def test_no_module_outside_bot_builds_slack_text():
    files = _python_files()
    assert len(files) > 20, "handlers/ and infra/ not found: the scan would prove nothing"
    problems = []
    for path in files:
        for line, what, text in slack_markup(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {what}: {text!r}")
    assert not problems, (
        "Slack text is built in bot/ only (bot/views renders, bot/listeners registers action ids); "
        "return what happened instead and render it there:\n" + "\n".join(problems)
    )
