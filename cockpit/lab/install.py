"""Check for the lab's system tools and install missing Debian packages."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable

from cockpit.lab.errors import LabError

# Debian package -> what the lab runs from it
BASE_PACKAGES: dict[str, tuple[str, ...]] = {
    "iproute2": ("ip",),
    "util-linux": ("unshare", "nsenter", "setpriv", "losetup", "mount", "umount"),
    "e2fsprogs": ("mkfs.ext4", "e2fsck"),
    "coreutils": ("seq", "install"),
    "findutils": ("xargs",),
    "procps": ("ps",),
    "rsync": ("rsync",),
}


def require_root() -> None:
    if os.geteuid() != 0:
        raise LabError("the lab needs root (network and mount namespaces, loop devices): run it as root")


def missing_packages(packages: Iterable[str]) -> list[str]:
    pkgs = sorted(set(packages))
    if not pkgs:
        return []
    p = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Status}\\n", *pkgs],
                       capture_output=True, text=True, check=False)
    installed = {line.split()[0] for line in p.stdout.splitlines() if line.endswith("install ok installed")}
    return [x for x in pkgs if x not in installed]


def ensure_packages(packages: Iterable[str], echo: Callable[[str], None]) -> None:
    if shutil.which("dpkg-query") is None:
        return  # not Debian: rely on the tool check
    missing = missing_packages(packages)
    if not missing:
        return
    echo(f"installing {' '.join(missing)} (apt)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in (["apt-get", "update", "-qq"],
                 ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        p = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        if p.returncode != 0:
            last = (p.stderr.strip().splitlines() or ["failed"])[-1]
            raise LabError(f"{' '.join(argv[:2])}: {last}")


def require_tools(tools: Iterable[str]) -> None:
    missing = [t for t in tools if (shutil.which(t) if not t.startswith("/") else
                                    (t if os.access(t, os.X_OK) else None)) is None]
    if missing:
        raise LabError(f"missing tools for the lab: {', '.join(missing)}")


def require_netns() -> None:
    p = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise LabError(f"`ip netns` does not work here: {p.stderr.strip()}")
