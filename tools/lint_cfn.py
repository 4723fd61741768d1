"""Run cfn-lint and fail on errors only.

cfn-lint's exit code is a bit mask: 2 = errors, 4 = warnings, 8 = info.
osls's own HTTP API resources always raise W3005, which is not ours to fix.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    result = subprocess.run([str(Path(sys.executable).with_name("cfn-lint")), *argv])
    if result.returncode & 2 or result.returncode & 1:
        print(f"cfn-lint: errors (exit {result.returncode})", file=sys.stderr)
        return 1
    print(f"cfn-lint: no errors (exit {result.returncode}; warnings/info tolerated)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
