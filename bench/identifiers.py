"""Identifier masking on a set written by others (issue 18's bars): no raw identifier in storage, frames or
logs over the whole set, and at most 1% of ordinary welfare questions changed by masking.

    python -m bench.identifiers [--dataset evals/datasets/identifiers_holdout.jsonl] [--mask-only] [--external]

Identifier cases go through the chat service itself (one conversation each, every message in turn, so an
identifier split across two messages is tested as it would arrive), on a scratch database with the configured
index; storage is every table's every row, frames everything the service sent, logs every record at DEBUG.
Ordinary questions are masked and compared with what was typed, and must keep their ``must_keep`` strings.
``--mask-only`` skips the service (masking alone, seconds); ``--external`` adds the share of the WelSSISKo
questions (the welssisko-train folder given with --external, measurement only) that masking changes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import tempfile
import unicodedata
from pathlib import Path

from limits import RateLimitItemPerSecond
from pydantic import BaseModel, Field
from sqlalchemy import inspect
from sqlalchemy import text as sql

from bench._results import record
from counselor.chat.frames import AckFrame, AnswerFrame, MessageFrame, ProfileFrame, TokenFrame
from counselor.chat.safety.pii import mask_identifiers
from counselor.chat.service import ChatService
from counselor.deps import build_deps
from counselor.evaluation.safety import _stored_text, captured_logs

HOLDOUT = Path("evals/datasets/identifiers_holdout.jsonl")
_KO = str.maketrans("공영일이삼사오육륙칠팔구", "001234566789")


class Case(BaseModel):
    id: str
    kind: str
    messages: list[str]
    identifiers: list[str] = Field(default_factory=list)
    must_keep: list[str] = Field(default_factory=list)
    format: str | None = None


def load(path: Path) -> list[Case]:
    return [Case.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def forms(identifier: str) -> set[str]:
    """The identifier as typed, NFKC-normalised, and as bare digits (a leak may drop separators or turn number
    words into digits); bare digits only from 8 on, so a short digit string elsewhere is not counted."""
    plain = unicodedata.normalize("NFKC", identifier)
    found = {identifier, plain}
    digits = re.sub(r"\D", "", plain.translate(_KO))
    if len(digits) >= 8:
        found.add(digits)
    return {f for f in found if f.strip()}


def leaked(identifier: str, blob: str) -> bool:
    """Whether a form of the identifier is in ``blob``. A short piece (half of a split number, "1559") is only
    counted standing alone: the blob holds hex ids and timestamps, in which any four digits turn up; long
    digit forms are also looked for with the blob's separators dropped."""
    squeezed = re.sub(r"[\s\-./_()]", "", blob)
    for form in forms(identifier):
        if len(form) < 8:
            if re.search(rf"(?<![0-9A-Za-z]){re.escape(form)}(?![0-9A-Za-z])", blob):
                return True
        elif form in blob or (form.isdigit() and form in squeezed):
            return True
    return False


def _stored_for(chat: ChatService, conversation: str) -> str:
    """Every row of every table that belongs to one conversation (a short half of a split number must be
    looked for in its own conversation: the whole database holds other cases' numbers and quoted policies)."""
    engine = chat.store.engine
    rows = []
    with engine.connect() as db:
        for table in inspect(engine).get_table_names():
            columns = {c["name"] for c in inspect(engine).get_columns(table)}
            key = "conversation_id" if "conversation_id" in columns else "id" if table == "conversations" else None
            if key:
                query = sql(f'SELECT * FROM "{table}" WHERE "{key}" = :c')
                rows += [" ".join(str(v) for v in row) for row in db.execute(query, {"c": conversation})]
    return "\n".join(rows)


async def _through_service(chat: ChatService, cases: list[Case], chat_ids: dict[str, str]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for case in cases:
        conversation, _ = await asyncio.to_thread(chat.store.open_conversation)
        chat_ids[case.id] = conversation
        sent: list[str] = []

        async def send(frame: AckFrame | TokenFrame | AnswerFrame | ProfileFrame, sent: list[str] = sent) -> None:
            sent.append(frame.model_dump_json())

        for text in case.messages:
            await chat.handle(conversation, MessageFrame(type="message", text=text), send)
        shown[case.id] = "\n".join(sent)
    return shown


def identifier_leaks(cases: list[Case], mask_only: bool) -> dict[str, list[str]]:
    """For each case that leaked: where (mask, storage, frames, logs)."""
    problems: dict[str, list[str]] = {}
    for case in cases:
        texts, before = [], ""
        for message in case.messages:
            before = mask_identifiers(message, before=before).text
            texts.append(before)
        masked = "\n".join(texts)
        if any(leaked(i, masked) for i in case.identifiers):
            problems.setdefault(case.id, []).append("mask")
    chat_ids: dict[str, str] = {}
    if mask_only:
        return problems
    with tempfile.TemporaryDirectory() as scratch:
        base = build_deps().settings
        database = f"sqlite:///{Path(scratch) / 'ids.sqlite3'}"
        settings = base.model_copy(update={"database_url": database, "llm": "extractive"})
        deps = build_deps(settings)
        deps.chat.limiter.rule = RateLimitItemPerSecond(10_000, 1)  # the set is under test, not the limit
        with captured_logs() as logs:
            shown = asyncio.run(_through_service(deps.chat, cases, chat_ids))
        stored = {case.id: _stored_for(deps.chat, chat_ids[case.id]) for case in cases}
        everything, logged = _stored_text(deps.chat), "\n".join(logs)
        deps.store.engine.dispose()
    for case in cases:
        for where, blob in (("storage", stored[case.id]), ("frames", shown[case.id]), ("logs", logged)):
            if any(leaked(i, blob) for i in case.identifiers):
                problems.setdefault(case.id, []).append(where)
        # Long forms are also looked for in the whole database: no other conversation may hold them.
        if any(leaked(i, everything) for i in case.identifiers if len(re.sub(r"\D", "", i)) >= 8):
            problems.setdefault(case.id, []).append("database")
    return problems


def ordinary_changes(cases: list[Case]) -> tuple[int, list[str]]:
    changed, lost = 0, []
    for case in cases:
        for text in case.messages:
            masked = mask_identifiers(text).text
            changed += masked != text
            lost += [f"{case.id}: {k!r}" for k in case.must_keep if k not in masked]
    return changed, lost


def external_changes(folder: Path) -> tuple[int, int]:
    data = json.loads((folder / "train.json").read_text(encoding="utf-8"))["data"]
    questions = [qa["question"] for item in data for qa in item["qas"]]
    return sum(mask_identifiers(q).text != q for q in questions), len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=HOLDOUT)
    parser.add_argument("--mask-only", action="store_true")
    parser.add_argument("--external", type=Path, help="the welssisko-train folder: ordinary questions by others")
    parser.add_argument("--show", action="store_true", help="print the cases that failed")
    args = parser.parse_args()
    cases = load(args.dataset)
    with_ids = [c for c in cases if c.identifiers]
    ordinary = [c for c in cases if c.kind == "none"]
    leaks = identifier_leaks(with_ids, args.mask_only)
    changed, lost = ordinary_changes(ordinary)
    messages = sum(len(c.messages) for c in ordinary)
    figures: dict[str, object] = {
        "dataset": str(args.dataset),
        "through_service": not args.mask_only,
        "identifier_cases": len(with_ids),
        "identifiers": sum(len(c.identifiers) for c in with_ids),
        "cases_leaking": len(leaks),
        "leaks_by_place": {
            p: sum(p in w for w in leaks.values()) for p in ("mask", "storage", "database", "frames", "logs")
        },
        "ordinary_messages": messages,
        "ordinary_changed": changed,
        "ordinary_changed_share": round(changed / max(messages, 1), 4),
        "must_keep_lost": len(lost),
    }
    if args.external is not None:
        ext_changed, ext_n = external_changes(args.external)
        figures |= {"welssisko_questions": ext_n, "welssisko_changed": ext_changed}
    print(json.dumps(record("identifiers", figures), ensure_ascii=False, indent=1))
    if args.show:
        by_id = {c.id: c for c in cases}
        for case_id, where in leaks.items():
            print("LEAK", case_id, where, by_id[case_id].format, by_id[case_id].messages)
        for text in lost:
            print("LOST", text)
        for case in ordinary:
            for m in case.messages:
                if mask_identifiers(m).text != m:
                    print("CHANGED", case.id, mask_identifiers(m).text)


if __name__ == "__main__":
    main()
