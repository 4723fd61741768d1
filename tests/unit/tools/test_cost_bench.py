"""bench/cost.py (issue 20 item 5): the size lines keep their exact format, every price has a date and a
source, and memory comes from serverless.yml (not from a constant in the bench)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
BENCH = ROOT / "bench"
SIZE_LINE = re.compile(
    r"accounts=(\d+) monthly_usd=(\d+\.\d{2}) per_account_marketplace_usd=(\d+\.\d+) dominant=([a-z0-9_]+)"
)


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _run(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(BENCH / "cost.py"), *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.splitlines()


def test_one_size_line_per_size_in_the_exact_format() -> None:
    out = _run()
    sizes = [line for line in out if line.startswith("accounts=")]
    assert len(sizes) == 3
    matches = [SIZE_LINE.fullmatch(line) for line in sizes]
    assert all(matches), sizes
    assert [int(m.group(1)) for m in matches if m] == [1, 100, 1000]
    cost = _load("cost")
    table_rows = {line.split()[0] for line in out if re.fullmatch(r"  [a-z0-9_]+( +\d+\.\d{2}){3}", line)}
    assert {"lambda_health_check", "snapstart_cache", "custom_metrics", "alarms", "sqs"} <= table_rows
    for m in matches:
        assert m is not None
        total, per_pair = float(m.group(2)), float(m.group(3))
        pairs = int(m.group(1)) * cost.MARKETPLACES
        assert abs(per_pair - total / pairs) <= 0.00005 + 0.005 / pairs + 1e-9  # both printed rounded
        assert m.group(4) in table_rows  # the dominant line is one of the printed lines
    # The event-driven variant and the ratio are printed too, in their own format.
    assert sum(line.startswith("event_driven accounts=") for line in out) == 3
    for design in ("as built", "event_driven"):
        assert any(re.fullmatch(rf"ratio {design}/before total \d\.\d{{3}} \(target <= 0\.25\)", line) for line in out)


def test_every_price_has_a_date_and_a_source() -> None:
    prices = _load("prices")
    assert prices.PRICES
    for key, price in prices.PRICES.items():
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", price.date), key
        assert len(price.source) > 5, key
        assert price.usd >= 0 and price.unit, key


def test_measured_figures_are_dated() -> None:
    cost = _load("cost")
    for key, figure in cost.MEASURED.items():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", figure.date), key
        assert figure.source.startswith("bench/"), key


def test_memory_and_schedules_come_from_serverless_yml(tmp_path: Path) -> None:
    cost = _load("cost")
    template = cost.load_template(ROOT / "serverless.yml")
    assert template.functions["charts"].memory_mb == 1024
    assert template.functions["healthSchedule"].schedules == ["rate(6 hours)"]
    # The same file with the health worker at 2048 MB: the bench reads it, and the check costs 4x the GB-s.
    text = (ROOT / "serverless.yml").read_text()
    marker = "    handler: bot/workers/health_check.handler\n"
    assert marker in text
    (tmp_path / "serverless.yml").write_text(text.replace(marker, marker + "    memorySize: 2048\n"))
    for include in ROOT.glob("serverless.*.yml"):
        shutil.copy(include, tmp_path / include.name)
    bigger = cost.load_template(tmp_path / "serverless.yml")
    assert bigger.functions["healthCheck"].memory_mb == 2048
    assert bigger.functions["healthSchedule"].memory_mb == template.functions["healthSchedule"].memory_mb
    out = _run("--serverless", str(tmp_path / "serverless.yml"))
    assert any(re.fullmatch(r"  healthCheck +2048 .*", line) for line in out)
    base = cost.polling_check(template)
    mem = {name: fn.memory_mb for name, fn in template.functions.items()}
    big_mem = {name: fn.memory_mb for name, fn in bigger.functions.items()}
    small = cost.usage(100, template, mem, design="polling").gb_s["lambda_health_check"]
    large = cost.usage(100, bigger, big_mem, design="polling").gb_s["lambda_health_check"]
    assert large > 3 * small and base.invocations >= 1


def test_the_polling_model_uses_the_worker_s_own_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.jobs.health_checks import POLL_ENV, HealthDeps
    from bot.workers.health_check import PENDING_RETRY_SECONDS

    cost = _load("cost")
    assert cost.PENDING_RETRY_S == PENDING_RETRY_SECONDS
    monkeypatch.delenv(POLL_ENV, raising=False)
    unset: Any = None
    assert HealthDeps(store=unset, slack=unset, accounts=unset).poll_interval == cost.POLL_INTERVAL_S


def test_the_memory_recommendation_covers_every_modelled_function() -> None:
    cost = _load("cost")
    assert set(cost.MODELLED) <= set(cost.RECOMMENDED_MEMORY)
    template = cost.load_template(ROOT / "serverless.yml")
    assert set(cost.MODELLED) <= set(template.functions)
    # serverless.yml applies the measured recommendation, so the README's memory table is what deploys.
    assert {n: template.functions[n].memory_mb for n in cost.RECOMMENDED_MEMORY if n in template.functions} == {
        n: mb for n, (mb, _) in cost.RECOMMENDED_MEMORY.items() if n in template.functions
    }
    out = _run("--memory", "healthCheck=512")
    assert any(re.fullmatch(r"  healthCheck +512 .*\(what-if; serverless.yml says 256\)", line) for line in out)


def test_the_baseline_is_the_design_before_issue_20() -> None:
    """Same traffic and prices, the old memory sizes and no batching window: only the design differs."""
    out = _run()
    before = next(line for line in out if line.startswith("at 1,000 accounts, the design before issue 20"))
    assert "$60.00 of it waiting" in before  # 20 s of polling per invocation at 512 MB


def test_schedule_expressions() -> None:
    cost = _load("cost")
    assert cost.runs_per_day("rate(15 minutes)") == 96
    assert cost.runs_per_day("rate(6 hours)") == 4
    assert cost.runs_per_day("cron(0 14 * * ? *)") == 1
    assert cost.runs_per_day("cron(0,30 */6 * * ? *)") == 8


def test_as_built_prices_one_report_per_account_and_the_overlapped_sweep() -> None:
    """The design before issue 20 checks each account x marketplace with its own report and sweeps one pair per
    invocation; as built, one report covers an account's marketplaces and a worker batch overlaps its sweeps."""
    cost = _load("cost")
    template = cost.load_template(ROOT / "serverless.yml")
    mem = {name: fn.memory_mb for name, fn in template.functions.items()}
    per_pair, per_account = cost.polling_check(template, marketplaces=1), cost.polling_check(template)
    assert per_account.get_report_calls == per_pair.get_report_calls  # one report polled, not three
    assert per_account.lambda_s < cost.MARKETPLACES * per_pair.lambda_s
    before = cost.usage(1000, template, mem, design="before")
    built = cost.usage(1000, template, mem, design="polling")
    assert built.gb_s["lambda_health_check"] < before.gb_s["lambda_health_check"] / 2
    assert built.gb_s["lambda_review_sweep"] < before.gb_s["lambda_review_sweep"] / 3
    assert template.functions["reviewSweep"].batch_size == 10
    # A batch overlaps different sellers only: one account's 3 marketplaces share its rate limits.
    one = cost.usage(1, template, mem, design="polling").gb_s["lambda_review_sweep"]
    one_before = cost.usage(1, template, mem, design="before").gb_s["lambda_review_sweep"]
    assert one > one_before / 4
    assert cost.MEASURED["sweep_batch_order_s"].source.startswith("bench/sweep.py")
