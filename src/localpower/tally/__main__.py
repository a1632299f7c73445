"""``python -m localpower.tally``: the same command line as ``localpower-tally``."""

import sys

from localpower.tally.cli import main

sys.exit(main())
