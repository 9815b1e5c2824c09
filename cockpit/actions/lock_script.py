"""The shell side of remote locks (POSIX sh + util-linux ``flock``, run over SSH).

A lock named N on a host is the directory ``/run/cockpit/locks/N`` holding an
``owner`` file (one JSON line: user@machine, pid, since, action). /run is a
tmpfs, so a lock can be taken on a host whose root went read-only, and a
reboot (which ends every action on it) clears it.

Liveness: the process that made the directory keeps ``N.live`` flock'ed for
as long as it holds the lock. It is the SSH session of the owning cockpit: if
that cockpit dies (or its connection drops), the session reads EOF and exits,
the flock goes, and the directory stays behind: a STALE lock, which only an
explicit confirm breaks. Everything happens while holding the flock, so two
cockpits racing see exactly one ACQUIRED.

Output: one ``COCKPIT-LOCK STATE`` line (ACQUIRED, LIVE, STALE, BROKEN, FREE,
ERROR), the owner line where there is one, and for a held lock, ``RELEASED``
when the cockpit writes ``release`` on stdin.
"""

from __future__ import annotations

import shlex

LOCK_DIR = "/run/cockpit/locks"
TAG = "COCKPIT-LOCK"

_PROLOGUE = """\
D={dir}; L="$D"/{name}
umask 077
mkdir -p "$D" 2>/dev/null || {{ echo "{tag} ERROR cannot create $D"; exit 0; }}
exec 9>>"$L.live" || {{ echo "{tag} ERROR cannot open $L.live"; exit 0; }}
"""

# Waits (a few seconds at most) for a racing winner to write its owner line.
_REPORT_LIVE = """\
i=0
while [ ! -s "$L/owner" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
echo "{tag} LIVE"; cat "$L/owner" 2>/dev/null; echo; exit 0
"""

ACQUIRE = _PROLOGUE + """\
if ! flock -n 9; then
""" + _REPORT_LIVE + """\
fi
if [ -d "$L" ]; then
  if [ -z {expected} ] || [ "$(cat "$L/owner" 2>/dev/null)" != {expected} ]; then
    echo "{tag} STALE"; cat "$L/owner" 2>/dev/null; echo; exit 0
  fi
  rm -f "$L/owner" && rmdir "$L" || {{ echo "{tag} ERROR cannot remove the stale $L"; exit 0; }}
  echo "{tag} BROKEN"
fi
mkdir "$L" || {{ echo "{tag} ERROR cannot create $L"; exit 0; }}
printf '%s\\n' {owner} > "$L/owner.tmp" && mv "$L/owner.tmp" "$L/owner" || {{
  rm -rf "$L"; echo "{tag} ERROR cannot write $L/owner"; exit 0; }}
echo "{tag} ACQUIRED"
while read -r line; do
  if [ "$line" = release ]; then
    rm -f "$L/owner"; rmdir "$L"; echo "{tag} RELEASED"; exit 0
  fi
done
exit 0
"""

# Reads only: creates nothing on the host (a dry run or a plan leaves no trace).
PROBE = """\
D={dir}; L="$D"/{name}
if [ -e "$L.live" ] && exec 9<"$L.live" && ! flock -n 9; then
""" + _REPORT_LIVE + """\
fi
if [ -d "$L" ]; then echo "{tag} STALE"; cat "$L/owner" 2>/dev/null; echo; exit 0; fi
echo "{tag} FREE"
"""


# A held lock whose holder could not say RELEASED in time (a loaded host, a dropped channel): the
# cockpit that owns it removes it here, only if the owner line is still its own, and after the old
# holder's flock has gone (it exits on EOF), so a lock taken since by someone else is never touched.
RELEASE_MINE = """\
D={dir}; L="$D"/{name}
[ -d "$L" ] || {{ echo "{tag} RELEASED"; exit 0; }}
exec 9>>"$L.live" || {{ echo "{tag} ERROR cannot open $L.live"; exit 0; }}
flock -w {wait} 9 || {{ echo "{tag} LIVE"; exit 0; }}
[ -d "$L" ] || {{ echo "{tag} RELEASED"; exit 0; }}
if [ "$(cat "$L/owner" 2>/dev/null)" = {owner} ]; then
  rm -f "$L/owner"; rmdir "$L" && {{ echo "{tag} RELEASED"; exit 0; }}
  echo "{tag} ERROR cannot remove $L"; exit 0
fi
echo "{tag} STALE"
"""


def release_mine_command(name: str, owner_line: str, wait: int) -> str:
    script = RELEASE_MINE.format(dir=shlex.quote(LOCK_DIR), name=shlex.quote(name), tag=TAG,
                                 owner=shlex.quote(owner_line), wait=int(wait))
    return "sh -c " + shlex.quote(script)


def acquire_command(name: str, owner_line: str, break_owner_line: str | None) -> str:
    script = ACQUIRE.format(dir=shlex.quote(LOCK_DIR), name=shlex.quote(name), tag=TAG,
                            owner=shlex.quote(owner_line), expected=shlex.quote(break_owner_line or ""))
    return "sh -c " + shlex.quote(script)


def probe_command(name: str) -> str:
    script = PROBE.format(dir=shlex.quote(LOCK_DIR), name=shlex.quote(name), tag=TAG)
    return "sh -c " + shlex.quote(script)


def lock_path(name: str) -> str:
    return f"{LOCK_DIR}/{name}"
