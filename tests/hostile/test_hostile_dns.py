"""DNS answers from a hostile server, fuzzed through the query boundary
(``cockpit.dns.query.ask``: dnspython's UDP-then-TCP exchange, parse and
classify, which must never raise) and on into the DNS pane's rendering.

The server is a socket on 127.0.0.1 that answers every query with what
hypothesis draws: a real captured answer (tests/data/dns) cut off or spliced
with hostile bytes, random bytes behind the right id, or a well-formed answer
whose records no real server would send (CNAME loops, hostile labels, odd
rcodes, TTLs up to 2^32-1). A fake is right here: it gives replies no real
server can give."""

from __future__ import annotations

import asyncio
import struct
from datetime import UTC, datetime
from pathlib import Path

import dns.flags
import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.CNAME
import dns.rdtypes.IN.A
import dns.rrset
from hostile_fuzz import FUZZ_SLOW, HOSTILE, assert_safe_strings, assert_safe_text, ran
from hypothesis import given
from hypothesis import strategies as st

from cockpit.dns.model import Answer, DnsReport, Server, ServerKind
from cockpit.dns.propagation import evaluate
from cockpit.dns.query import ask
from widgets.dns_rows import site_row
from widgets.dns_site_report import site_lines

DATA = Path(__file__).resolve().parents[1] / "data" / "dns"
REAL = [p.read_bytes() for p in sorted(DATA.glob("*.bin"))]
QNAME = "web1-site.example.test"
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)

label = st.one_of(st.sampled_from(["web1-site", "a", "[b]MK[/b]", "x" * 63]),
                  st.binary(min_size=1, max_size=63),
                  st.sampled_from(HOSTILE).map(lambda h: h.encode("utf-8", "surrogatepass")[:63] or b"x"))
name = st.lists(label, min_size=1, max_size=4).map(
    lambda ls: dns.name.Name([x.encode() if isinstance(x, str) else x for x in ls] + [b""]))


record = st.tuples(st.booleans(), st.one_of(st.none(), name), st.integers(0, 2**32 - 1), st.ip_addresses(v=4))
records_spec = st.tuples(st.sampled_from([0, 0, 0, 1, 2, 3, 5, 9, 15, 16, 23, 4095]), st.booleans(),
                         st.lists(record, max_size=5), st.one_of(st.none(), st.integers(0, 2000)))


def _records(q: dns.message.Message, spec: tuple) -> bytes:  # type: ignore[type-arg]
    rcode, aa, recs, cut = spec
    r = dns.message.make_response(q)
    r.set_rcode(rcode)
    if aa:
        r.flags |= dns.flags.AA
    owner = q.question[0].name
    for is_cname, target, ttl, ip in recs:
        if is_cname:  # to a hostile name, or back to the name asked (a loop)
            to = target or q.question[0].name
            rd = dns.rdtypes.ANY.CNAME.CNAME(dns.rdataclass.IN, dns.rdatatype.CNAME, to)
            r.answer.append(dns.rrset.from_rdata(owner, ttl, rd))
            owner = to
        else:
            rd = dns.rdtypes.IN.A.A(dns.rdataclass.IN, dns.rdatatype.A, str(ip))
            r.answer.append(dns.rrset.from_rdata(owner, ttl, rd))
    wire = r.to_wire()
    return wire if cut is None else wire[:cut]


@st.composite
def replies(draw: st.DrawFn) -> object:
    """A function: the query's wire -> the hostile reply's wire."""
    kind = draw(st.sampled_from(["real", "spliced", "bytes", "records"]))
    if kind == "records":
        spec = draw(records_spec)
        return lambda q: _records(dns.message.from_wire(q), spec)
    real = draw(st.sampled_from(REAL))
    cut, junk = draw(st.integers(0, 2000)), draw(st.binary(max_size=64))
    noise = draw(st.binary(max_size=600))
    if kind == "bytes":
        return lambda q: q[:2] + noise
    if kind == "real":
        return lambda q: q[:2] + real[2:]
    return lambda q: q[:2] + real[2: 2 + cut] + junk + real[2 + cut:]


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, reply: object) -> None:
        self.reply = reply

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.transport.sendto(self.reply(data), addr)  # type: ignore[attr-defined,operator]


async def _ask_hostile(reply: object, qtype: str, kind: ServerKind) -> Answer:
    async def tcp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            n = struct.unpack("!H", await reader.readexactly(2))[0]
            out = reply(await reader.readexactly(n))  # type: ignore[operator]
            writer.write(struct.pack("!H", len(out) & 0xFFFF) + out)
            await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_server(tcp, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(lambda: _Udp(reply), local_addr=("127.0.0.1", port))
    try:
        return await ask(Server("evil", "127.0.0.1", kind, port), QNAME, qtype, expected=("203.0.113.1",),
                         timeout=2.0, limit=asyncio.Semaphore(1))
    finally:
        transport.close()
        server.close()


@FUZZ_SLOW
@given(replies(), st.sampled_from(["A", "AAAA"]), st.sampled_from(list(ServerKind)))
def test_hostile_answers_are_per_query_states_and_render_safely(reply: object, qtype: str,
                                                                  kind: ServerKind) -> None:
    ran("dns: answers (wire, through ask)")
    a = asyncio.run(_ask_hostile(reply, qtype, kind))  # ask() raising anything fails the test
    assert isinstance(a, Answer)
    assert_safe_strings(a)
    site = evaluate(site="acme", name=QNAME, host="web1", expected=("203.0.113.1",), answers=[a], change=None)
    for cell in site_row(site, [a.server], NOW).cells:
        assert_safe_text(cell)
    report = DnsReport(zone="example.test", sites=(site,), soa=(), swept_at=NOW, servers=(a.server,))
    for line in site_lines(site, report, NOW):
        assert_safe_text(line, multiline=True)  # the report's own headings start with a newline
