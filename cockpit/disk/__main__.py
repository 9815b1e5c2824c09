"""Hand check of the disk probe on THIS machine: ``python -m cockpit.disk [--mount PATH ...]``.

Runs the exact command the engine sends over ssh, locally through ``/bin/sh``,
then split + parse + evaluate, and prints the ``status --json`` disk parts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from cockpit.disk.command import build_command, new_nonce
from cockpit.disk.evaluate import report_from_output
from cockpit.disk.to_json import kernel_json, mount_json, raid_json
from cockpit.inventory.model import Host


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit.disk", description=__doc__)
    parser.add_argument("--mount", action="append", default=[], help="a mount the inventory would list")
    args = parser.parse_args(argv)
    nonce = new_nonce()
    done = subprocess.run(["/bin/sh", "-c", build_command(nonce)], capture_output=True, timeout=30, check=False)
    report = report_from_output(done.stdout, nonce, Host(name="localhost", address="127.0.0.1",
                                                         mounts=tuple(args.mount)))
    json.dump({
        "severity": report.severity.value,
        "mounts": [mount_json(m) for m in report.mounts],
        "raid": [raid_json(r) for r in report.raid],
        "kernel_errors": kernel_json(report.kernel),
        "probe_errors": list(report.errors),
        "output_bytes": len(done.stdout),
    }, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return report.severity.exit_code


if __name__ == "__main__":
    sys.exit(main())
