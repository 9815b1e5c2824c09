"""The ``[storage]`` section."""

from __future__ import annotations

from cockpit.inventory.model import Host, Storage
from cockpit.inventory.reader import Table, is_absolute_path

# Options that would turn an import into something destructive or break
# progress parsing (--inc-recursive: a files total that keeps growing);
# --delete has its own explicit key.
_FORBIDDEN_ARGS = ("--delete", "--del", "--remove-source-files", "--info", "--inplace", "-e", "--rsh",
                   "--inc-recursive", "--i-r")


def read_storage(t: Table | None, hosts: dict[str, Host]) -> Storage:
    if t is None:
        return Storage()
    source = t.text("source", None)
    if source is not None and source not in hosts:
        raise t.error("source", "expected the name of a host in [[hosts]]", source)
    root = t.text("source_root", "/backup/storage", what="an absolute path")
    if not is_absolute_path(root):
        raise t.error("source_root", "expected an absolute path", root)
    args = t.str_list("rsync_args", ["--partial", "--numeric-ids"], what="an rsync option")
    for i, arg in enumerate(args):
        if not arg.startswith("-") or any(arg == f or arg.startswith(f + "=") or
                                          (f.startswith("--del") and arg.startswith("--del"))
                                          for f in _FORBIDDEN_ARGS):
            raise t.error(f"rsync_args[{i}]",
                          "expected an rsync option that neither deletes nor changes how the cockpit "
                          "runs and reads the copy (use delete = true for --delete)", arg)
    state_dir = t.text("state_dir", "/var/lib/cockpit/imports", what="an absolute path")
    if not is_absolute_path(state_dir):
        raise t.error("state_dir", "expected an absolute path", state_dir)
    s = Storage(
        source=source,
        source_root=root.rstrip("/") or "/",
        rsync_args=tuple(args),
        bwlimit_kbps=t.integer("bwlimit_kbps", 0, lo=0),
        stall_seconds=t.number("stall_seconds", 60.0, positive=True),
        delete=t.flag("delete", False),
        state_dir=state_dir.rstrip("/"),
    )
    t.finish()
    return s
