"""The shape of an action. Each action module subclasses :class:`Action`:

* class attributes say who it is: ``name`` (the CLI name, a contract),
  ``binding`` (the key's binding id in :mod:`cockpit.keymap`), the target
  kinds it takes, and how it is confirmed (``confirm``: False only for
  harmless actions; ``typed``: destructive or fleet-wide, the engineer types
  the target's name);
* :meth:`Action.plan` runs the preconditions (real checks, read-only) and
  returns the :class:`~cockpit.actions.model.Plan`: steps with their exact
  commands, the verification and the rollback notes. It must do NO damage:
  it runs even in ``--dry-run``. It raises :class:`NotAvailable` for an
  action whose engine part is not built yet.

Steps must be idempotent: a re-run after a crash or a failure continues or
does nothing, and never repeats damage. The runner
(:mod:`cockpit.actions.service`) does the rest: the read-only gate, locks,
audit, live status, verification.
"""

from __future__ import annotations

from typing import ClassVar

from cockpit.actions.context import ActionContext
from cockpit.actions.locks import LockSpec
from cockpit.actions.model import Plan
from cockpit.actions.targets import Target, TargetKind


class Action:
    name: ClassVar[str] = ""
    binding: ClassVar[str] = ""
    title: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    kinds: ClassVar[tuple[TargetKind, ...]] = (TargetKind.HOST,)
    confirm: ClassVar[bool] = True
    typed: ClassVar[bool] = False

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        raise NotImplementedError

    @property
    def target_usage(self) -> str:
        return " or ".join({TargetKind.HOST: "HOST", TargetKind.SITE: "SITE",
                            TargetKind.TABLE: "SITE.TABLE"}[k] for k in self.kinds)


def host_lock(host: str) -> LockSpec:
    """The lock of actions on a host as a machine (cron...), kept on that host."""
    return LockSpec(host, f"host.{host}")


def site_lock(host: str, site: str) -> LockSpec:
    """The lock of actions on a site, kept on the host the action works on."""
    return LockSpec(host, f"site.{site}")
