"""`sellerbot slash` / `click` against `sellerbot serve`'s server, over real HTTP."""

from __future__ import annotations

import json
import re
import threading

import pytest

from bot.cli import main
from bot.local.environment import LocalEnvironment
from bot.local.server import make_server
from bot.settings import DEMO_SIGNING_SECRET


@pytest.fixture
def server_url(store, monkeypatch):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", DEMO_SIGNING_SECRET)
    env = LocalEnvironment(env={"SLACK_SIGNING_SECRET": DEMO_SIGNING_SECRET}, with_spapi=False, store=store).start()
    server = make_server(env, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    server.shutdown()
    server.server_close()
    env.stop()


def test_slash_prints_the_ack_as_text(server_url, capsys):
    assert main(["slash", "/sellerbot help", "--url", server_url]) == 0
    out = capsys.readouterr().out
    assert "sellerbot commands" in out
    assert "/sellerbot help" in out


def test_click_prints_response_url_replies(server_url, capsys):
    assert main(["click", "no_such_action", "42", "--url", server_url]) == 0
    assert "not known to sellerbot" in capsys.readouterr().out


def test_json_output_has_the_whole_exchange(server_url, capsys):
    assert main(["slash", "/nope", "--url", server_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == 200 and data["finished"] is True
    assert "Unknown command" in data["ack"]["text"]


def test_wrong_signing_secret_shows_401(server_url, capsys, monkeypatch):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "wrong")
    assert main(["slash", "/sellerbot help", "--url", server_url]) == 1
    assert "HTTP 401" in capsys.readouterr().out


def test_unreachable_bot_is_a_clear_error(capsys):
    assert main(["slash", "/sellerbot help", "--url", "http://127.0.0.1:9/slack/events", "--timeout", "2"]) == 2
    assert "cannot reach the bot" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["--help"], ["slash", "--help"], ["click", "--help"], ["submit", "--help"], ["serve", "--help"]]
)
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_submit_fills_in_the_last_form_the_bot_opened(server_url, capsys):
    """`sellerbot submit`: the reject form a button opened, submitted with a reason, as Slack would."""
    code_line = "/promo new CLIFORMS 20% B0ABCDEFGH +3d..+17d --marketplace US"
    assert main(["slash", code_line, "--url", server_url, "--user", "U0REQUESTER"]) == 0
    # The card prints the button as `sellerbot click promo_reject 'acme:<id>'`.
    value = re.search(r"promo_reject '(acme:[0-9a-f]+)'", capsys.readouterr().out).group(1)  # type: ignore[union-attr]
    assert main(["click", "promo_reject", value, "--url", server_url, "--user", "U0APPROVER1"]) == 0
    assert "callback_id promo_reject_reason" in capsys.readouterr().out
    assert main(["submit", "--field", "nope=1", "--url", server_url, "--user", "U0APPROVER1"]) == 2
    assert "the form has no input nope; its inputs are reason" in capsys.readouterr().err
    assert main(["submit", "--field", "reason=too deep", "--url", server_url, "--user", "U0APPROVER1"]) == 0
    assert "*Status* rejected" in capsys.readouterr().out


def test_submit_without_an_open_form_says_what_to_do(server_url, capsys):
    assert main(["submit", "--url", server_url]) == 2
    assert "press the button that opens it first" in capsys.readouterr().err
