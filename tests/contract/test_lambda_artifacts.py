"""The two zips `make package` builds (issue 16): the lean one has no chart stack, and neither ships a
package that breaks the runtime's botocore.

`make test` packages before pytest runs; run alone, the tests are skipped until the zips exist.
"""

from __future__ import annotations

import email
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

BUILD = Path(__file__).resolve().parents[2] / "build"
CHART_STACK = {"matplotlib", "mpl_toolkits", "PIL", "fontTools", "kiwisolver", "contourpy", "cycler", "pyparsing"}


def _names(artifact: str) -> list[str]:
    path = BUILD / artifact
    if not path.exists():
        pytest.skip(f"no {artifact}: run `make package` first")
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def _top_level(names: list[str]) -> set[str]:
    return {n.split("/", 1)[0] for n in names}


def test_the_lean_artifact_has_no_chart_stack_and_no_numpy():
    names = _names("sellerbot.zip")
    top = _top_level(names)
    assert not CHART_STACK & top
    # language id scores py3langid's exported model with the stdlib: neither numpy nor py3langid ships
    assert not {"numpy", "numpy.libs", "py3langid"} & top
    assert {"bot", "handlers", "infra", "phonenumbers"} <= top
    assert "handlers/compliance/data/langid13.bin" in names


def test_the_lean_artifact_is_at_most_15_mb():
    _names("sellerbot.zip")
    assert (BUILD / "sellerbot.zip").stat().st_size <= 15_000_000


@pytest.mark.parametrize("artifact", ["sellerbot.zip", "sellerbot-charts.zip"])
def test_no_artifact_ships_what_no_code_runs(artifact):
    """tools/build_lambda_zip.py's exclusions: caches, stubs, packages' tests, phonenumbers' lookups."""
    names = _names(artifact)
    assert not [n for n in names if "__pycache__/" in n or n.endswith((".pyc", ".pyi")) or "/tests/" in n]
    assert not [n for n in names if n.startswith(("phonenumbers/geodata/", "phonenumbers/carrierdata/"))]
    assert not [n for n in names if n.startswith("phonenumbers/tzdata/")]
    assert "phonenumbers/phonenumberutil.py" in names


def test_the_charts_artifact_still_has_numpy():
    assert {"numpy", "matplotlib"} <= _top_level(_names("sellerbot-charts.zip"))  # matplotlib needs numpy


def test_the_full_artifact_has_the_chart_stack_and_the_same_code():
    lean, full = _names("sellerbot.zip"), _names("sellerbot-charts.zip")
    assert {"matplotlib", "PIL", "fontTools"} <= _top_level(full)
    code = ("bot/", "handlers/", "infra/")
    assert sorted(n for n in lean if n.startswith(code)) == sorted(n for n in full if n.startswith(code))
    assert "bot/workers/charts.py" in full and not any("/fakes/" in n or n.endswith(".pyc") for n in full)


@pytest.mark.parametrize("artifact", ["sellerbot.zip", "sellerbot-charts.zip"])
def test_no_artifact_shadows_botocore_with_an_incompatible_dateutil(artifact):
    """/var/task comes first on sys.path: a python-dateutil there is the one botocore (<3) imports."""
    names = _names(artifact)
    metadata = [n for n in names if n.startswith("python_dateutil-") and n.endswith(".dist-info/METADATA")]
    with zipfile.ZipFile(BUILD / artifact) as zf:
        versions = [Version(email.message_from_bytes(zf.read(n))["Version"]) for n in metadata]
    assert all(v < Version("3") for v in versions), versions
