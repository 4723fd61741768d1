"""Compliance checker worst cases: pathological 20,000-character inputs, in-process and through the CLI.

    .venv/bin/python bench/compliance_worst.py [--rounds 5] [--no-cli] [--only NAME] [--profile NAME]

Each input is checked through handlers.compliance.check (best of --rounds, after one warm-up) and through
`.venv/bin/sellerbot check --json FILE` (wall time of the whole process, best of --rounds). Ratios are to a
two-word check ("hello there") measured the same way: in-process to in-process, CLI to CLI (each input's
CLI runs interleaved with two-word CLI runs, best of each).
Targets (issue 15, item 5): every input <= 50 ms in-process; the worst CLI run <= 1.5x a two-word CLI run.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from handlers.compliance import check  # noqa: E402 (after the sys.path line)
from handlers.compliance.model import MAX_CHARS  # noqa: E402

N = MAX_CHARS


def _fill(unit: str, n: int = N) -> str:
    """`unit` repeated to exactly n characters."""
    return (unit * (n // len(unit) + 1))[:n]


_KANJI = "注文商品発送確認問題返金評価連絡電話番号住所"
_KANA = "ありがとうございますレビューをお願いしますカタカナ"
_HANZI = "您好我们已经发货请给五星好评联系微信电话号码谢谢"

INPUTS: dict[str, Callable[[], str]] = {
    "digits": lambda: _fill("1234567890"),
    "digits-sep": lambda: _fill("1-"),
    "digits-space": lambda: _fill("1 "),
    "digits-dot": lambda: _fill("1."),
    "phone-like": lambda: _fill("+49 30 1234 5678 "),
    "review-x5000": lambda: _fill("review ", 5000 * 7)[:N],
    "review-nospace": lambda: _fill("review"),
    "letters": lambda: _fill("abcdefghijklmnopqrstuvwxyz"),
    "one-letter": lambda: "a" * N,
    "zh": lambda: _fill(_HANZI),
    "zh-review": lambda: _fill("请给五星好评"),
    "ja": lambda: _fill(_KANJI + _KANA),
    "ja-review": lambda: _fill("レビューをお願いします"),
    "parens": lambda: "(" * N,
    "angles": lambda: "<" * N,
    "quotes": lambda: '"' * N,
    "brackets": lambda: "[" * N,
    "html-ish": lambda: _fill("<a "),
    "mixed-scripts": lambda: _fill("a注bレc1é-"),
    "mixed-latin-cjk": lambda: _fill("a注"),
    "sentence-ends": lambda: _fill(".!?"),
    "sentence-ends-sp": lambda: _fill(". "),
    "words-sentences": lambda: _fill("Please review. "),
    "at-dot": lambda: _fill("a@a."),
    "at-only": lambda: "@" * N,
    "dots": lambda: "." * N,
    "http": lambda: _fill("http"),
    "http-sp": lambda: _fill("http "),
    "www": lambda: _fill("www."),
    "urls": lambda: _fill("http://a.co "),
    "emails": lambda: _fill("a@b.co "),
    "stars": lambda: _fill("5 stars "),
    "percent": lambda: _fill("20% off "),
    "newlines": lambda: _fill("a\n"),
    "fullwidth": lambda: _fill("ｒｅｖｉｅｗ　"),
    "shipped": lambda: _fill("Your order has been shipped. "),
    "shipped-nopunct": lambda: _fill("your order has been shipped and "),
    "url-and-domain": lambda: _fill("http://a.co b.co "),
    "spoken-links": lambda: _fill("shop dot com "),
    "spoken-emails": lambda: _fill("anna at gmail dot com "),
    "review-ask": lambda: _fill("please leave a 5 star review "),
    "incentive": lambda: _fill("free gift for a review "),
    "violations": lambda: _fill("Please leave 5 stars and email me at a@b.co or call +1 555 123 4567. "),
}

TWO_WORDS = "hello there"


def _best(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def _cli(path: Path) -> None:
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "sellerbot"), "check", "--json", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        cwd=ROOT,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-cli", action="store_true")
    ap.add_argument("--only", help="run only inputs whose name contains this")
    ap.add_argument("--profile", metavar="NAME", help="cProfile one input (in-process) and print the top 25")
    args = ap.parse_args()

    if args.profile:
        text = INPUTS[args.profile]()
        check(text)
        prof = cProfile.Profile()
        prof.enable()
        check(text)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        return 0

    check(TWO_WORDS)
    base_in = _best(lambda: check(TWO_WORDS), max(args.rounds, 20))
    tmp = Path(tempfile.mkdtemp(prefix="compliance_worst_"))
    base_cli = 0.0
    two = tmp / "two.txt"
    if not args.no_cli:
        two.write_text(TWO_WORDS, "utf-8")
        base_cli = _best(lambda: _cli(two), args.rounds)
    print(f"two-word check: in-process {base_in:.3f} ms" + ("" if args.no_cli else f", CLI {base_cli:.1f} ms"))
    print(f"{'input':18} {'chars':>6} {'findings':>8} {'in-proc ms':>10} {'ratio':>8} {'CLI ms':>8} {'ratio':>6}")
    worst_in = worst_cli = 0.0
    for name, make in INPUTS.items():
        if args.only and args.only not in name:
            continue
        text = make()
        assert len(text) <= MAX_CHARS, name
        findings = len(check(text).findings)  # warm-up (lazy tables, caches of the two-word kind)
        ms = _best(lambda text=text: check(text), args.rounds)
        worst_in = max(worst_in, ms)
        row = f"{name:18} {len(text):>6} {findings:>8} {ms:>10.2f} {ms / base_in:>7.0f}x"
        if not args.no_cli:
            path = tmp / f"{name}.txt"
            path.write_text(text, "utf-8")
            # interleaved with two-word runs, so a load spike on a shared machine hits both alike
            cms = base = float("inf")
            for _ in range(args.rounds):
                base = min(base, _best(lambda: _cli(two), 1))
                cms = min(cms, _best(lambda path=path: _cli(path), 1))
            worst_cli = max(worst_cli, cms / base)
            row += f" {cms:>8.1f} {cms / base:>5.2f}x"
        print(row, flush=True)
    ok_in = worst_in <= 50
    line = f"worst in-process {worst_in:.2f} ms ({'ok' if ok_in else 'OVER'} <= 50 ms)"
    ok_cli = True
    if not args.no_cli:
        ok_cli = worst_cli <= 1.5
        line += f"; worst CLI ratio {worst_cli:.2f}x ({'ok' if ok_cli else 'OVER'} <= 1.5x)"
    print(line)
    return 0 if ok_in and ok_cli else 1


if __name__ == "__main__":
    sys.exit(main())
