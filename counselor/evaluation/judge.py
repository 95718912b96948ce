"""An optional LLM judge of faithfulness and relevance. A judgement that fails (no reply, not JSON, a score
outside 1–5) is recorded as an error for that case and left out of the means: never scored as 0."""

from __future__ import annotations

import asyncio
import json
import re

from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel, Field, ValidationError

from counselor.errors import UpstreamError
from counselor.evaluation.records import JudgeScores
from counselor.prompts import Prompt


class JudgeError(UpstreamError):
    """The judge's model failed or its reply held no usable judgement."""


class Judgement(BaseModel):
    faithfulness: float = Field(ge=1, le=5)
    relevance: float = Field(ge=1, le=5)
    reason: str = ""


def parse_judgement(text: str) -> Judgement:
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if not match:
        raise JudgeError(f"no JSON object in the judge's reply: {text[:80]!r}")
    try:
        return Judgement.model_validate(json.loads(match.group(0)))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise JudgeError(f"unusable judgement: {str(exc).splitlines()[0]}") from exc


class Judge:
    def __init__(self, model: BaseChatModel, prompt: Prompt, label: str, timeout_s: float = 60.0) -> None:
        self.model = model
        self.label = f"{label} ({prompt.label})"
        self.timeout_s = timeout_s
        self._template = ChatPromptTemplate.from_messages(
            [("system", prompt.field("system")), ("human", prompt.field("user"))]
        )

    async def judge_once(self, question: str, answer: str, sources: str) -> Judgement:
        messages = self._template.format_messages(question=question, answer=answer, sources=sources or "(none)")
        try:
            reply = await asyncio.wait_for(self.model.ainvoke(messages), self.timeout_s)
        except Exception as exc:  # the judge's failure is the case's error, whatever it was
            raise JudgeError(f"{type(exc).__name__}: {exc}") from exc
        return parse_judgement(str(reply.content))

    async def judge(self, question: str, answer: str, sources: str, repeats: int) -> JudgeScores:
        scores = JudgeScores()
        for _ in range(repeats):
            try:
                judgement = await self.judge_once(question, answer, sources)
            except JudgeError as exc:
                scores.errors.append(str(exc))
                continue
            scores.faithfulness.append(judgement.faithfulness)
            scores.relevance.append(judgement.relevance)
        return scores
