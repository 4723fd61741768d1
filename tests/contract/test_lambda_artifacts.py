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


def test_the_lean_artifact_has_no_chart_stack():
    top = _top_level(_names("sellerbot.zip"))
    assert not CHART_STACK & top
    assert {"bot", "handlers", "infra", "numpy", "py3langid"} <= top  # compliance's language id needs numpy


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
