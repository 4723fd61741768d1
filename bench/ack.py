"""Ack latency of slash commands through bot.lambda_handler.handler.

Warm: N signed `/sellerbot help` commands in one process, interleaved with the bare app's (which acks with
the same help reply, so the ratio measures the work around the answer, not the answer's size). Cold: a fresh
process per run, measured from process start to the first ack (imports
included). Both are compared with a bare Bolt app acking the same command
on the same adapter, so the ratio is machine-independent.

Targets (issue 2): warm p99 < 20 ms, cold < 1.5 s, ratio vs bare Bolt <= 1.5.
Targets (issue 16): cold start <= 2.0x bare Bolt without SnapStart; warm ack p99 <= 1.5x bare Bolt.
Also printed: the Lambda artifacts' sizes, the handler module's import time, and the restore case:
a fresh process that first runs the before-snapshot hook (bot/snapstart.py), timed from after the hook
to the first ack.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-signing-secret"

COLD_SNIPPET = r"""
import os, sys, time
sys.path.insert(0, {root!r})
os.environ.update(SLACK_SIGNING_SECRET={secret!r}, SLACK_BOT_TOKEN="xoxb-bench", SLACK_API_URL="http://127.0.0.1:9/api/",
                  SELLERBOT_LOG_LEVEL="WARNING", AWS_LAMBDA_FUNCTION_NAME="sellerbot-bench-slack",
                  AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x")
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import slash_body, headers_for
body = slash_body("/sellerbot help")
event = http_api_event(body, headers_for(body, {secret!r}))
if {bare!r}:
    sys.path.insert(0, {bench!r})
    import _bare_bolt
    handle = _bare_bolt.build({secret!r}).handle
else:
    from bot.lambda_handler import handler as handle
    if {snapshot!r}:  # the restore case: the hook ran before the snapshot; time from here
        from bot import snapstart
        snapstart.warm()
        snapstart.refresh()
        t0 = time.perf_counter()
resp = handle(event, LocalContext())
assert resp["statusCode"] == 200, resp
if {snapshot!r} and not {bare!r}:
    print("RESTORED_ACK_MS", (time.perf_counter() - t0) * 1000)
print("ACK", flush=True)
"""
# The restore case of bare Bolt: its app built, then the first ack alone.
BARE_RESTORE_SNIPPET = r"""
import os, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import slash_body, headers_for
import _bare_bolt
handle = _bare_bolt.build({secret!r}).handle
body = slash_body("/sellerbot help")
event = http_api_event(body, headers_for(body, {secret!r}))
t0 = time.perf_counter()
resp = handle(event, LocalContext())
assert resp["statusCode"] == 200, resp
print("RESTORED_ACK_MS", (time.perf_counter() - t0) * 1000)
"""
ARTIFACTS = ("build/sellerbot.zip", "build/sellerbot-charts.zip")


def warm(n: int) -> tuple[list[float], list[float]]:
    os.environ.update(
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        SELLERBOT_LOG_LEVEL="WARNING",
    )
    from bot import lambda_handler, runtime
    from bot.lambda_handler import handler
    from bot.local.lambda_emulation import InProcessLambda, LocalContext, http_api_event
    from bot.local.signed_requests import headers_for, slash_body
    from bot.settings import Settings

    sys.path.insert(0, str(ROOT / "bench"))
    import _bare_bolt

    rt = runtime.build_runtime(Settings.from_env())
    runtime.install(rt)
    lambda_handler.install_entry(lambda_handler.build_slack_entry(rt, lambda_client=InProcessLambda(handler)))
    from bot.views.help import help_message

    bare = _bare_bolt.build(SECRET, reply=help_message())  # the same answer as ours (4.8 KB of JSON to encode)
    lambda_handler.finish_init()  # as Lambda's init ends (gc.freeze: it covers both apps in this process)

    def timed_pair() -> tuple[list[float], list[float]]:
        """One request to each app in turn, so a noisy moment on a shared machine lands on both."""
        samples: tuple[list[float], list[float]] = ([], [])
        for _ in range(n):
            for handle, out in ((handler, samples[0]), (bare.handle, samples[1])):
                body = slash_body("/sellerbot help")  # a fresh trigger_id each time, as Slack sends
                event = http_api_event(body, headers_for(body, SECRET))
                start = time.perf_counter()
                resp = handle(event, LocalContext())
                out.append((time.perf_counter() - start) * 1000)
                assert resp["statusCode"] == 200, resp
        return samples

    timed_pair()  # warm-up pass: first-call caches on both sides
    return timed_pair()


def cold(runs: int) -> tuple[list[float], list[float]]:
    """Fresh processes, ours and bare Bolt's in turn, so load from other jobs on a shared machine lands on both."""
    snippets = [
        COLD_SNIPPET.format(root=str(ROOT), secret=SECRET, bare=bare, bench=str(ROOT / "bench"), snapshot=False)
        for bare in (False, True)
    ]
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for snippet, out in zip(snippets, samples, strict=True):
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, cwd=ROOT)
            elapsed = (time.perf_counter() - start) * 1000
            if "ACK" not in proc.stdout:
                raise SystemExit(f"cold run failed:\n{proc.stderr[-2000:]}")
            out.append(elapsed)
    return samples


def restored(runs: int, bare: bool) -> list[float]:
    """First ack after the before-snapshot work, in a fresh process (ms, measured inside it)."""
    kw = dict(root=str(ROOT), secret=SECRET, bench=str(ROOT / "bench"))
    snippet = BARE_RESTORE_SNIPPET.format(**kw) if bare else COLD_SNIPPET.format(**kw, bare=False, snapshot=True)
    samples = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, cwd=ROOT)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("RESTORED_ACK_MS")]
        if not lines:
            raise SystemExit(f"restore run failed:\n{proc.stderr[-2000:]}")
        samples.append(float(lines[-1].split()[1]))
    return samples


def artifact_sizes() -> list[tuple[str, str]]:
    paths = [ROOT / a for a in ARTIFACTS] + sorted((ROOT / ".serverless").glob("*.zip"))
    rows = []
    for path in paths:
        size = f"{path.stat().st_size / 1e6:.1f} MB" if path.exists() else "missing"
        rows.append((str(path.relative_to(ROOT)), size))
    return rows


def import_time() -> float:
    code = "import time,sys; t=time.perf_counter(); import bot.lambda_handler; print((time.perf_counter()-t)*1000)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SLACK_SIGNING_SECRET": SECRET},
    )
    return float(out.stdout.strip().splitlines()[-1])


def powertools_share() -> float:
    """Share of `import bot.lambda_handler` spent in aws_lambda_powertools' own modules (self time, -X importtime):
    what the cold start would save without Powertools Logger and Metrics (issue 20: at most 5 %)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import bot.lambda_handler"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SLACK_SIGNING_SECRET": SECRET},
    )
    total = ours = 0
    for line in out.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        self_us = int(parts[0])
        total += self_us
        if parts[2].strip().startswith("aws_lambda_powertools"):
            ours += self_us
    return ours / total if total else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="warm requests per app (default 500)")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per app (default 5)")
    args = parser.parse_args()

    ours, bare = warm(args.n)
    cold_ours, cold_bare = cold(args.cold_runs)
    restored_ours, restored_bare = restored(args.cold_runs, False), restored(args.cold_runs, True)
    imports = [import_time() for _ in range(3)]
    pt_share = statistics.median(powertools_share() for _ in range(3))
    from bench.load_driver import percentile

    p50, p99 = statistics.median(ours), percentile(ours, 99)
    b50, b99 = statistics.median(bare), percentile(bare, 99)
    print(f"warm ack, N={args.n}:   sellerbot p50 {p50:.2f} ms  p99 {p99:.2f} ms   (target p99 < 20 ms)")
    print(f"                      bare Bolt p50 {b50:.2f} ms  p99 {b99:.2f} ms")
    print(f"                      ratio sellerbot/bare: p50 {p50 / b50:.2f}x  p99 {p99 / b99:.2f}x   (target <= 1.5)")
    c_ours, c_bare = statistics.median(cold_ours), statistics.median(cold_bare)
    print(
        f"cold start to first ack (median of {args.cold_runs}): sellerbot {c_ours:.0f} ms  bare Bolt {c_bare:.0f} ms"
        f"  ratio {c_ours / c_bare:.2f}x   (target < 1500 ms)"
    )
    print(f"import bot.lambda_handler: median {statistics.median(imports):.0f} ms")
    pt_ms = pt_share * statistics.median(imports)
    print(
        f"Powertools Logger+Metrics modules at cold start: {pt_ms:.0f} ms, {pt_ms / c_ours * 100:.1f} % of the cold"
        f" start (issue 20 target <= 5 %)"
    )
    r_ours, r_bare = statistics.median(restored_ours), statistics.median(restored_bare)
    print(
        f"restore (before-snapshot hook run, then first ack): sellerbot {r_ours:.1f} ms  bare Bolt (app built)"
        f" {r_bare:.1f} ms  ratio {r_ours / r_bare:.2f}x"
    )
    print("issue 16 targets:")
    print(f"  cold start without SnapStart <= 2.0x bare Bolt: {c_ours / c_bare:.2f}x")
    print(f"  cold start with the warm-up (restore) vs bare Bolt's first ack: {r_ours / r_bare:.2f}x")
    print(f"  warm ack p99 <= 1.5x bare Bolt: {p99 / b99:.2f}x")
    print("artifacts:")
    for name, size in artifact_sizes():
        print(f"  {name}: {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
