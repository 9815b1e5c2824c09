"""Injecting and healing faults, recorded in the lab state so that any later
``cockpit lab heal`` (another process) can undo them. Called under the lab lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit.lab import build, faults, procs
from cockpit.lab.errors import LabError
from cockpit.lab.state import FaultRec

if TYPE_CHECKING:
    from cockpit.lab.lab import Lab


def inject(lab: Lab, host: str, kind: str, argv: list[str]) -> str:
    h = lab.handle(host)
    kinds = faults.kinds_for(h)
    fk = kinds.get(kind)
    if fk is None:
        raise LabError(f"unknown fault {kind!r} for {host} (known: {', '.join(sorted(kinds))})")
    if not fk.min_args <= len(argv) <= fk.max_args:
        usage = f"{kind} {fk.usage}".strip()
        raise LabError(f"fault {kind} takes {fk.usage or 'no arguments'} (usage: lab fault {host} {usage})")
    key = fk.slot_key(argv)
    for old in [f for f in lab.state.faults if f.host == host]:
        ok = kinds.get(old.kind)
        if ok is not None and ok.slot_key(old.args) == key:
            if old.kind == kind and old.args == argv:
                return f"{host}: {kind} is already active"
            heal_one(lab, old)  # one fault per slot: degrade-raid, then resync-raid
    rec = FaultRec(host=host, kind=kind, args=argv)
    with lab.store.lock():  # recorded first: a crash mid-way is still healed
        lab.state.faults.append(rec)
        lab.store.save()
    try:
        data = fk.apply(lab, h, argv)
    except BaseException:
        heal_one(lab, rec, quiet=True)
        raise
    with lab.store.lock():
        rec.data = data
        lab.store.save()
    return f"{host}: {kind} {' '.join(argv)}".rstrip()


def heal(lab: Lab, host: str | None, kind: str | None) -> list[str]:
    if host is not None:
        lab.state.host(host)
    todo = [f for f in reversed(lab.state.faults)
            if (host is None or f.host == host) and (kind is None or f.kind == kind)]
    done: list[str] = []
    errors: list[str] = []
    for rec in todo:
        try:
            heal_one(lab, rec)
            done.append(f"{rec.host}: healed {rec.kind} {' '.join(rec.args)}".rstrip())
        except LabError as e:
            errors.append(f"{rec.host} {rec.kind}: {e}")
    if host is None and kind is None:
        done += restart_dead(lab)
    if errors:
        raise LabError("heal failed: " + "; ".join(errors))
    return done


def heal_one(lab: Lab, rec: FaultRec, quiet: bool = False) -> None:
    """Heal (each heal re-checks what it touches) and forget the record."""
    try:
        h = lab.handle(rec.host)
        fk = faults.kinds_for(h).get(rec.kind)
        if fk is not None:
            fk.heal(lab, h, rec)
    except LabError:
        if not quiet:
            raise
    with lab.store.lock():
        if rec in lab.state.faults:
            lab.state.faults.remove(rec)
        lab.store.save()


def restart_dead(lab: Lab) -> list[str]:
    """Whatever died behind the lab's back: the kernel log router, services."""
    out: list[str] = []
    if not procs.alive(lab.state.klogd):
        build.start_klogd(lab)
        build.wait_klogd(lab)
        out.append("restarted the kernel log router")
    for name in lab.state.hosts:
        h = lab.handle(name)
        for s in faults.host_services(h):
            rec = h.state.running.get(s.name)
            if s.command(lab, h) is not None and (rec is None or not procs.alive(rec.pid)):
                s.stop(lab, h)
                lab.start_service(h, s.name, s)
                out.append(f"{name}: restarted {s.name}")
    return out
