"""``python -m cockpit.lab ARGS`` is ``cockpit lab ARGS``."""

import sys

from cockpit.cli.main import main

sys.exit(main(["lab", *sys.argv[1:]]))
