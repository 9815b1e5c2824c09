"""What an import of one site is: source, destination, state directory and
the exact rsync arguments (pure: inventory in, plan out).

The import runs rsync ON the destination host, pulling from the source over
SSH with the destination's own key. The cockpit's options come first, the
inventory's ``rsync_args`` after them; ``--delete`` only if the inventory
says ``delete = true``, and never on a resume (a resume only adds and
completes files: it never deletes anything on the destination). Verification is a second, dry run with
``--checksum --itemize-changes``: it must list no change.

rsync writes each file to a temporary file first. Killed hard (SIGKILL, a
crash, a reboot) it cannot remove it, and a resume (which never deletes)
would leave it in the site's tree as an extra file. So temporary files go to
the cockpit's own directory next to the destination (``--temp-dir``, on the
same filesystem as a rule), which each run empties first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cockpit.inventory.model import Host, Inventory, Site, Storage

IMPORT_OPTIONS = ("-a", "--info=progress2", "--no-inc-recursive")
VERIFY_OPTIONS = ("-a", "--checksum", "--dry-run", "--itemize-changes", "--stats")
# numbers as digits whatever the inventory's args say (the parsers read them)
DIGITS = "--no-human-readable"
SSH_OPTIONS = ("-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=15")
# rsync's ssh gives up on a source that stopped answering after about 3x [storage] stall_seconds
# (at least a minute): the import shows STALLED for a good while first, instead of the ~10 s
# between the stall threshold and a fixed one-minute keepalive (both 60 s by default)
KEEPALIVE_STALLS = 3
TEMP_DIR_NAME = ".cockpit-import-tmp"
_SAFE_WORD = re.compile(r"^[A-Za-z0-9._@%+=:,/-]+$")


class PlanError(Exception):
    """The inventory does not say enough to import this site (a message for the operator)."""


@dataclass(frozen=True)
class ImportPlan:
    site: str
    source_host: str
    source_path: str  # with a trailing slash: the directory's contents
    destination_host: str
    destination_path: str  # with a trailing slash
    state_dir: str  # the import's own directory on the destination host
    temp_dir: str  # rsync's temporary files, outside the site's tree
    remote_source: str  # user@address:path/ as rsync on the destination is given it
    import_args: tuple[str, ...]
    verify_args: tuple[str, ...]

    @property
    def key(self) -> str:
        return import_key(self.site, self.destination_host)

    @property
    def source_label(self) -> str:
        return f"{self.source_host}:{self.source_path.rstrip('/') or '/'}"

    @property
    def destination_label(self) -> str:
        return f"{self.destination_host}:{self.destination_path.rstrip('/') or '/'}"


def import_key(site: str, destination_host: str) -> str:
    return f"{site}@{destination_host}"


def importable(site: Site) -> bool:
    """A site takes part in imports when it has a ``storage`` directory."""
    return site.storage is not None


def default_destination(site: Site) -> str:
    """Where a site's /storage is imported to: its standby, else its own host."""
    return site.standby or site.host


def source_host_name(site: Site, storage: Storage) -> str | None:
    return site.storage_source or storage.source


def keepalive_count(stall_seconds: float) -> int:
    """ServerAliveCountMax: unanswered 15 s keepalives before ssh drops a hung source."""
    return max(4, math.ceil(KEEPALIVE_STALLS * stall_seconds / 15))


def rsh(source: Host, stall_seconds: float = 60.0) -> str:
    """The ``-e`` command rsync on the destination uses to reach the source."""
    words = ["ssh", *SSH_OPTIONS, "-o", f"ServerAliveCountMax={keepalive_count(stall_seconds)}"]
    if source.ssh_port is not None:
        words += ["-p", str(source.ssh_port)]
    if source.ssh_user is not None:
        if not _SAFE_WORD.match(source.ssh_user):
            raise PlanError(f"host {source.name}: ssh_user {source.ssh_user!r} cannot be passed to rsync -e")
        words += ["-l", source.ssh_user]
    return " ".join(words)


def plan_import(inv: Inventory, site_name: str, destination: str | None = None, *,
                resume: bool = False) -> ImportPlan:
    try:
        site = inv.site(site_name)
    except KeyError:
        raise PlanError(f"no site {site_name!r} in the inventory") from None
    if site.storage is None:
        raise PlanError(f"site {site.name} has no storage directory (set storage = \"/storage/{site.name}\")")
    src_name = source_host_name(site, inv.storage)
    if src_name is None:
        raise PlanError(f"site {site.name}: no source to import from (set [storage] source or the site's "
                        "storage_source)")
    dest_name = destination or default_destination(site)
    try:
        source, dest = inv.host(src_name), inv.host(dest_name)
    except KeyError as e:
        raise PlanError(f"site {site.name}: no host {e.args[0]!r} in the inventory") from None
    if source.name == dest.name:
        raise PlanError(f"site {site.name}: the source {source.name} is also the destination")
    if not _SAFE_WORD.match(source.address):
        raise PlanError(f"host {source.name}: address {source.address!r} cannot be used in an rsync source")
    st = inv.storage
    src_path = f"{st.source_root.rstrip('/')}/{site.name}/"
    dst_path = site.storage.rstrip("/") + "/"
    temp_dir = temp_dir_for(dst_path, site.name)
    extra = list(st.rsync_args)
    common_tail = [DIGITS, "-e", rsh(source, st.stall_seconds)]
    import_args = [*IMPORT_OPTIONS, f"--temp-dir={temp_dir}", *extra, *common_tail]
    if st.bwlimit_kbps > 0:
        import_args.append(f"--bwlimit={st.bwlimit_kbps}")
    if st.delete and not resume:
        import_args.append("--delete")
    verify_args = [*VERIFY_OPTIONS, *extra, *common_tail]
    return ImportPlan(
        site=site.name,
        source_host=source.name,
        source_path=src_path,
        destination_host=dest.name,
        destination_path=dst_path,
        state_dir=f"{st.state_dir.rstrip('/')}/{site.name}",
        temp_dir=temp_dir,
        remote_source=f"{source.address}:{src_path}",
        import_args=tuple(import_args),
        verify_args=tuple(verify_args),
    )


def temp_dir_for(destination_path: str, site: str) -> str:
    """``/storage/acme/`` -> ``/storage/.cockpit-import-tmp/acme`` (never inside the site's tree)."""
    parent = destination_path.rstrip("/").rpartition("/")[0]
    return f"{parent}/{TEMP_DIR_NAME}/{site}"


def candidate_destinations(inv: Inventory) -> dict[str, list[str]]:
    """Host name -> the importable sites whose import may live there (host or standby)."""
    out: dict[str, list[str]] = {}
    for site in inv.sites:
        if not importable(site):
            continue
        for h in dict.fromkeys(x for x in (site.standby, site.host) if x is not None):
            out.setdefault(h, []).append(site.name)
    return out
