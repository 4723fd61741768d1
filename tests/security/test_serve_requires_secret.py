"""`sellerbot serve` starts only with a configured signing secret, or with --demo."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.local.environment import LocalEnvironment


def test_serve_without_a_secret_refuses_to_start(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SELLERBOT_SECRETS", raising=False)
    started: list[object] = []
    monkeypatch.setattr(LocalEnvironment, "start", lambda self: started.append(self) or self)

    def no_server(*args: object) -> None:
        raise AssertionError("serve went on to listen without a signing secret")

    monkeypatch.setattr("bot.local.server.make_server", no_server)
    code = main(["serve", "--port", "0", "--data-dir", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 2 and started == []
    assert "SLACK_SIGNING_SECRET" in out.out + out.err and "--demo" in out.out + out.err


def test_local_environment_has_no_built_in_secret_unless_demo():
    env = LocalEnvironment(env={}, with_spapi=False)
    try:
        with pytest.raises(RuntimeError, match="SLACK_SIGNING_SECRET"):
            env.start()
    finally:
        env.stop()


def test_serve_demo_flag_is_accepted():
    from bot.cli import build_parser

    args = build_parser().parse_args(["serve", "--demo"])
    assert args.demo is True
