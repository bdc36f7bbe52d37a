"""``python -m application`` runs the conclusio command line."""

import sys

from application.cli import main

sys.exit(main())
