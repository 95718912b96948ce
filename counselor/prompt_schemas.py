"""What each prompt file must hold, as typed models: every key the code reads, in every language it reads it,
with only the placeholders the code fills.

A prompt is checked against its schema when it is loaded, and every prompt is loaded when the service starts
(``PromptLibrary.check``, called by ``create_app`` and ``Deps.warm``), so a missing or misspelt key stops the
start naming the file and the key: it can never surface as a KeyError in the middle of a crisis reply.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, model_validator

from counselor.chat.safety.crisis import CrisisKind


@dataclass(frozen=True)
class Fills:
    """The placeholders the code fills in a template (``text(key, language, **values)``); a template may use
    fewer, never others (``str.format`` would raise while the citizen waits)."""

    names: frozenset[str]

    def __init__(self, *names: str) -> None:
        object.__setattr__(self, "names", frozenset(names))


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Entry):
    """A text in both languages: an English speaker, in crisis above all, must not get the Korean fallback."""

    ko: str
    en: str


class EnglishOnly(_Entry):
    """A text only English answers use (the English summary leads them)."""

    en: str


class _Schema(BaseModel):
    # Keys beyond the schema are allowed: a file may carry more than this version of the code reads.
    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    version: int

    @model_validator(mode="after")
    def _placeholders(self) -> _Schema:
        for key, info in type(self).model_fields.items():
            allowed = next((m.names for m in info.metadata if isinstance(m, Fills)), frozenset[str]())
            for where, text in _texts(getattr(self, key), key):
                used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
                if used - allowed:
                    unknown = ", ".join(sorted(used - allowed))
                    raise ValueError(f"{where} uses {{{unknown}}}, which the code does not fill")
        return self


def _texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, BaseModel):
        for key in type(value).model_fields:
            yield from _texts(getattr(value, key), f"{where}.{key}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}")


class CrisisNotes(_Entry):
    """The hotline line for each crisis subject a question names (Korean and English)."""

    ko: dict[CrisisKind, str]
    en: dict[CrisisKind, str]

    @model_validator(mode="after")
    def _every_kind(self) -> CrisisNotes:
        for language, notes in (("ko", self.ko), ("en", self.en)):
            missing = [k.value for k in CrisisKind if k not in notes]
            if missing:
                raise ValueError(f"{language}: no note for {', '.join(missing)}")
        return self


class Replies(_Schema):
    """prompts/replies.yaml: the fixed replies of the turns that end early, and the notices an answer carries."""

    crisis: Bilingual
    crisis_suicide_self_harm: Bilingual
    crisis_violence_abuse: Bilingual
    crisis_child_in_danger: Bilingual
    crisis_basic_needs_today: Bilingual
    crisis_other_lines: Bilingual
    crisis_topic_note: CrisisNotes
    office_closed_urgent: Bilingual
    distress: Bilingual
    small_talk: Bilingual
    uncertain: Bilingual
    clarify: Annotated[Bilingual, Fills("candidates")]
    person_requested: Bilingual
    escalated: Bilingual
    own_case: Bilingual
    several_problems: Bilingual
    queue_position: Annotated[Bilingual, Fills("position")]
    office_closed: Annotated[Bilingual, Fills("opens")]
    waiting: Annotated[Bilingual, Fills("queue")]
    out_of_scope: Bilingual
    needs_more_info: Bilingual
    error: Bilingual
    pii_warning: Bilingual

    @model_validator(mode="after")
    def _a_reply_per_crisis_kind(self) -> Replies:
        # Route answers a crisis with ``crisis_<kind>``: a kind added to CrisisKind needs its reply here.
        extra = self.model_extra or {}
        missing = [k.value for k in CrisisKind if f"crisis_{k.value}" not in type(self).model_fields | extra]
        if missing:
            raise ValueError(f"no crisis reply for {', '.join(missing)}")
        return self


class ExtractiveLabels(_Entry):
    target: Bilingual
    content: Bilingual
    method: Bilingual
    contact: Bilingual
    summary: Bilingual
    documents: Bilingual
    period: Bilingual
    passage: Bilingual


class Extractive(_Schema):
    """prompts/extractive.yaml: the templates the extractive answerer builds an answer from."""

    labels: ExtractiveLabels
    direct: Annotated[Bilingual, Fills("title", "answer")]
    direct_summary: Annotated[EnglishOnly, Fills("title", "answer")]
    intro: Annotated[Bilingual, Fills("title")]
    english_summary_note: Annotated[EnglishOnly, Fills("summary")]
    related: Bilingual
    caveat: Bilingual


class Verdicts(_Entry):
    eligible: Bilingual
    likely: Bilingual
    not_eligible: Bilingual
    unknown: Bilingual


class People(_Entry):
    model_config = ConfigDict(extra="allow", frozen=True)  # one entry per relation the fact reader knows

    other: Bilingual  # whoever has no entry of their own


class Eligibility(_Schema):
    """prompts/eligibility.yaml: how a verdict, its unmet criteria and the one question are said."""

    verdicts: Verdicts
    verdicts_other: Annotated[Verdicts, Fills("who")]
    people: People
    this_policy: Annotated[Bilingual, Fills("verdict")]
    named_policy: Annotated[Bilingual, Fills("title", "verdict")]
    unmet: Annotated[Bilingual, Fills("criteria")]
    to_confirm: Annotated[Bilingual, Fills("criteria")]
    discovered: Bilingual
    discovered_other: Annotated[Bilingual, Fills("who")]
    questions: dict[str, Bilingual]
    questions_other: Annotated[dict[str, Bilingual], Fills("who")]
    facts: dict[str, Bilingual]


class ChatPrompt(_Schema):
    """prompts/answer.yaml and judge.yaml: a system and a user message for a chat model."""

    system: Annotated[str, Fills("language_name")]
    user: Annotated[str, Fills("history", "question", "sources", "answer")]


SCHEMAS: dict[str, type[_Schema]] = {
    "replies": Replies,
    "extractive": Extractive,
    "eligibility": Eligibility,
    "answer": ChatPrompt,
    "judge": ChatPrompt,
}
