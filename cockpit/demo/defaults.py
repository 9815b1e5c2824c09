"""The demo's defaults, in a module that imports nothing: the CLI shows them in
``cockpit demo --help`` and must not import the lab to do so (every
``cockpit status`` builds the same parser)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_DIR = Path("/tmp/cockpit-demo")  # noqa: S108 (root-owned lab dir, created 0700 by the lab)
DEFAULT_SITES = 20
DEFAULT_TTL = 30  # seconds: scaled down so propagation finishes within the demo
DEFAULT_BWLIMIT = 400  # KiB/s per /storage import: a site's ~3 MiB takes some 8 s, long enough to watch
