"""The one shell command the disk probe sends to a host per sweep.

Every ssh command pays the remote shell's start-up cost (a ``.bashrc`` that
runs ``pyenv init`` costs ~95 ms), so all disk facts come back from a single
round trip, as sections::

    @@cockpit:<nonce>:begin:<name>@@      stdout of the section's command
    @@cockpit:<nonce>:stderr:<name>@@     its stderr (at most 4 KiB)
    @@cockpit:<nonce>:end:<name>:<rc>@@   its exit status
    @@cockpit:<nonce>:absent:mdstat@@     /proc/mdstat does not exist (no md driver: "no RAID")

Each marker sits on a line of its own (the script prints a newline before it).
The nonce is random per sweep, so host output cannot forge a boundary.

The script is POSIX sh (Debian's dash) and is handed to ``/bin/sh -c`` on one
line, so the user's login shell (bash, zsh, even csh) only sees one quoted
word. It writes no file (the root filesystem may be read-only: that is the
case we look for), runs everything under ``LC_ALL=C`` (df headers and error
messages are parsed), bounds every section's output, and cannot hang on a
missing tool (that is exit status 127). ``df`` can hang on a dead network
mount, so it runs under ``timeout`` when there is one; when it times out, the
local filesystems are measured again with ``df -l`` (sections ``df_local`` and
``dfi_local``). When dmesg cannot be read (``kernel.dmesg_restrict`` for a
non-root user), journalctl is tried instead.

journalctl runs without ``-q`` on purpose: with ``-q`` a user who may not read
the system journal gets empty output and exit status 0, which would look like
"no kernel errors"; without it journalctl says so on stderr and the parser
reports the log as unreadable.
"""

from __future__ import annotations

import re
import secrets
import shlex

from cockpit.disk.sections import Section, split_sections

__all__ = ["MARKER_PREFIX", "SECTIONS", "Section", "build_command", "new_nonce", "split_sections"]

MARKER_PREFIX = "@@cockpit:"
SECTIONS = ("mounts", "fstab", "df", "dfi", "df_local", "dfi_local", "mdstat", "dmesg", "journal")

_NONCE = re.compile(r"[0-9a-f]{8,64}")

STDOUT_LIMIT = 262144  # per section (/proc/mounts of a busy container host is well under this)
STDERR_LIMIT = 4096
KERNEL_LINES = 200
KERNEL_BYTES = 65536
DF_TIMEOUT = 3  # seconds; SIGKILL one second later (an NFS wait is killable)
DF_LOCAL_TIMEOUT = 1  # df -l never stats network mounts; worst case 4 + 2 + 2 s


def new_nonce() -> str:
    return secrets.token_hex(8)


def build_command(nonce: str, *, df_timeout: int = DF_TIMEOUT, df_local_timeout: int = DF_LOCAL_TIMEOUT) -> str:
    """The command line for ``ssh host <command>``; ``nonce`` from :func:`new_nonce`.

    Worst case on a host with a hung network mount: ``df_timeout`` + 1 s for
    ``df -P``, then ``df_local_timeout`` + 1 s for each local retry; keep the
    sum under the inventory's command_timeout (default 10 s).
    """
    if not _NONCE.fullmatch(nonce):
        raise ValueError("nonce must be 8 to 64 lowercase hex digits (secrets.token_hex)")
    if not (0 < df_timeout <= 60 and 0 < df_local_timeout <= 60):
        raise ValueError("df timeouts must be 1 to 60 seconds")
    return "exec /bin/sh -c " + shlex.quote(_script(nonce, int(df_timeout), int(df_local_timeout)))


def _script(nonce: str, df_timeout: int, df_local_timeout: int) -> str:
    m = f"{MARKER_PREFIX}{nonce}"
    lines = [
        "LC_ALL=C; export LC_ALL",
        "PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH",
        f"M='{m}'",
        "NL=$(printf '\\nx'); NL=${NL%x}",
        "exec 4>&1",
        f"lim() {{ head -c {STDOUT_LIMIT}; }}",
        f"klim() {{ tail -n {KERNEL_LINES} | head -c {KERNEL_BYTES}; }}",
        # run NAME FILTER CMD...: stdout through FILTER to the real stdout (fd 4);
        # stderr and then the exit status into $e (fd 5 -> outer substitution);
        # the exit status itself through fd 6 (inner substitution).
        "run() {"
        " n=$1; f=$2; shift 2;"
        " printf '\\n%s:begin:%s@@\\n' \"$M\" \"$n\";"
        " e=$( { r=$( { { \"$@\" </dev/null 2>&5 4>&- 5>&- 6>&-; echo \"$?\" >&6; } | $f >&4; } 6>&1 );"
        " printf '\\n%s' \"$r\"; } 5>&1 );"
        " RC=${e##*\"$NL\"}; e=${e%\"$NL\"*};"
        " printf '\\n%s:stderr:%s@@\\n' \"$M\" \"$n\";"
        f" printf '%s' \"$e\" | head -c {STDERR_LIMIT};"
        " printf '\\n%s:end:%s:%s@@\\n' \"$M\" \"$n\" \"$RC\"; }",
        "T=''; T2=''",
        "if command -v timeout >/dev/null 2>&1 && timeout -k 1 1 true >/dev/null 2>&1;"
        f" then T='timeout -k 1 {df_timeout}'; T2='timeout -k 1 {df_local_timeout}'; fi",
        "run mounts lim cat /proc/mounts",
        "run fstab lim cat /etc/fstab",
        "run df lim $T df -P",
        "case $RC in 124|137) run df_local lim $T2 df -Pl; run dfi_local lim $T2 df -Pil;;"
        " *) run dfi lim $T df -Pi;; esac",
        "if [ -e /proc/mdstat ]; then run mdstat lim cat /proc/mdstat;"
        " else printf '\\n%s:absent:mdstat@@\\n' \"$M\"; fi",
        "run dmesg klim dmesg --level=err,crit,alert,emerg",
        f"if [ \"$RC\" != 0 ]; then run journal klim journalctl -k -p err --no-pager -n {KERNEL_LINES}; fi",
        "exit 0",
    ]
    return "; ".join(lines)
