"""Build build/sellerbot.zip: the function code plus Lambda-compatible wheels.

Wheels are resolved for manylinux x86_64 / CPython 3.12 (the runtime in
serverless.yml), whatever Python runs this script, so no Docker is needed.
boto3 is left out: the Lambda runtime ships it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
STAGE = BUILD / "lambda"
CODE = ["bot", "handlers", "infra"]
SKIP_CODE = {"__pycache__", "fakes"}
RUNTIME_DEPS = [
    "slack-bolt>=1.30,<2",
    "slack-sdk>=3.47,<4",
    "python-amazon-sp-api>=2.1.35,<3",
    "pydantic>=2.10,<3",
    "tenacity>=9",
    "aws-lambda-powertools>=3.37,<4",
    "httpx>=0.27",
    "opencc-python-reimplemented>=0.1.7",
    "matplotlib>=3.9",
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
            *RUNTIME_DEPS,
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
