"""`python -m bot.cli ...` runs the `sellerbot` command (for environments without the console script)."""

import sys

from bot.cli import main

sys.exit(main())
