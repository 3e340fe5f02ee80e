"""`python -m kg` runs the command line."""
from __future__ import annotations

import sys

from kg.cli import main

sys.exit(main())
