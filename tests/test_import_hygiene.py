"""The engine (``cockpit``) never imports the UI: no textual, no rich, no screens/widgets.

Every cockpit module is imported in a fresh interpreter, then sys.modules is
inspected (``lint-imports`` checks the same contract statically).
"""

from __future__ import annotations

import json
import subprocess
import sys

CHECK = """
import importlib, json, pkgutil, sys
import cockpit
names = [m.name for m in pkgutil.walk_packages(cockpit.__path__, "cockpit.") if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
ui = sorted(n for n in sys.modules if n.split(".")[0] in ("textual", "rich", "screens", "widgets"))
print(json.dumps({"modules": names, "ui": ui}))
"""


def test_importing_every_cockpit_module_loads_no_ui_library() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.splitlines()[-1])
    assert "cockpit.engine.engine" in result["modules"] and "cockpit.cli.main" in result["modules"]
    assert result["ui"] == []


def test_the_ui_package_does_load_textual() -> None:
    """Guards the check above against passing vacuously."""
    code = "import sys, screens.app; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert out.stdout.strip() == "True", out.stderr
