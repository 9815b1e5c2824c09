"""named.conf for each lab DNS role (pure text rendering, no I/O).

Roles:

* ``primary``: authoritative, takes TSIG-signed RFC 2136 updates for the zone,
  notifies only the servers it is told to (``notify explicit``), at once
  (``notify-delay 0``);
* ``secondary``: follows the primary as soon as it is notified;
* ``lagging``: a secondary that is never notified and refreshes once a day, so
  it catches up only when told (``rndc retransfer``);
* ``resolver``: a caching recursive resolver that reaches the lab zone through
  a static stub to the lab's nameservers. It is authoritative for an empty
  local root zone, so it never sends a query outside the lab.

``faults`` switch a rendered config into a faulty one:

* ``stale``: a secondary whose primary is an address nobody answers on (it
  refuses the real primary's notifies and cannot refresh: it keeps its zone);
* ``servfail``: a resolver validating the lab zone against a trust anchor it
  cannot match (a DNSSEC failure: every answer for the zone is SERVFAIL);
* ``slow``: a resolver whose upstream never answers (``TARPIT_PORT`` on its
  own loopback), so answers that are not cached take longer than any client waits.
"""

from __future__ import annotations

from collections.abc import Iterable

ROLES = ("primary", "secondary", "lagging", "resolver")
ETC = "/etc/bind/lab"
CONF = f"{ETC}/named.conf"
RNDC_KEY = f"{ETC}/rndc.key"
TSIG_KEY = f"{ETC}/tsig.key"
VAR = "/var/lib/bind/lab"
ZONE_FILE = "zone.db"
ROOT_FILE = "root.db"
NOWHERE = "127.0.0.1 port 9"  # nothing listens there: a primary that never answers
TARPIT_ADDRESS = "127.0.0.2"  # on the resolver's own loopback, port 53: takes queries, never answers

# An ECDSA P-256 key nobody holds: a trust anchor the lab zone (unsigned) can never match.
BOGUS_ANCHOR = "QOtHGHL9NUKTy+1qutDLkT3aJ0JGlWA8pREk1ZELSxByrOxp/ao5P1HAiNxelhDoSSV4QL8dXXQdXq7dM9fc8Q=="


def _list(addresses: Iterable[str]) -> str:
    return " ".join(f"{a};" for a in addresses)


def _options(role: str, allow_transfer: str, faults: frozenset[str]) -> str:
    lines = [
        f'directory "{VAR}";',
        'pid-file "/run/named/named.pid";',
        'session-keyfile "/run/named/session.key";',
        "listen-on { any; };",
        "listen-on-v6 { none; };",
        "allow-query { any; };",
        "querylog no;",
    ]
    if role == "resolver":
        lines += [
            "recursion yes;",
            "allow-recursion { any; };",
            "allow-query-cache { any; };",
            "dnssec-validation yes;" if "servfail" in faults else "dnssec-validation no;",
            "qname-minimization off;",
            "prefetch 0;",  # serve a cached answer until its TTL runs out (BIND refreshes early by default)
            "minimal-responses no;",
        ]
    else:
        lines += [
            "recursion no;",
            "dnssec-validation no;",
            f"allow-transfer {{ {allow_transfer}; }};",
            "notify explicit;" if role == "primary" else "notify no;",
            "notify-delay 0;",
        ]
    return "options {\n" + "".join(f"\t{line}\n" for line in lines) + "};\n"


def _zone(role: str, zone: str, *, primary: str, notify: Iterable[str], upstream: Iterable[str],
          faults: frozenset[str]) -> str:
    if role == "primary":
        also = list(notify)
        body = [
            "type primary;",
            f'file "{ZONE_FILE}";',
            'allow-update { key "cockpit-key"; };',
            "notify explicit;",
        ]
        if also:
            body.append(f"also-notify {{ {_list(also)} }};")
    elif role in ("secondary", "lagging"):
        primaries = NOWHERE if "stale" in faults else primary
        body = [
            "type secondary;",
            f'file "{ZONE_FILE}";',
            f"primaries {{ {primaries}; }};",
            "notify no;",
        ]
        if role == "lagging":
            body += ["min-refresh-time 86400;", "max-refresh-time 86400;",
                     "min-retry-time 86400;", "max-retry-time 86400;"]
    else:
        servers = [TARPIT_ADDRESS] if "slow" in faults else list(upstream)
        body = ["type static-stub;", f"server-addresses {{ {_list(servers)} }};"]
    return f'zone "{zone}" {{\n' + "".join(f"\t{line}\n" for line in body) + "};\n"


def render(role: str, zone: str, *, primary: str = "", notify: Iterable[str] = (), upstream: Iterable[str] = (),
           allow_transfer: str = "any", faults: Iterable[str] = ()) -> str:
    """The complete named.conf for one lab DNS host."""
    if role not in ROLES:
        raise ValueError(f"unknown DNS role {role!r}")
    f = frozenset(faults)
    parts = [
        f"# lab named ({role}) for {zone}: written by cockpit.lab.services.dns_bind\n",
        _options(role, allow_transfer, f),
        f'include "{RNDC_KEY}";\n',
        'controls { inet 127.0.0.1 port 953 allow { 127.0.0.1; } keys { "rndc-key"; }; };\n',
        'logging { channel out { stderr; severity info; print-time yes; }; category default { out; }; '
        'category lame-servers { null; }; };\n',
    ]
    if role == "primary":
        parts.append(f'include "{TSIG_KEY}";\n')
    if role == "resolver":
        parts.append(f'zone "." {{ type primary; file "{ROOT_FILE}"; }};\n')
        if "servfail" in f:
            parts.append(f'trust-anchors {{ "{zone}." static-key 257 3 13 "{BOGUS_ANCHOR}"; }};\n')
    parts.append(_zone(role, zone, primary=primary, notify=notify, upstream=upstream, faults=f))
    return "".join(parts)


def key_text(name: str, algorithm: str, secret_b64: str) -> str:
    """A BIND key file (the format ``tsig-keygen`` and ``rndc-confgen -a`` write)."""
    return f'key "{name}" {{\n\talgorithm {algorithm};\n\tsecret "{secret_b64}";\n}};\n'
