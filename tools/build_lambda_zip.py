"""Build build/sellerbot.zip: the function code plus Lambda-compatible wheels.

Wheels are resolved for manylinux x86_64 / CPython 3.12 (the runtime in
serverless.yml), whatever Python runs this script, so no Docker is needed.
boto3 is left out: the Lambda runtime ships it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
STAGE = BUILD / "lambda"
CODE = ["bot", "handlers", "infra"]
SKIP_CODE = {"__pycache__", "fakes"}
# The Lambda runtime ships boto3 (and botocore); every other runtime dependency is pyproject's.
PROVIDED_BY_LAMBDA = {"boto3"}


def runtime_deps() -> list[str]:
    """[project].dependencies of pyproject.toml, the one list of what the code needs at run time."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        dep for dep in project["dependencies"] if re.split(r"[<>=!~\[ ;]", dep, maxsplit=1)[0] not in PROVIDED_BY_LAMBDA
    ]


def main() -> int:
    shutil.rmtree(STAGE, ignore_errors=True)
    STAGE.mkdir(parents=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--platform",
            "manylinux2014_x86_64",
            "--implementation",
            "cp",
            "--python-version",
            "3.12",
            "--only-binary=:all:",
            "--target",
            str(STAGE),
            *runtime_deps(),
        ],
        check=True,
    )
    artifact = BUILD / "sellerbot.zip"
    count = 0
    with zipfile.ZipFile(artifact, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(STAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(STAGE))
                count += 1
        for package in CODE:
            for path in sorted((ROOT / package).rglob("*")):
                rel = path.relative_to(ROOT)
                if path.is_file() and not SKIP_CODE.intersection(rel.parts) and path.suffix != ".pyc":
                    zf.write(path, rel)
                    count += 1
    size = artifact.stat().st_size
    print(f"{artifact.relative_to(ROOT)}: {count} files, {size / 1e6:.1f} MB zipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
