"""Build the two Lambda artifacts: code plus Lambda-compatible wheels.

- build/sellerbot.zip (LEAN): pyproject's [project].dependencies; every function but `charts`.
- build/sellerbot-charts.zip (FULL): the same plus the `charts` optional group (matplotlib and
  its stack, about 42 MB zipped); only the `charts` function.

pyproject.toml is the one list of what ships. Wheels are resolved for manylinux x86_64 / CPython
3.12 (the runtime in serverless.yml), whatever Python runs this script, so no Docker is needed.

boto3 is left out of the zips because the Lambda runtime ships it, but not out of the resolution:
whatever the zip holds sits first on sys.path (/var/task) and shadows the runtime's copies, so a
package there that botocore also needs must satisfy botocore's pins. Matplotlib once pulled in
python-dateutil 4.0.0 that way while botocore needs `<3`. So each artifact is built in two steps:
1. resolve pyproject's set *with* boto3 (`pip install --dry-run --report`): a conflict fails here;
2. install the set *without* boto3 into the stage, constrained to those resolved versions,
then every requirement of every installed distribution, and of boto3's own closure wherever the
stage shadows it, is checked against the stage (`unsatisfied`); any miss fails the build.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
CODE = ["bot", "handlers", "infra"]
SKIP_CODE = {"__pycache__", "fakes"}
# The Lambda runtime ships boto3 (and botocore, s3transfer, jmespath, dateutil, urllib3, six).
PROVIDED_BY_LAMBDA = "boto3"
# pip's target: markers are evaluated for this interpreter, not the one running the build.
PIP_PLATFORM = [
    "--platform",
    "manylinux2014_x86_64",
    "--implementation",
    "cp",
    "--python-version",
    "3.12",
    "--only-binary=:all:",
]
LAMBDA_ENVIRONMENT = {
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_machine": "x86_64",
    "platform_system": "Linux",
    "sys_platform": "linux",
    "os_name": "posix",
    "python_version": "3.12",
    "python_full_version": "3.12.0",
}


@dataclass(frozen=True)
class Artifact:
    name: str
    extras: tuple[str, ...]  # pyproject optional groups added to [project].dependencies


ARTIFACTS = (Artifact("sellerbot.zip", ()), Artifact("sellerbot-charts.zip", ("charts",)))


class DependencyConflict(RuntimeError):
    """The artifact's dependency set cannot hold together (pip conflict or an unmet requirement)."""


def requirements(extras: Iterable[str] = (), pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """[project].dependencies plus the named optional groups, as written in pyproject.toml."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in extras:
        reqs += project["optional-dependencies"][extra]
    return reqs


def _name(requirement: str) -> str:
    return canonicalize_name(Requirement(requirement).name)


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PIP_PLATFORM, *args]
    return subprocess.run(cmd, capture_output=True, text=True)


def resolve(reqs: list[str]) -> list[dict[str, Any]]:
    """pip's resolution of `reqs` (boto3 included) for the Lambda target: name, version, requires_dist."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        target = str(Path(tmp) / "t")
        done = _pip("--dry-run", "--ignore-installed", "--report", str(report), "--target", target, *reqs)
        if done.returncode:
            raise DependencyConflict(f"pip cannot resolve {reqs}:\n{done.stderr.strip()}")
        return [item["metadata"] for item in json.loads(report.read_text())["install"]]


def closure(roots: Iterable[str], resolved: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """Names of `roots` and everything they pull in (base requirements only) within `resolved`."""
    todo, seen = [canonicalize_name(r) for r in roots], set[str]()
    while todo:
        name = todo.pop()
        if name in seen or name not in resolved:
            continue
        seen.add(name)
        for raw in resolved[name].get("requires_dist") or []:
            req = Requirement(raw)
            if req.marker is None or req.marker.evaluate({**LAMBDA_ENVIRONMENT, "extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


def unsatisfied(
    target: Path,
    roots: Iterable[str],
    *,
    runtime_requirements: Iterable[str] = (),
    runtime_provided: Iterable[str] = (),
    environment: Mapping[str, str] = LAMBDA_ENVIRONMENT,
) -> list[str]:
    """What the stage at `target` fails to satisfy, as readable lines (empty: consistent).

    Checked: `roots` (pyproject's requirements, with their extras), every requirement of every
    distribution installed in `target` (and of the extras its dependants ask for), and
    `runtime_requirements`: what the runtime's own packages (botocore) need from whatever shadows
    them. A requirement on a package in `runtime_provided` that the stage does not hold is met by
    the runtime; one that the stage does hold must be met by the stage's version.
    """
    installed: dict[str, importlib.metadata.Distribution] = {
        canonicalize_name(d.metadata["Name"]): d for d in importlib.metadata.distributions(path=[str(target)])
    }
    provided = {canonicalize_name(n) for n in runtime_provided}
    problems: list[str] = []

    def check(req: Requirement, who: str) -> None:
        name = canonicalize_name(req.name)
        dist = installed.get(name)
        if dist is None:
            if name not in provided:
                problems.append(f"{who} requires {req}, which is not installed")
        elif not req.specifier.contains(dist.version, prereleases=True):
            problems.append(f"{who} requires {req}, but {dist.metadata['Name']} {dist.version} is installed")

    def applies(req: Requirement, extra: str) -> bool:
        return req.marker is None or req.marker.evaluate({**environment, "extra": extra})

    wanted: list[tuple[str, str]] = []  # (dist, extra) pairs whose requirements apply
    for raw in roots:
        req = Requirement(raw)
        if applies(req, ""):
            check(req, "pyproject")
            wanted += [(canonicalize_name(req.name), e) for e in req.extras]
    for raw in runtime_requirements:
        req = Requirement(raw)
        if applies(req, ""):
            check(req, "the Lambda runtime's boto3/botocore")
    wanted += [(name, "") for name in installed]
    seen: set[tuple[str, str]] = set()
    while wanted:
        name, extra = wanted.pop()
        if (name, extra) in seen or name not in installed:
            continue
        seen.add((name, extra))
        dist = installed[name]
        for raw in dist.requires or []:
            req = Requirement(raw)
            # An extra's own requirements only; the base ones are checked under extra "".
            if applies(req, extra) and (extra == "" or not applies(req, "")):
                check(req, f"{dist.metadata['Name']} {dist.version}")
                wanted += [(canonicalize_name(req.name), e) for e in req.extras]
    return sorted(set(problems))


def stage(artifact: Artifact, directory: Path) -> None:
    """Install the artifact's dependencies into `directory`; raise DependencyConflict if they do not hold."""
    reqs = requirements(artifact.extras)
    resolved: dict[str, dict[str, Any]] = {canonicalize_name(m["name"]): m for m in resolve(reqs)}
    ours = [r for r in reqs if _name(r) != PROVIDED_BY_LAMBDA]
    runtime = closure([PROVIDED_BY_LAMBDA], resolved)
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text("".join(f"{m['name']}=={m['version']}\n" for m in resolved.values()))
        done = _pip("--target", str(directory), "--constraint", str(constraints), *ours)
    if done.returncode:
        raise DependencyConflict(f"pip install for {artifact.name} failed:\n{done.stderr.strip()}")
    runtime_requirements = [r for n in sorted(runtime) for r in resolved[n].get("requires_dist") or []]
    problems = unsatisfied(directory, ours, runtime_requirements=runtime_requirements, runtime_provided=runtime)
    if problems:
        raise DependencyConflict(f"{artifact.name}: dependency conflicts:\n  " + "\n  ".join(problems))


# What no code of ours runs, left out of the staged packages (both artifacts):
# - bytecode caches: Lambda compiles what it imports; caches built here are for another Python;
# - type stubs (*.pyi): read by type checkers only;
# - `tests` folders inside installed packages (numpy's, matplotlib's, ...): never imported at run time;
# - phonenumbers' geocoder, carrier and time-zone lookups with their data (geodata alone is ~40 MB
#   unzipped): handlers/compliance/rules/contact.py only parses, validates and matches numbers
#   (phonenumbers.parse, is_valid_number, PhoneNumberMatcher), and phonenumbers' own modules import
#   geodata/carrierdata/tzdata only from geocoder.py, carrier.py and timezone.py, which nothing imports.
#   Leaving the modules out too makes a future `import phonenumbers.geocoder` fail at once, not on a lookup.
EXCLUDED_DIRS = {"__pycache__"}
EXCLUDED_PACKAGE_DIRS = {"tests"}  # only below a top-level package, never a distribution's own name
EXCLUDED_SUFFIXES = {".pyi", ".pyc"}
EXCLUDED_PATHS = {
    "phonenumbers/geodata",
    "phonenumbers/carrierdata",
    "phonenumbers/tzdata",
    "phonenumbers/geocoder.py",
    "phonenumbers/carrier.py",
    "phonenumbers/timezone.py",
}


def shipped(rel: Path) -> bool:
    """Whether a staged file (path relative to the stage) goes into the zip (see the exclusions above)."""
    parts = rel.parts
    if EXCLUDED_DIRS.intersection(parts) or rel.suffix in EXCLUDED_SUFFIXES:
        return False
    if EXCLUDED_PACKAGE_DIRS.intersection(parts[1:-1]):
        return False
    return not any(rel.as_posix() == p or rel.as_posix().startswith(p + "/") for p in EXCLUDED_PATHS)


def write_zip(artifact: Path, staged: Path) -> tuple[int, int]:
    """Zip the staged wheels (less what `shipped` leaves out) and the code; return (files, unzipped bytes)."""
    count = unzipped = 0
    with zipfile.ZipFile(artifact, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        files = [(p, p.relative_to(staged)) for p in sorted(staged.rglob("*")) if shipped(p.relative_to(staged))]
        for package in CODE:
            for path in sorted((ROOT / package).rglob("*")):
                rel = path.relative_to(ROOT)
                if not SKIP_CODE.intersection(rel.parts) and path.suffix != ".pyc":
                    files.append((path, rel))
        for path, rel in files:
            if path.is_file():
                zf.write(path, rel)
                count += 1
                unzipped += path.stat().st_size
    return count, unzipped


def main() -> int:
    # Both stages first: a conflict in either set fails before any zip is written, and the two zips
    # are then written back to back from the same code.
    stages: dict[Artifact, Path] = {}
    for artifact in ARTIFACTS:
        staged = stages[artifact] = BUILD / ("lambda-" + artifact.name.removesuffix(".zip"))
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        try:
            stage(artifact, staged)
        except DependencyConflict as exc:
            print(f"build_lambda_zip: {exc}", file=sys.stderr)
            return 1
    for artifact, staged in stages.items():
        path = BUILD / artifact.name
        count, unzipped = write_zip(path, staged)
        zipped = path.stat().st_size
        print(
            f"{path.relative_to(ROOT)}: {count} files, {zipped / 1e6:.1f} MB zipped, {unzipped / 1e6:.1f} MB unzipped"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
