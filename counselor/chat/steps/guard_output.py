"""Output guard: citations must point at sources; every phone number, web or e-mail address, office, date, age,
amount and other number must be in a cited source (or be one of the counselor's own hotlines); nothing may
promise eligibility.

A model's sentence that states something no cited source says is removed; when that would leave too little
(no citation, or most of the draft gone), or the draft fails otherwise, the extractive answer replaces it. If
even that fails, a caseworker answers. What the guard did is the step's note: ``verdict`` accepted, trimmed,
replaced or rejected, and each claim it found in no source.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel

from counselor.chat.answerers.base import AnswerRequest
from counselor.chat.answerers.extractive import ExtractiveAnswerer
from counselor.chat.claims import CONTACTS, Claim, ClaimKind, Grounds, ungrounded
from counselor.chat.context import Authorship, Revision, StepNote, TurnContext
from counselor.chat.frames import Citation, RelatedPolicy
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.prompts import Prompt

_MARK = re.compile(r"\[(\d{1,2})\]")
_CERTAIN = re.compile(
    r"(받으실\s*수\s*있습니다|대상이\s*(십니다|됩니다|맞습니다)|자격이\s*(있습니다|됩니다)|확실히\s*받)"
    r"|\byou\s+(are|'re)\s+(definitely\s+|certainly\s+)?eligible\b|\byou\s+(will\s+)?qualify\b|\byou\s+will\s+(get|receive)\b",
    re.IGNORECASE,
)
# A small model may echo its prompt's markup (its own chat format's or another's, or this prompt's labels).
_ECHO = re.compile(
    r"</?question>|\[/?INST\]|<</?SYS>>|<\|?(?:start|end)_of_turn\|?>|<\|im_(?:start|end)\|>"
    r"|Citizen's question:|Conversation so far:|^Sources:",
    re.MULTILINE,
)
# A sentence ends at . ! ? 。 before a space or the end, or at a line break; "[1]" after the stop stays with it.
_SENTENCE = re.compile(r"[^\n]*?(?:[.!?。](?:\s*\[\d{1,2}\])*(?=\s|$)|\n|$)\s*")
_ONLY_NUMBERING = re.compile(r"^\s*\d+[.)]\s*$")
# A trimmed draft keeps at least this share of its sentences; below, the extractive answer says it better.
KEEP_AT_LEAST = 0.5


class Verdict(StrEnum):
    ACCEPTED = "accepted"  # as the answerer wrote it
    TRIMMED = "trimmed"  # sentences stating what no cited source says were removed
    REPLACED = "replaced"  # the extractive answer stands in for the model's
    REJECTED = "rejected"  # not even the extractive answer passed: a caseworker answers


def _label(kind: ClaimKind) -> str:
    if kind in CONTACTS and kind != ClaimKind.PHONE:
        return "addresses"
    return "offices" if kind == ClaimKind.OFFICE else "numbers"


def grounds(ctx: TurnContext, marks: list[int]) -> Grounds:
    cited = [ctx.sources[m - 1] for m in marks if 1 <= m <= len(ctx.sources)]
    # Names are not facts: "10년임대" in a policy's title may be said without citing that policy.
    names = " ".join(f"{p.title} {p.title_en or ''}" for p in ctx.sources)
    return Grounds(
        "\n".join(p.full_text for p in cited),
        urls=[p.url for p in cited if p.url],
        allowed=f"{ctx.question} {names}",
    )


def problems(ctx: TurnContext, text: str, written: bool = True) -> tuple[list[str], list[int], list[Claim]]:
    """What is wrong with an answer, the citations it makes, and the claims no cited source grounds.
    ``written``: a model wrote it (quoted sources may say "you will get")."""
    marks = sorted({int(m) for m in _MARK.findall(text)})
    issues = []
    if not marks:
        issues.append("no citation")
    bad = [m for m in marks if not 1 <= m <= len(ctx.sources)]
    if bad:
        issues.append(f"citations without a source: {bad}")
    loose = ungrounded(text, grounds(ctx, marks))
    for label in dict.fromkeys(_label(c.kind) for c in loose):
        found = [f"{c.kind.value} {c.text}" for c in loose if _label(c.kind) == label]
        issues.append(f"{label} in no cited source: {found[:5]}")
    if written and _CERTAIN.search(text):
        issues.append("states eligibility as certain")
    if written and _ECHO.search(text):
        issues.append("echoes the prompt")
    return issues, [m for m in marks if 1 <= m <= len(ctx.sources)], loose


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences that join back into it exactly; a list number stays with its item."""
    parts = [m.group(0) for m in _SENTENCE.finditer(text) if m.group(0)]
    merged: list[str] = []
    for part in parts:
        if merged and _ONLY_NUMBERING.match(merged[-1]):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def trim(text: str, loose: list[Claim]) -> tuple[str, list[str]]:
    """``text`` without the sentences holding a claim in ``loose``; and the sentences removed."""
    kept: list[str] = []
    removed: list[str] = []
    at = 0
    for sentence in sentences(text):
        span = range(at, at + len(sentence))
        at += len(sentence)
        (removed if any(c.start in span for c in loose) else kept).append(sentence)
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip(), [s.strip() for s in removed]


class GuardNote(BaseModel):
    """The audit record of the guard: what was wrong and what became of the answer. A field not set is not
    stored (trimming, rewriting)."""

    issues: list[str]
    verdict: Verdict
    ungrounded: list[dict[str, str]]  # {"kind", "text"} of each claim no source makes
    removed: list[str] | None = None  # trimmed: the sentences taken out
    rewritten: bool | None = None
    issues_after_rewrite: list[str] | None = None

    def stored(self) -> StepNote:
        return self.model_dump(mode="json", exclude_unset=True)


class GuardOutput:
    name = "guard_output"

    def __init__(self, extractive: ExtractiveAnswerer, replies: Prompt) -> None:
        self.extractive = extractive
        self.replies = replies

    async def __call__(self, ctx: TurnContext) -> StepNote:
        # A model's draft may be trimmed or rewritten; the extractive answer (first choice or fallback) quotes
        # its sources, so it is never rewritten by itself.
        written = ctx.written_by is None or ctx.written_by.answerer != self.extractive.name
        issues, marks, loose = problems(ctx, ctx.answer, written)
        note = GuardNote(
            issues=issues,
            verdict=Verdict.ACCEPTED,
            ungrounded=[{"kind": c.kind.value, "text": c.text} for c in loose],
        )
        if issues and written and loose and len(issues) == len({_label(c.kind) for c in loose}):
            # Only claims are wrong: the sentences that make them go, the rest may stand.
            trimmed, removed = trim(ctx.answer, loose)
            after, trimmed_marks, _ = problems(ctx, trimmed, written)
            if not after and len(removed) <= (1 - KEEP_AT_LEAST) * len(sentences(ctx.answer)):
                ctx.answer, marks, issues = trimmed, trimmed_marks, after
                ctx.written_by = Authorship(ctx.written_by.answerer if ctx.written_by else "", Revision.TRIMMED)
                note.verdict, note.removed = Verdict.TRIMMED, removed
        if issues and written:
            ctx.answer = self.extractive.render(AnswerRequest.of(ctx))
            ctx.written_by = Authorship(self.extractive.name, Revision.REWRITTEN)
            issues, marks, _ = problems(ctx, ctx.answer, written=False)
            note.verdict, note.rewritten, note.issues_after_rewrite = Verdict.REPLACED, True, issues
        if issues:
            note.verdict = Verdict.REJECTED
            ctx.stop(
                TurnStatus.ESCALATED,
                self.replies.text("escalated", ctx.language),
                EscalationReason.UNGROUNDED_ANSWER,
                "; ".join(issues),
            )
            return note.stored()
        ctx.citations = [self._citation(ctx, n) for n in marks]
        cited = {c.policy_id for c in ctx.citations}
        ctx.related = [
            RelatedPolicy(policy_id=p.policy_id, title=p.title, title_en=p.title_en)
            for p in ctx.sources
            if p.policy_id not in cited
        ][: self.extractive.related]
        return note.stored()

    @staticmethod
    def _citation(ctx: TurnContext, number: int) -> Citation:
        policy = ctx.sources[number - 1]
        hit = next((h for h in ctx.hits if h.policy_id == policy.policy_id), None)
        return Citation(
            number=number,
            policy_id=policy.policy_id,
            title=policy.title,
            section=hit.section if hit else "",
            source=policy.source,
            url=policy.url,
        )
