"""Issue 18's seven findings probed from outside a real `counselor serve`, as an attacker, a careless client,
someone with the log and someone with the database file would: only HTTP, websockets, the log the server
wrote and its database file. Prints a table; exits 1 if any probe fails.

    python -m bench.probe_security

Starts its own server on loopback (the shipped index under var/, the extractive answerer, a scratch SQLite
database, the service's default limits, sessions of one hour). Each probe comes from its own loopback
address (127.0.5.n), so one probe's throttling does not decide another's.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bench._server import wait_ready
from bench.probe_clients import Client, until
from counselor.store.conversations import ConversationStore
from counselor.testing.fake_llm import free_port

PASSWORDS = {"lee": "lee-long-passphrase", "park": "park-long-passphrase", "kim": "kim-long-passphrase"}
# Fakes in the formats the issue found stored raw (none is a real number).
IDENTIFIERS = {
    "주민번호 900101—1234568": "1234568",
    "주민번호 900101.1234568": "1234568",
    "주민번호 ９００１０１-１２３４５６８": "１２３４５６８",
    "외국인등록번호 850505-5123457": "5123457",
    "전화 82-10-2233-4455 로 주세요": "2233-4455",
    "(010) 2233-4456 으로 연락": "2233-4456",
    "카드 4111.1111.1111.1111": "1111.1111",
    "국민은행 67890123456789 입니다": "67890123456789",
    "메일은 choi at gmail dot com": "choi",
    "jung(at)hanmail.net 으로": "jung",
    "여권번호 M12345678": "M12345678",
}


class Outcome(BaseModel):
    item: str
    probe: str
    ok: bool
    detail: str


class Probe:
    def __init__(self, port: int, db: Path, log: Path) -> None:
        self.client = Client(port)
        self.db, self.log = db, log
        self.secrets: list[str] = list(PASSWORDS.values())
        self.tokens: dict[str, str] = {}

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql).fetchall()

    async def forged_tokens(self) -> Outcome:
        refused = 0
        for n in range(30):
            code = await self.client.chat_closes(f"token.{secrets.token_urlsafe(24)}", f"127.0.5.{1 + n % 2}")
            refused += code == 4401
        http = [await self.client.get("/api/tickets", secrets.token_urlsafe(32), "127.0.5.3") for _ in range(30)]
        ok = refused == 30 and all(s == 401 for s in http)
        return Outcome(
            item="1/3 forged tokens",
            probe="30 forged chat tokens, 30 forged bearers",
            ok=ok,
            detail=f"chat closed 4401: {refused}/30; API 401: {http.count(401)}/30",
        )

    async def claimed_case(self) -> Outcome:
        lee, park = await self.client.login("lee", PASSWORDS["lee"]), await self.client.login("park", PASSWORDS["park"])
        self.secrets += [lee, park]
        self.tokens = {"lee": lee, "park": park}
        async with self.client.chat(None, "127.0.5.4") as citizen, self.client.console(lee) as a:
            session = await until(citizen, "session")
            self.secrets += [session["token"], session["session_id"]]
            await citizen.send(json.dumps({"type": "message", "text": "사람이랑 얘기하고 싶어요"}))
            await until(citizen, "answer")
            ticket = (await until(a, "ticket"))["ticket"]["id"]
            await a.send(json.dumps({"type": "open", "ticket_id": ticket}))
            await until(a, "case")
            claimed = await self.client.post(f"/api/tickets/{ticket}/claim", park)
            http = await self.client.get(f"/api/tickets/{ticket}", lee)
            await citizen.send(json.dumps({"type": "message", "text": "제 사정은 비밀입니다"}))
            await until(citizen, "ack")
            await self.client.post(f"/api/tickets/{ticket}/messages", park, {"text": "박 상담사가 답합니다"})
            await until(citizen, "counselor_message")
            seen = await self.client.drain(a, 1.5)
        leaked = [f["type"] for f in seen if "비밀" in json.dumps(f, ensure_ascii=False) or "박 상담사" in str(f)]
        ok = claimed == 200 and http == 404 and not leaked
        return Outcome(
            item="1 claimed case",
            probe="A's open console after B claims",
            ok=ok,
            detail=f"claim {claimed}; A's GET {http}; frames leaking to A: {leaked or 'none'}",
        )

    async def identifiers(self) -> Outcome:
        acks = []
        for n, text in enumerate(IDENTIFIERS):
            async with self.client.chat(None, f"127.0.6.{n + 1}") as ws:
                await until(ws, "session")
                await ws.send(json.dumps({"type": "message", "text": text, "client_id": "900101-1234568"}))
                acks.append(json.dumps(await until(ws, "ack"), ensure_ascii=False))
        stored = "\n".join(str(r) for t in ("messages", "turns", "tickets") for r in self.rows(f"SELECT * FROM {t}"))
        raw = [v for v in IDENTIFIERS.values() if v in stored or any(v in a for a in acks)]
        raw += ["client_id"] if "1234568" in stored else []
        return Outcome(
            item="2 identifiers",
            probe=f"{len(IDENTIFIERS)} formats + one as client_id",
            ok=not raw,
            detail=f"raw in storage or acks: {raw or 'none'}",
        )

    async def sessions(self) -> Outcome:
        kim = await self.client.login("kim", PASSWORDS["kim"])
        self.secrets.append(kim)
        expires = max(datetime.fromisoformat(str(r[0])) for r in self.rows("SELECT expires_at FROM counselor_sessions"))
        hours = (expires.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds() / 3600
        async with self.client.console(kim) as ws:
            await until(ws, "queue")
            out = await self.client.post("/api/counselor/logout", kim)
            started = time.monotonic()
            closed = await self.client.closed_within(ws, 10)
        after = await self.client.get("/api/tickets", kim)
        ok = hours <= 1.0 and out == 204 and closed == 4401 and after == 401
        return Outcome(
            item="4 sessions",
            probe="SESSION_HOURS=1, logout with a console open",
            ok=ok,
            detail=f"session lasts {hours:.2f} h; logout {out}; console closed {closed} after "
            f"{time.monotonic() - started:.1f} s; token afterwards {after}",
        )

    async def login_throttle(self) -> Outcome:
        codes = [await self.client.login_code("lee", f"guess-{n}", "127.0.5.8") for n in range(7)]
        right = await self.client.login_code("lee", PASSWORDS["lee"], "127.0.5.9")
        spread = [await self.client.login_code(f"nobody{n}", "guess", "127.0.5.10") for n in range(22)]
        ok = codes[:5].count(401) >= 3 and codes[-1] == 429 and right == 429 and spread[-1] == 429
        return Outcome(
            item="5 logins",
            probe="7 guesses at one name; 22 names from one address",
            ok=ok,
            detail=f"one name: {codes}, then the right password {right}; one address: "
            f"{spread.count(401)}x401 then {spread.count(429)}x429",
        )

    async def socket_flood(self) -> Outcome:
        before = self.rows("SELECT count(*) FROM conversations")[0][0]
        outcomes = [await self.client.open_and_close("127.0.5.11") for _ in range(70)]
        after = self.rows("SELECT count(*) FROM conversations")[0][0]
        sent = [await self.client.one_message("127.0.5.12", "기초연금 얼마예요?") for _ in range(35)]
        ok = after == before and outcomes.count("refused") >= 10 and "rate_limited" in sent
        return Outcome(
            item="6 anonymous load",
            probe="70 idle sockets; 35 new conversations x 1 message",
            ok=ok,
            detail=f"rows written by idle sockets: {after - before}; sockets {outcomes.count('session')} "
            f"opened, {outcomes.count('refused')} refused; messages {sent.count('ack')} acked, "
            f"{sent.count('rate_limited')} rate-limited, {sent.count('refused')} refused",
        )

    async def bad_frames(self) -> Outcome:
        codes = await self.client.bad_frames("127.0.5.14")
        huge = await self.client.ticket_code(2**63, "127.0.5.15", self.tokens["lee"])
        expected = {
            "long": "too_long",
            "surrogate": "bad_frame",
            "big_int": "bad_frame",
            "binary": "bad_frame",
            "region_after_session": "session",
            "40KiB": "1009",
        }
        ok = codes == expected and huge == 422
        return Outcome(
            item="7 bad frames",
            probe="2,001+ chars, \\ud800, 5,000 digits, binary, region, 40 KiB",
            ok=ok,
            detail=f"{codes}; ticket_id 2^63 over HTTP {huge}",
        )

    def log_has_no_secrets(self) -> Outcome:
        text = self.log.read_text(errors="replace")
        found = [s[:6] + "…" for s in self.secrets if s and s in text]
        lines = len(text.splitlines())
        return Outcome(
            item="3 tokens in the log",
            probe=f"{len(self.secrets)} tokens, ids and passwords issued",
            ok=not found and lines > 0,
            detail=f"{lines} log lines; found: {found or 'none'}",
        )


def start(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "COUNSELOR_LLM": "extractive",
        "COUNSELOR_DATABASE_URL": f"sqlite:///{db}",
        "COUNSELOR_QUEUE__SESSION_HOURS": "1",
        "COUNSELOR_QUEUE_SESSION_CHECK_S": "1",
    }
    command = [sys.executable, "-m", "counselor.cli.main", "serve", "--no-ingest", "--port", str(port)]
    with log.open("ab") as sink:
        proc = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    return wait_ready(proc, port, 1800), port


async def run_all(probe: Probe) -> list[Outcome]:
    steps: list[Callable[[], Awaitable[Outcome]]] = [
        probe.forged_tokens,
        probe.claimed_case,
        probe.identifiers,
        probe.sessions,
        probe.login_throttle,
        probe.socket_flood,
        probe.bad_frames,
    ]
    outcomes = []
    for step in steps:
        try:
            outcomes.append(await step())
        except Exception as exc:  # a probe that crashes is a failure, reported, not a stop
            outcomes.append(Outcome(item=step.__name__, probe="(crashed)", ok=False, detail=repr(exc)[:200]))
    return outcomes


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db, log = Path(scratch) / "probe.sqlite3", Path(scratch) / "server.log"
        store = ConversationStore.from_url(f"sqlite:///{db}")
        for name, password in PASSWORDS.items():
            store.accounts.add(name, password)
        store.engine.dispose()
        proc, port = start(db, log)
        try:
            probe = Probe(port, db, log)
            outcomes = asyncio.run(run_all(probe))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        outcomes.append(probe.log_has_no_secrets())
    print("| item | probe | result | detail |\n|---|---|---|---|")
    for o in outcomes:
        print(f"| {o.item} | {o.probe} | {'pass' if o.ok else 'FAIL'} | {o.detail} |")
    sys.exit(0 if all(o.ok for o in outcomes) else 1)


if __name__ == "__main__":
    main()
