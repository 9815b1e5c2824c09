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

The script is POSIX sh (Debian's dash). A new SSH session hands it to
``/bin/sh -c`` on one line, so the user's login shell (bash, zsh, even csh)
only sees one quoted word; the host's probe shell (cockpit.transport.shell, a
``/bin/sh`` already) runs it as is, one exec less. Every fork and exec costs
the host CPU on every sweep (on a lab of 50 hosts sharing 2 cores, the first
version's ~50 forks and ~21 execs per probe cost ~58 ms of CPU per host; this
one ~6 ms, bench/sweep_cpu.py): files
are read by ``head`` itself (one byte over the limit marks a cut), a section's
stderr and status come from one command substitution (one fork, one exec), GNU
df gives blocks and inodes in one run, the script is a subshell rather than
another ``sh``, and dmesg's output is held in a variable rather than piped (only
a log longer than ``KERNEL_BYTES`` goes through ``tail -c``: its newest bytes, of
which the parser keeps the newest ``KERNEL_LINES`` whole lines). ``dmesg`` itself
is the dearest part left (~2 ms reading a real ring buffer of ~2,000 records:
the kernel formats each one).

The script's output is held by the shell (a command substitution) until the
script ends, and written at once: sshd sends each small write (~40 markers and
sections) as an SSH packet of its own, and each packet costs the cockpit more
CPU than its bytes do (16 packets per probe became 5; bench/sweep_cpu.py). (It
used to go through ``tail -c``: a pipe, two forks and an exec more, ~0.9 ms of
the host's CPU every probe.) What the shell holds is bounded by the sections'
own limits, and df's output by the host's mount table (the kernel's
``fs.mount-max``, 100,000 by default); the pool's limit (8 MiB by default) cuts
off a larger reply with an error. The shell drops NUL bytes (dash silently,
bash with a warning on stderr): no section holds one legitimately (/proc files
escape theirs; fstab is text), and a file of garbage is garbage either way.

It writes no file (the root filesystem may be read-only: that is the
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

from cockpit.disk.df import OUTPUT_FIELDS
from cockpit.disk.sections import Section, split_sections
from cockpit.transport.shell import sh_command

__all__ = ["MARKER_PREFIX", "SECTIONS", "Section", "build_command", "build_script", "new_nonce", "split_sections"]

MARKER_PREFIX = "@@cockpit:"
SECTIONS = ("mounts", "fstab", "dfo", "df", "dfi", "df_local", "dfi_local", "mdstat", "dmesg", "journal")

_NONCE = re.compile(r"[0-9a-f]{8,64}")

STDOUT_LIMIT = 262144  # per section (/proc/mounts of a busy container host is well under this)
STDERR_LIMIT = 4096
KERNEL_LINES = 200
KERNEL_BYTES = 65536
DF_TIMEOUT = 3  # seconds; SIGKILL one second later (an NFS wait is killable)
DF_LOCAL_TIMEOUT = 1  # df -l never stats network mounts; worst case 4 + 2 + 2 s


def new_nonce() -> str:
    return secrets.token_hex(8)


def build_script(nonce: str, *, df_timeout: int = DF_TIMEOUT, df_local_timeout: int = DF_LOCAL_TIMEOUT) -> str:
    """The probe as a POSIX sh script, for ``SshPool.run(..., sh=True)``; ``nonce`` from :func:`new_nonce`.

    Worst case on a host with a hung network mount: ``df_timeout`` + 1 s for
    ``df -P``, then ``df_local_timeout`` + 1 s for each local retry; keep the
    sum under the inventory's command_timeout (default 10 s).
    """
    if not _NONCE.fullmatch(nonce):
        raise ValueError("nonce must be 8 to 64 lowercase hex digits (secrets.token_hex)")
    if not (0 < df_timeout <= 60 and 0 < df_local_timeout <= 60):
        raise ValueError("df timeouts must be 1 to 60 seconds")
    # one write at the end, not ~40 small ones; the substitution drops the final newline, put back here
    # (the script's output always ends with one marker line)
    return f"o=$( {_script(nonce, int(df_timeout), int(df_local_timeout))} ); printf '%s\\n' \"$o\""


def build_command(nonce: str, *, df_timeout: int = DF_TIMEOUT, df_local_timeout: int = DF_LOCAL_TIMEOUT) -> str:
    """The command line for ``ssh host <command>``, whatever the login shell: :func:`build_script` run by
    ``/bin/sh -c`` (for a host's probe shell, itself a ``/bin/sh``, the script alone saves that exec)."""
    return sh_command(build_script(nonce, df_timeout=df_timeout, df_local_timeout=df_local_timeout))


def _script(nonce: str, df_timeout: int, df_local_timeout: int) -> str:
    m = f"{MARKER_PREFIX}{nonce}"
    lines = [
        "LC_ALL=C; export LC_ALL",
        "PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH",
        f"M='{m}'",
        "exec 4>&1 </dev/null",
        # begin NAME: the section's begin marker; the section's name stays in $n for its end
        "begin() { n=$1; printf '\\n%s:begin:%s@@\\n' \"$M\" \"$n\"; }",
        # end NAME: the section's stderr (from $e, bounded) and end markers (status $RC)
        "end() {"
        " printf '\\n%s:stderr:%s@@\\n' \"$M\" \"$1\";"
        f" if [ ${{#e}} -le {STDERR_LIMIT} ]; then printf '%s' \"$e\";"
        f" else printf '%s' \"$e\" | head -c {STDERR_LIMIT}; fi;"
        " printf '\\n%s:end:%s:%s@@\\n' \"$M\" \"$1\" \"$RC\"; }",
        # run NAME CMD...: stdout straight to the real stdout (fd 4), stderr into $e; an
        # assignment's status is its command substitution's, so one fork and one exec
        "run() {"
        " begin \"$1\"; shift;"
        " e=$(\"$@\" 2>&1 >&4 4>&-); RC=$?; end \"$n\"; }",
        # dlog NAME CMD...: dmesg. Its output is held in a variable, so the common case costs one fork
        # and one exec (a pipe through tail cost two forks and an exec more: ~1.2 ms of a ~8.7 ms
        # probe); what a log longer than KERNEL_BYTES prints goes through tail -c as before, so the
        # section's bytes are the same. Its stderr only matters when it fails (why the log cannot be
        # read), so then it is asked again for it
        "dlog() {"
        " begin \"$1\"; shift;"
        " e=''; k=$(\"$@\" 2>/dev/null 4>&-); RC=$?;"
        " if [ \"$RC\" != 0 ]; then e=$(\"$@\" 2>&1 >/dev/null 4>&-); fi;"
        f" if [ ${{#k}} -lt {KERNEL_BYTES} ]; then [ -z \"$k\" ] || printf '%s\\n' \"$k\";"
        f" else printf '%s\\n' \"$k\" | tail -c {KERNEL_BYTES}; fi; end \"$n\"; }}",
        # klog NAME CMD...: journalctl (stderr counts even when it succeeds: "you cannot see the
        # system's messages"). The log's newest bytes (the parser keeps the newest KERNEL_LINES whole
        # lines of them); the status follows the last '@rc='
        "klog() {"
        " begin \"$1\"; shift;"
        " e=$( { { \"$@\" 2>&3 3>&- 4>&-; printf '@rc=%s' \"$?\" >&3; }"
        f" | tail -c {KERNEL_BYTES} >&4 3>&- 4>&-; }} 3>&1 );"
        " RC=${e##*@rc=}; e=${e%@rc=*}; end \"$n\"; }",
        # timeout(1): coreutils' (a plain file) is used as is; any other one (busybox applets
        # are symlinks) must understand -k, tried once
        "T=''; for t in /usr/bin/timeout /bin/timeout; do"
        " if [ -f $t ] && [ ! -L $t ]; then T=$t; break; fi; done",
        "if [ -z \"$T\" ] && command -v timeout >/dev/null 2>&1 && timeout -k 1 1 true >/dev/null 2>&1;"
        " then T=timeout; fi",
        f"T2=''; if [ -n \"$T\" ]; then T2=\"$T -k 1 {df_local_timeout}\"; T=\"$T -k 1 {df_timeout}\"; fi",
        # files: head reads them itself; one byte over the limit tells the parser it was cut
        f"run mounts head -c {STDOUT_LIMIT + 1} /proc/mounts",
        f"run fstab head -c {STDOUT_LIMIT + 1} /etc/fstab",
        # df: blocks and inodes in one run (GNU df --output); any other df, or a failure that is
        # not a timeout (a mount df cannot stat), runs df -P and df -Pi as well. A df that times
        # out (a hung network mount) is followed by df -l for the local filesystems.
        "local_df() { run df_local $T2 df -Pl; run dfi_local $T2 df -Pil; }",
        f"run dfo $T df -k --output={OUTPUT_FIELDS}",
        "case $RC in 0) ;; 124|137) local_df;;"
        " *) run df $T df -P; case $RC in 124|137) local_df;; *) run dfi $T df -Pi;; esac;; esac",
        f"if [ -e /proc/mdstat ]; then run mdstat head -c {STDOUT_LIMIT + 1} /proc/mdstat;"
        " else printf '\\n%s:absent:mdstat@@\\n' \"$M\"; fi",
        "dlog dmesg dmesg --level=err,crit,alert,emerg",
        f"if [ \"$RC\" != 0 ]; then klog journal journalctl -k -p err --no-pager -n {KERNEL_LINES}; fi",
        "exit 0",
    ]
    return "; ".join(lines)
