"""The follow-up suite: a short conversation about one program (a question, then one or two questions about an
aspect of it: "얼마 나와요?", "신청은요?", "How do I apply?"), every message through the chat service on a
scratch database, so the history, the profile and the region carry from turn to turn as they do for a citizen.

The last reply is scored: it cites the program discussed (``cites_policy``; first among its citations:
``first_policy_right``), it states what was asked (``span_found``: one of the case's answer spans is in the
reply, punctuation and spacing aside), and ``both``, the suite's primary metric.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from counselor.chat.frames import AckFrame, AnswerFrame, MessageFrame, ProfileFrame, TokenFrame
from counselor.chat.service import ChatService
from counselor.evaluation.answers import span_found
from counselor.evaluation.dataset import DatasetError
from counselor.evaluation.records import CaseRecord

Summary = dict[str, float | None]
AspectLabel = Literal["amount", "eligibility", "how_to_apply", "where", "contact", "documents", "period", "other"]


class FollowupCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    lang: Literal["ko", "en"] = Field(description="the language of the last message")
    turns: list[str] = Field(min_length=2, max_length=4, description="the citizen's messages; the last is scored")
    policy_id: str = Field(min_length=1, description="the program the last message is about")
    policy_title: str | None = None
    aspect: AspectLabel
    answer_spans: list[str] = Field(min_length=1, description="any one of these in the reply states the fact asked")
    region: str | None = Field(default=None, description="the citizen's region, as the chat page passes it")
    situation: str | None = None
    tags: list[str] = Field(default_factory=list)


def load_followup_cases(path: Path) -> list[FollowupCase]:
    cases: list[FollowupCase] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = FollowupCase.model_validate_json(line)
        except ValidationError as exc:
            raise DatasetError(f"{path}:{number}: {exc.errors()[0]['msg']} ({exc.errors()[0]['loc']})") from exc
        if case.id in seen:
            raise DatasetError(f"{path}:{number}: duplicate id {case.id}")
        seen.add(case.id)
        cases.append(case)
    return cases


async def _conversation(chat: ChatService, case: FollowupCase) -> list[AnswerFrame]:
    parts = case.region.split() if case.region else []
    region = (parts[0] if parts else None, parts[1] if len(parts) > 1 else None)
    conversation, _ = await asyncio.to_thread(lambda: chat.store.open_conversation(case.lang, region=region))
    answers: list[AnswerFrame] = []

    async def send(frame: AckFrame | TokenFrame | AnswerFrame | ProfileFrame) -> None:
        if isinstance(frame, AnswerFrame):
            answers.append(frame)

    for text in case.turns:
        before = len(answers)
        await chat.handle(conversation, MessageFrame(type="message", text=text), send)
        if len(answers) == before:  # a caseworker holds the chat: the bot stays silent
            raise RuntimeError(f"no reply to turn {before + 1}")
    return answers


def score(case: FollowupCase, answers: Sequence[AnswerFrame]) -> dict[str, float | None]:
    first, last = answers[0], answers[-1]
    cited = [c.policy_id for c in last.citations]
    cites = case.policy_id in cited
    found = any(span_found(span, last.text) for span in case.answer_spans)
    return {
        "cites_policy": float(cites),
        "first_policy_right": float(bool(cited) and cited[0] == case.policy_id),
        "span_found": float(found),
        "both": float(cites and found),
        "answered": float(last.status == "answered"),
        # Diagnostic: whether the first answer was already about the program (retrieval's part, not the follow-up's).
        "first_turn_cites": float(case.policy_id in [c.policy_id for c in first.citations]),
    }


def _record(dataset: str, case: FollowupCase) -> CaseRecord:
    return CaseRecord(
        suite="followup",
        dataset=dataset,
        id=case.id,
        lang=case.lang,
        tags=[case.aspect, f"turns:{len(case.turns)}", *case.tags],
        question=" ⏎ ".join(case.turns),
        expected_policies=[case.policy_id],
        expected_facts=case.answer_spans,
    )


def run_followup(
    chat: ChatService, cases: Sequence[tuple[str, FollowupCase]], tick: Callable[[], None]
) -> list[CaseRecord]:
    async def run() -> list[CaseRecord]:
        records = []
        for dataset, case in cases:
            record = _record(dataset, case)
            started = time.perf_counter()
            try:
                answers = await _conversation(chat, case)
            except Exception as exc:  # one broken case must not lose the run
                record.error = f"{type(exc).__name__}: {exc}"
                records.append(record)
                tick()
                continue
            last = answers[-1]
            record.latency_ms = round((time.perf_counter() - started) * 1000, 2)
            record.status = last.status.value
            record.reason = last.reason.value if last.reason else None
            record.confidence = last.confidence
            record.answer = last.text
            record.cited = [c.title for c in last.citations]
            record.top_correct = bool(last.citations) and last.citations[0].policy_id == case.policy_id
            record.scores = score(case, answers)
            if not record.scores["cites_policy"]:
                record.problems.append(f"cites {record.cited or 'nothing'}, not {case.policy_title or case.policy_id}")
            if not record.scores["span_found"]:
                record.problems.append(f"none of {case.answer_spans} in the reply")
            records.append(record)
            tick()
        return records

    return asyncio.run(run())


def _mean(records: Sequence[CaseRecord], name: str) -> float | None:
    values = [r.scores[name] for r in records if r.scores.get(name) is not None]
    return sum(v or 0.0 for v in values) / len(values) if values else None


def summarise_followup(records: Sequence[CaseRecord]) -> Summary:
    names = ("both", "cites_policy", "first_policy_right", "span_found", "answered", "first_turn_cites")
    return {name: _mean(records, name) for name in names}
