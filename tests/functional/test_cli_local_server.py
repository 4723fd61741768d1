"""`sellerbot slash` / `click` against `sellerbot serve`'s server, over real HTTP."""

from __future__ import annotations

import json
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


@pytest.mark.parametrize("argv", [["--help"], ["slash", "--help"], ["click", "--help"], ["serve", "--help"]])
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out
