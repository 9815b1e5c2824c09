"""failover-site and failover-host: point sites at their standby.

failover-site: preconditions on the standby (answers, the site's database
there with every table passing CHECK TABLE, a public address, a DNS update
server), the /storage import state shown; then a TSIG-signed RFC 2136 update
replacing the site's A/AAAA with the standby's address, TTL kept
(:func:`cockpit.dns.update.replace_site_address`; with ``[dns] failover_ttl``
a longer TTL is first lowered to it, addresses unchanged, and the new record
gets it too, so a fail-back is quick), and the site's current host
recorded as the standby (:mod:`cockpit.engine.placement`, persisted).
Verification: the primary nameserver answers the new address. A re-run
after a crash redoes only what is not done (the update replaces, the record
overwrites: nothing is repeated twice in effect).

failover-host: every site of the host, each as its own failover-site (its
own plan, lock, audit and outcome), a few at a time; one site's failure does
not stop the others, and the outcome of every site is reported.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from cockpit.actions import standby_checks, ttl_memory
from cockpit.actions.base import Action, site_lock
from cockpit.actions.context import ActionContext
from cockpit.actions.locks import LockSpec
from cockpit.actions.model import ActionRun, Check, Plan, RunState, StepFailed, StepSpec
from cockpit.actions.targets import Target, TargetKind
from cockpit.dns.targets import site_name
from cockpit.dns.update import DnsUpdateError, current_records, primary_answer, replace_site_address
from cockpit.engine import placement
from cockpit.untrusted import printable
from cockpit.wording import count, noun

CONCURRENCY = 4


class FailoverSite(Action):
    name = "failover-site"
    binding = "failover_site"
    title = "Fail over site"
    summary = ("Point a site at its standby: a TSIG-signed DNS update of its A/AAAA to the standby's public "
               "address (TTL kept); the standby becomes the site's current host")
    kinds = (TargetKind.SITE,)
    typed = True

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        site, inv = target.site, ctx.engine.inventory
        assert site is not None
        standby = site.standby
        checks = [Check(f"site {site.name} has a standby in the inventory", standby is not None,
                        standby or "add standby = \"HOST\" to its [[sites]] entry")]
        dns_ok = inv.dns is not None and inv.dns.update is not None
        checks.append(Check("the inventory has a DNS update server ([dns.update])", dns_ok,
                            f"{inv.dns.update.server}" if inv.dns and inv.dns.update else "add [dns.update]"))
        if standby is None or not dns_ok:
            return Plan(self.name, target, self.summary, checks=tuple(checks))
        assert inv.dns is not None and inv.dns.update is not None
        sb = inv.host(standby)
        new = tuple(a for a in (sb.public_ip, sb.public_ipv6) if a)
        checks.append(Check(f"{standby} has a public address", bool(new), ", ".join(new) or "add public_ip"))
        checks.append(await standby_checks.answers(ctx, standby))
        if checks[-1].ok:
            checks.append(await standby_checks.database_sound(ctx, standby, site))
        try:
            await ctx.engine.transfers.poll()
        except Exception as e:  # shown only: never blocks a failover
            checks.append(Check("/storage import (shown; not required)", True, f"unknown: {printable(str(e))}"))
        else:
            checks.append(standby_checks.storage_state(ctx, site))
        name = site_name(site, inv.dns.zone)
        server = inv.dns.update.server
        try:
            current = await current_records(server, inv.dns.update.port, name, 5.0)
            now, ttl_now = current.addresses, current.ttl
            checks.append(Check(f"{server} answers for {name}", True,
                                (", ".join(now) or "no address") + (f" (TTL {ttl_now} s)" if ttl_now else "")))
        except DnsUpdateError as e:
            now, ttl_now = (), None
            checks.append(Check(f"{server} answers for {name}", False, str(e)))
        steps, notes, ttl_rollback = [], [], []
        # a run that crashed after lowering the TTL left the short one on the server: caches may still
        # hold the answer with the ORIGINAL TTL, which that run wrote down before lowering it
        lowered_before = ttl_memory.original_ttl(ctx.state.load(), site.name, now) if now else None
        original = max(ttl_now or 0, lowered_before or 0) or ttl_now
        lower = lower_ttl(inv.dns.failover_ttl, original) if now else None
        if set(now) != set(new):
            if lower is not None:
                if ttl_now != lower:
                    steps.append(self._lower_ttl_step(name, now, lower, original, server))
                else:
                    notes.append(f"The TTL of {name} was already lowered from {original} s to {lower} s by an "
                                 "earlier run that did not finish: not lowered again")
                notes.append(f"TTL lowered from {original} s to {lower} s first ([dns] failover_ttl): a later "
                             f"fail-back propagates within {lower} s; caches that already hold the old answer "
                             f"keep it up to {original} s (the DNS pane's \"done by\" counts with it)")
                ttl_rollback.append(f"The TTL of {name} was {original} s before this failover (lowered to {lower} s "
                                    f"for it): set it back to {original} s once the site stays where it is.")
            steps.append(self._dns_step(name, new, server, standby, ttl=lower, cached_ttl=original))
        else:
            notes.append(f"{name} already points at {standby}: no DNS change")
        previous = target.host.name
        steps.append(self._placement_step(site.name, standby, previous))

        async def verify(ctx: ActionContext) -> list[Check]:
            got = await primary_answer(ctx.engine.inventory, site)
            moved = placement.current_host(ctx.state.load(), site, ctx.engine.inventory)
            return [Check(f"the primary nameserver answers {', '.join(new)} for {name}", set(got) == set(new),
                          ", ".join(got) or "no address"),
                    Check(f"the engine's state says {site.name} runs on {standby}", moved == standby, moved)]

        return Plan(
            self.name, target, self.summary, checks=tuple(checks), steps=tuple(steps), notes=tuple(notes),
            locks=(site_lock(standby, site.name),),
            verification=(f"{inv.dns.update.server} answers {', '.join(new)} for {name}",
                          f"the engine's state says {site.name} runs on {standby}",
                          "then the DNS pane tracks propagation to every nameserver and resolver"),
            rollback=(f"Nothing is deleted: {previous} keeps its copy of the site. To go back, run failover-site "
                      f"again after pointing the inventory's standby at {previous}, or fix DNS by hand.",
                      "If the DNS update failed, nothing changed: fix the cause shown and run it again.",
                      *ttl_rollback),
            verify=verify,
        )

    @staticmethod
    def _dns_step(name: str, new: tuple[str, ...], server: str, standby: str, *, ttl: int | None,
                  cached_ttl: int | None) -> StepSpec:
        ttl_text = "<TTL kept>" if ttl is None else str(ttl)

        async def run(ctx: ActionContext) -> str:
            assert ctx.run is not None
            site = ctx.run.plan.target.site
            assert site is not None
            try:
                result = await replace_site_address(ctx.engine.inventory, site, host=standby, ttl=ttl,
                                                    state=ctx.state, cached_ttl=cached_ttl)
            except DnsUpdateError as e:
                raise StepFailed(str(e)) from None
            ttl_memory.forget(ctx.state, site.name)  # moved: the recorded change keeps the old TTL now
            return result.describe()

        return StepSpec(f"Send a TSIG-signed DNS update: {name} -> {', '.join(new)} "
                        + ("(the old TTL kept)" if ttl is None else f"(TTL {ttl} s)"),
                        _nsupdate(server, name, new, ttl_text), None, run)

    @staticmethod
    def _lower_ttl_step(name: str, now: tuple[str, ...], ttl: int, was: int | None, server: str) -> StepSpec:
        async def run(ctx: ActionContext) -> str:
            assert ctx.run is not None
            site = ctx.run.plan.target.site
            assert site is not None
            if was is not None:  # written down first: a crash after the update must not lose it
                ttl_memory.remember(ctx.state, site.name, name, now, original=was, lowered=ttl)
            try:  # the same addresses, a shorter TTL; not a move: not recorded as a DNS change
                result = await replace_site_address(ctx.engine.inventory, site, addresses=now, ttl=ttl)
            except DnsUpdateError as e:
                raise StepFailed(str(e)) from None
            return f"{result.name}: TTL {result.old_ttl} s -> {result.ttl} s ({', '.join(result.new_addresses)})"

        return StepSpec(f"Lower the TTL of {name} from {was} s to {ttl} s first (addresses unchanged)",
                        _nsupdate(server, name, now, str(ttl)), None, run)

    @staticmethod
    def _placement_step(site: str, standby: str, previous: str) -> StepSpec:
        async def run(ctx: ActionContext) -> str:
            if previous != standby:
                placement.record_move(ctx.state, site, standby, previous=previous)
            return f"{site} now runs on {standby} (was {previous}); persisted in the state file"

        return StepSpec(f"Record that {site} now runs on {standby} (the engine's state, persisted)",
                        (f"state.json: site_hosts.{site} = {standby}",), None, run)


def lower_ttl(failover_ttl: int | None, ttl_now: int | None) -> int | None:
    """The TTL to lower to before the address changes; None: keep the TTL (not asked, or not longer)."""
    if failover_ttl is None or ttl_now is None or ttl_now <= failover_ttl:
        return None
    return failover_ttl


def _nsupdate(server: str, name: str, addresses: tuple[str, ...], ttl: str) -> tuple[str, ...]:
    return (f"nsupdate -y <key from the inventory> (TSIG) to {server}:",
            f"  update delete {name}. A", f"  update delete {name}. AAAA",
            *(f"  update add {name}. {ttl} {'AAAA' if ':' in a else 'A'} {a}" for a in addresses), "  send")


class FailoverHost(Action):
    name = "failover-host"
    binding = "failover_host"
    title = "Fail over host"
    summary = "Fail over every site of a host to its standby, a few at a time, reporting every site's outcome"
    kinds = (TargetKind.HOST,)
    typed = True
    concurrency: ClassVar[int] = CONCURRENCY

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        host = target.host.name
        moved = ctx.service.site_hosts()
        sites = [s for s in ctx.engine.inventory.sites if moved.get(s.name, s.host) == host]
        with_standby = [s for s in sites if s.standby]
        checks = [Check(f"{host} has sites to fail over", bool(with_standby),
                        f"{len(with_standby)} of {count(len(sites), 'site')} "
                        f"{noun(len(with_standby), 'has', 'have')} a standby: "
                        + ", ".join(f"{s.name} -> {s.standby}" for s in with_standby) if sites else
                        "no site runs on it")]
        standbys = sorted({s.standby for s in with_standby if s.standby})
        names = [s.name for s in with_standby]

        async def run(ctx: ActionContext) -> str:
            return await self._run_sites(ctx, names)

        step = StepSpec(f"Fail over {count(len(names), 'site')}, {self.concurrency} at a time, each as failover-site "
                        "with its own preconditions, lock and audit; one failure does not stop the others",
                        tuple(f"failover-site {n}" for n in names), None, run)

        async def verify(ctx: ActionContext) -> list[Check]:
            assert ctx.run is not None
            return [Check(f"failover-site {c.target}", c.ok, c.outcome) for c in ctx.run.children]

        return Plan(
            self.name, target, self.summary, checks=tuple(checks), steps=(step,) if names else (),
            locks=tuple(LockSpec(sb, f"failover-host.{host}") for sb in standbys),
            notes=tuple(f"{s.name} has no standby: it is left alone" for s in sites if not s.standby),
            verification=("every site's failover is done and verified",),
            rollback=("Each site is independent: a failed one keeps its old address; run failover-site SITE again "
                      "once its cause is fixed (done sites are not changed twice).",),
            verify=verify,
        )

    async def _run_sites(self, ctx: ActionContext, names: list[str]) -> str:
        limit = asyncio.Semaphore(self.concurrency)

        async def one(name: str) -> tuple[str, bool]:
            async with limit:
                try:
                    child: ActionRun = await ctx.service.run_child(ctx, "failover-site", name)
                except Exception as e:  # a refusal while planning (not available, target...) is an outcome too
                    return f"{name}: refused: {printable(str(e), 300)}", False
                return f"{name}: {child.outcome}", child.state is RunState.DONE

        results = await asyncio.gather(*(one(n) for n in names))
        failed = [line for line, ok in results if not ok]  # by the run's state, never by its wording
        text = "\n".join(line for line, _ in results)
        if failed:
            raise StepFailed(f"{len(failed)} of {count(len(names), 'site')} not failed over", text)
        return text
