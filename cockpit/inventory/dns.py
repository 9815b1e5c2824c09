"""The ``[dns]`` section."""

from __future__ import annotations

from cockpit.inventory.model import Dns, DnsUpdate, NameServer
from cockpit.inventory.reader import NAME_RE, Table, is_hostname

ALGORITHMS = ("hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha224", "hmac-sha1", "hmac-md5")


def _servers(t: Table, key: str) -> tuple[NameServer, ...]:
    out: list[NameServer] = []
    seen: set[str] = set()
    for st in t.tables(key):
        ns = NameServer(
            name=st.text("name", pattern=NAME_RE, what="a server name"),
            address=st.ip("address"),
            port=st.integer("port", 53, lo=1, hi=65535),
        )
        st.finish()
        if ns.name in seen:
            raise st.error("name", "expected a unique server name; it is already used", ns.name)
        seen.add(ns.name)
        out.append(ns)
    return tuple(out)


def read_dns(t: Table | None) -> Dns | None:
    if t is None:
        return None
    zone = t.text("zone", what="a DNS zone name")
    if not is_hostname(zone):
        raise t.error("zone", "expected a valid DNS zone name", zone)
    update = None
    ut = t.table("update")
    if ut is not None:
        update = DnsUpdate(
            server=ut.ip("server"),
            port=ut.integer("port", 53, lo=1, hi=65535),
            key_name=ut.text("key_name", "cockpit-key"),
            key_secret_env=ut.text("key_secret_env", "COCKPIT_TSIG_SECRET",
                                  what="an environment variable name"),
            algorithm=ut.choice("algorithm", ALGORITHMS, "hmac-sha256"),
            key_file=ut.text("key_file", None, what="a BIND key file (tsig-keygen output)"),
        )
        ut.finish()
    dns = Dns(
        zone=zone.rstrip("."),
        nameservers=_servers(t, "nameservers"),
        resolvers=_servers(t, "resolvers"),
        timeout=t.number("timeout", 2.0, positive=True, hi=60),
        concurrency=t.integer("concurrency", 256, lo=1, hi=10000),
        refresh=t.number("refresh", 10.0, lo=0.5),
        update=update,
        failover_ttl=t.integer("failover_ttl", None, lo=1, hi=86400),
    )
    t.finish()
    return dns
