"""``python3 -m hpo.report FILE.h5 [-o report.html] [--png DIR]``: see hpo/report/cli.py."""

import sys

from .cli import main

sys.exit(main())
