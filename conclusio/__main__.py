"""``python -m conclusio`` runs the CLI."""

import sys

from conclusio.cli import main

sys.exit(main())
