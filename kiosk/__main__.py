"""``python -m kiosk`` runs the ``kiosk`` command."""

import sys

from kiosk.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
