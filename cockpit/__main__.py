"""``python -m cockpit``: the engine CLI without the dashboard (scripts, tests)."""

import sys

from cockpit.cli.main import main

sys.exit(main())
