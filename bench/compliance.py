"""Throughput and p99 of handlers.compliance.check on ~1 KB mixed-language messages, vs a naive baseline."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from handlers.compliance import check  # noqa: E402
from handlers.compliance.engine import _NAIVE, _normalise  # noqa: E402

BASE = ["Hello, your order is delayed by two days due to the carrier. ",
        "Ihre Bestellung verzögert sich leider um zwei Tage. ", "Votre colis a été retardé. ",
        "Su pedido llegará con retraso. ", "Il suo ordine è in ritardo. ", "您的訂單將延遲兩天送達。",
        "ご注文の商品は二日遅れる見込みです。", "If you liked it leave 5 stars at shop dot com. "]
MSGS = [("".join(BASE[(i + j) % len(BASE)] for j in range(30)))[:1000] for i in range(400)]


def naive(text: str) -> int:
    norm = _normalise(text)
    return sum(1 for rx in _NAIVE for _ in rx.finditer(norm))


def run(fn) -> tuple[float, float]:
    lat = []
    t0 = time.perf_counter()
    for _ in range(5):
        for m in MSGS:
            s = time.perf_counter(); fn(m); lat.append(time.perf_counter() - s)
    total = time.perf_counter() - t0
    lat.sort()
    return len(lat) / total, lat[int(len(lat) * 0.99)] * 1000


if __name__ == "__main__":
    check(MSGS[0])
    tp, p99 = run(check)
    ntp, np99 = run(naive)
    print(f"combined: {tp:,.0f} msgs/s, p99 {p99:.3f} ms")
    print(f"naive:    {ntp:,.0f} msgs/s, p99 {np99:.3f} ms")
    print(f"ratio combined/naive throughput: {tp / ntp:.2f}x")
