"""tools/build_lambda_zip.py: the artifacts' dependency sets come from pyproject, and a conflict fails the build.

The checker is run on fake install targets (dist-info folders written here), so no pip and no network.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tools import build_lambda_zip as build

BOTOCORE = ["jmespath<2.0.0,>=0.7.1", "python-dateutil<3.0.0,>=2.1", "urllib3!=2.2.0,<3,>=1.25.4"]
RUNTIME = {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3"}


def _dist(target: Path, name: str, version: str, *requires: str) -> None:
    info = target / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = [f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"]
    lines += [f"Requires-Dist: {r}\n" for r in requires]
    (info / "METADATA").write_text("".join(lines))


def test_a_dateutil_that_shadows_botocores_is_a_conflict(tmp_path):
    """The issue's case: matplotlib pulled python-dateutil 4.0.0 into /var/task; botocore needs <3."""
    _dist(tmp_path, "matplotlib", "3.11.2", "python-dateutil>=2.7")
    _dist(tmp_path, "python-dateutil", "4.0.0")
    problems = build.unsatisfied(tmp_path, ["matplotlib>=3.9"], runtime_requirements=BOTOCORE, runtime_provided=RUNTIME)
    assert problems == [
        "the Lambda runtime's boto3/botocore requires python-dateutil<3.0.0,>=2.1,"
        " but python-dateutil 4.0.0 is installed"
    ]


def test_a_consistent_target_passes_and_the_runtime_supplies_what_the_zip_leaves_out(tmp_path):
    _dist(tmp_path, "matplotlib", "3.11.2", "python-dateutil>=2.7")
    _dist(tmp_path, "python-dateutil", "2.9.0.post0", "six>=1.5")
    # six is not in the zip: the runtime's copy (next to botocore) is used.
    assert (
        build.unsatisfied(tmp_path, ["matplotlib>=3.9"], runtime_requirements=BOTOCORE, runtime_provided=RUNTIME) == []
    )


def test_every_installed_distribution_is_checked_not_only_pyprojects(tmp_path):
    _dist(tmp_path, "slack-bolt", "1.30.0", "slack-sdk<4,>=3.38")
    _dist(tmp_path, "slack-sdk", "4.0.0")
    _dist(tmp_path, "tldextract", "5.4.0", "requests-file>=1.4", 'idna; python_version < "3.0"')
    problems = build.unsatisfied(tmp_path, ["slack-bolt>=1.30,<2"])
    assert problems == [
        "slack-bolt 1.30.0 requires slack-sdk<4,>=3.38, but slack-sdk 4.0.0 is installed",
        "tldextract 5.4.0 requires requests-file>=1.4, which is not installed",
    ]


def test_extras_that_are_asked_for_must_be_installed(tmp_path):
    _dist(tmp_path, "httpx", "0.29.0", 'h2<5,>=3; extra == "http2"')
    assert build.unsatisfied(tmp_path, ["httpx>=0.27"]) == []
    assert build.unsatisfied(tmp_path, ["httpx[http2]>=0.27"]) == [
        'httpx 0.29.0 requires h2<5,>=3; extra == "http2", which is not installed'
    ]


def test_markers_are_evaluated_for_the_lambda_python_not_the_one_building(tmp_path):
    _dist(tmp_path, "pydantic", "2.14.4", 'tomli; python_version < "3.11"', 'backports-x; python_version >= "3.12"')
    assert build.unsatisfied(tmp_path, []) == [
        'pydantic 2.14.4 requires backports-x; python_version >= "3.12", which is not installed'
    ]


def test_closure_follows_base_requirements_only():
    resolved = {
        "boto3": {"requires_dist": ["botocore<1.45,>=1.44", 'awscrt==0.1; extra == "crt"']},
        "botocore": {"requires_dist": ["python-dateutil<3,>=2.1"]},
        "python-dateutil": {"requires_dist": ["six>=1.5"]},
        "six": {},
        "matplotlib": {"requires_dist": ["python-dateutil>=2.7"]},
    }
    assert build.closure(["boto3"], resolved) == {"boto3", "botocore", "python-dateutil", "six"}


def test_the_lean_set_is_pyprojects_dependencies_and_the_full_one_adds_the_charts_group():
    lean = {Requirement(r).name for r in build.requirements()}
    full = {Requirement(r).name for r in build.requirements(("charts",))}
    assert "matplotlib" not in lean and "phonenumbers" in lean
    assert not {"py3langid", "numpy"} & lean  # language id runs on the exported model (dev extra exports it)
    assert full - lean == {"matplotlib"}
    assert [a.extras for a in build.ARTIFACTS] == [(), ("charts",)]


def test_a_requirement_read_from_a_pyproject_file(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\ndependencies = ["a>=1"]\n[project.optional-dependencies]\ncharts = ["b"]\ndev = ["c"]\n'
    )
    assert build.requirements(("charts",), pyproject) == ["a>=1", "b"]


def test_a_set_pip_cannot_resolve_is_a_dependency_conflict():
    """`pip install --dry-run` refusing a set (ResolutionImpossible) stops the build with pip's words.

    Runs pip for real on the local package index; the two pins cannot both hold, whatever is published.
    """
    with pytest.raises(build.DependencyConflict, match="python-dateutil"):
        build.resolve(["python-dateutil<3", "python-dateutil>=3"])


@pytest.mark.parametrize(
    ("path", "ships"),
    [
        ("phonenumbers/phonenumberutil.py", True),
        ("phonenumbers/data/region_DE.py", True),
        ("phonenumbers/shortdata/region_DE.py", True),
        ("phonenumbers/geodata/data0.py", False),
        ("phonenumbers/carrierdata/data0.py", False),
        ("phonenumbers/tzdata/data0.py", False),
        ("phonenumbers/geocoder.py", False),
        ("phonenumbers/geocoder.pyi", False),
        ("phonenumbers/timezone.py", False),
        ("numpy/_core/tests/test_api.py", False),
        ("matplotlib/tests/baseline_images/x.png", False),
        ("tests/conftest.py", True),  # a top-level distribution is not a package's tests folder
        ("pydantic/__pycache__/main.cpython-312.pyc", False),
        ("slack_sdk/web/client.pyi", False),
        ("slack_bolt/app/app.py", True),
        ("phonenumbers-9.0.0.dist-info/RECORD", True),
    ],
)
def test_what_ships_from_the_stage(path, ships):
    assert build.shipped(Path(path)) is ships
