"""Hostile and broken servers (replies no real server gives, on 127.0.0.1):
every one is a per-query state, never an exception out of the query layer."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Callable

import dns.flags
import dns.message
import dns.rrset
import pytest

from cockpit.dns.model import AnswerState, Server, ServerKind, SoaStatus
from cockpit.dns.query import ask
from cockpit.dns.soa import soa_serial

Reply = Callable[[dns.message.Message], bytes | None]


def good(q: dns.message.Message) -> bytes:
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA
    r.answer.append(dns.rrset.from_text(q.question[0].name, 60, "IN", "A", "203.0.113.1"))
    return r.to_wire()


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        out = self.reply(dns.message.from_wire(data))
        if out is not None:
            self.transport.sendto(out, addr)  # type: ignore[attr-defined]


async def _serve(udp: Reply, tcp: Reply | None) -> AsyncIterator[Server]:
    loop = asyncio.get_running_loop()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        n = struct.unpack("!H", await reader.readexactly(2))[0]
        out = tcp(dns.message.from_wire(await reader.readexactly(n))) if tcp else None
        if out is not None:
            writer.write(struct.pack("!H", len(out)) + out)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport, _ = await loop.create_datagram_endpoint(lambda: _Udp(udp), local_addr=("127.0.0.1", port))
    try:
        yield Server("fake", "127.0.0.1", ServerKind.AUTHORITATIVE, port)
    finally:
        transport.close()
        server.close()


async def _ask(udp: Reply, tcp: Reply | None = None, timeout: float = 1.0) -> tuple[AnswerState, object]:
    gen = _serve(udp, tcp)
    server = await gen.__anext__()
    try:
        a = await ask(server, "acme.example.test", "A", expected=("203.0.113.1",), timeout=timeout,
                      limit=asyncio.Semaphore(4))
    finally:
        await gen.aclose()
    return a.state, a


def _truncated(q: dns.message.Message) -> bytes:
    r = dns.message.make_response(q)
    r.flags |= dns.flags.TC | dns.flags.AA
    return r.to_wire()


async def test_a_good_fake_server_matches() -> None:
    state, _ = await _ask(good)
    assert state is AnswerState.MATCH


async def test_truncated_udp_is_retried_over_tcp() -> None:
    state, a = await _ask(_truncated, good)
    assert state is AnswerState.MATCH and a.tcp  # type: ignore[attr-defined]


async def test_truncated_udp_and_a_tcp_port_that_closes_is_an_error() -> None:
    state, _ = await _ask(_truncated, lambda q: None)
    assert state is AnswerState.ERROR


@pytest.mark.parametrize("reply", [
    lambda q: b"\x00\x01garbage-garbage-garbage",
    lambda q: b"\xff" * 3,
    lambda q: good(q)[:20],
    lambda q: good(q) + b"\x00junk",
])
async def test_garbage_is_an_error(reply: Reply) -> None:
    state, _ = await _ask(reply)
    assert state is AnswerState.ERROR


async def test_wrong_id_is_an_error() -> None:
    def wrong_id(q: dns.message.Message) -> bytes:
        w = bytearray(good(q))
        w[0:2] = struct.pack("!H", (q.id + 1) & 0xFFFF)
        return bytes(w)

    state, a = await _ask(wrong_id)
    assert state is AnswerState.ERROR and "wrong id" in (a.error or "")  # type: ignore[attr-defined]


async def test_a_silent_server_is_a_timeout_after_a_second_try() -> None:
    seen: list[int] = []

    def silent(q: dns.message.Message) -> None:
        seen.append(q.id)

    state, a = await _ask(silent, timeout=0.3)
    assert state is AnswerState.TIMEOUT and "2 tries" in (a.error or "")  # type: ignore[attr-defined]
    assert len(seen) == 2  # one lost packet is not a dead server


async def test_a_server_that_answers_the_second_try_is_not_a_timeout() -> None:
    seen: list[int] = []

    def drops_the_first(q: dns.message.Message) -> bytes | None:
        seen.append(q.id)
        return None if len(seen) == 1 else good(q)

    state, _ = await _ask(drops_the_first, timeout=0.3)
    assert state is AnswerState.MATCH and len(seen) == 2


def _soa(q: dns.message.Message) -> bytes:
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA
    r.answer.append(dns.rrset.from_text(q.question[0].name, 60, "IN", "SOA",
                                        "ns1.example.test. hostmaster.example.test. 2026112601 3600 600 86400 60"))
    return r.to_wire()


async def _serial(udp: Reply) -> SoaStatus:
    gen = _serve(udp, None)
    server = await gen.__anext__()
    try:
        return await soa_serial(server, "example.test", timeout=0.3, limit=asyncio.Semaphore(1))
    finally:
        await gen.aclose()


async def test_a_soa_query_lost_once_still_gives_the_serial_and_a_silent_server_is_two_tries() -> None:
    seen: list[int] = []

    def drops_the_first(q: dns.message.Message) -> bytes | None:
        seen.append(q.id)
        return None if len(seen) == 1 else _soa(q)

    s = await _serial(drops_the_first)
    assert s.serial == 2026112601 and s.error is None and len(seen) == 2
    seen.clear()
    s = await _serial(lambda q: seen.append(q.id))  # type: ignore[func-returns-value]
    assert s.serial is None and s.error is not None and "2 tries" in s.error and len(seen) == 2
