"""The embedded default: an answer built from the policy's own sections, with no model at all.

It quotes who, what, how to apply and whom to call from the best policy (only the parts the question asks
about, when it asks about one), then lists the next policies. Quoting keeps every amount exactly as the
source writes it. English questions get the policy's English summary and the Korean contact details.
"""

from __future__ import annotations

import re

from counselor.chat.answerers.base import Draft, TokenSink
from counselor.chat.context import TurnContext
from counselor.chat.sources import Aspect, PolicyText
from counselor.prompts import Prompt

_ASKS: dict[Aspect, re.Pattern[str]] = {
    Aspect.METHOD: re.compile(
        r"신청|어디(서|에서|로)|어떻게\s*(받|하)|방법|절차|서류|\bapply|\bwhere\b"
        r"|\bhow\s+(do|can)\b"
        r"|application|documents?",
        re.IGNORECASE,
    ),
    Aspect.CONTACT: re.compile(r"문의|전화|연락|번호|상담\s*전화|\bcall\b|\bphone|\bcontact", re.IGNORECASE),
    Aspect.CONTENT: re.compile(
        r"얼마|금액|지원\s*내용|무엇을|뭘\s*(받|지원)|혜택|\bhow\s+much\b|\bamount"
        r"|\bwhat\s+do\s+(i|we)\s+get",
        re.IGNORECASE,
    ),
    Aspect.TARGET: re.compile(r"대상|누가|자격|조건|기준|받을\s*수\s*있|해당|\bwho\b|\beligib|\bqualif", re.IGNORECASE),
}
_ALL = (Aspect.TARGET, Aspect.CONTENT, Aspect.METHOD, Aspect.CONTACT)
MAX_SECTION_CHARS = 400


def asked_aspects(question: str) -> tuple[Aspect, ...]:
    asked = tuple(a for a in _ALL if _ASKS[a].search(question))
    # "받을 수 있나요?" alone asks about everything; an aspect is narrowing only next to no other hint.
    return asked if asked and asked != (Aspect.TARGET,) else _ALL


def clip(text: str, limit: int = MAX_SECTION_CHARS) -> str:
    """Whole lines, then whole sentences, up to ``limit``: never half a number."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if len(text) <= limit:
        return text
    out = ""
    for piece in re.split(r"(?<=\n)|(?<=[.다요])\s+", text):
        if not piece:
            continue
        if len(out) + len(piece) > limit:
            break
        out += piece if piece.endswith("\n") else piece + " "
    return (out.strip() or text[:limit].rsplit(" ", 1)[0]) + " …"


def one_line(policy: PolicyText, language: str) -> str:
    if language == "en" and policy.english:
        return clip(policy.english, 160)
    for aspect in (Aspect.SUMMARY, Aspect.CONTENT, Aspect.TARGET):
        found = policy.aspect(aspect)
        if found:
            return clip(found[1].replace("\n", " "), 120)
    return ""


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, template: Prompt, related: int = 2) -> None:
        self.template = template
        self.related = related

    async def compose(self, ctx: TurnContext, sources: list[PolicyText], emit: TokenSink) -> Draft:
        return Draft(text=self.render(ctx, sources), prompts=[self.template.label])

    def render(self, ctx: TurnContext, sources: list[PolicyText]) -> str:
        t, lang = self.template, ctx.language
        best = sources[0]
        english = lang == "en"
        title = f"{best.title_en} ({best.title})" if english and best.title_en else best.title
        lines = [t.text("intro", lang, title=title)]
        if best.region != "전국":
            lines[0] += f" ({best.region})"
        aspects = asked_aspects(ctx.standalone or ctx.question)
        if english and best.english:
            lines.append(t.text("english_summary_note", lang, summary=best.english))
            aspects = tuple(a for a in aspects if a == Aspect.CONTACT) or (Aspect.CONTACT,)
        labels = t.field("labels")
        for aspect in aspects:
            found = best.aspect(aspect)
            if found:
                lines.append(f"- {labels[aspect.value][lang]}: {clip(found[1])}")
        if len(lines) == 1:  # nothing sectioned: quote the summary
            found = best.aspect(Aspect.SUMMARY)
            if found:
                lines.append(f"- {labels['summary'][lang]}: {clip(found[1])}")
        related = sources[1 : 1 + self.related]
        if related:
            lines.append("")
            lines.append(t.text("related", lang))
            for n, policy in enumerate(related, start=2):
                name = f"{policy.title_en} ({policy.title})" if english and policy.title_en else policy.title
                summary = one_line(policy, lang)
                lines.append(f"- **{name}** [{n}]" + (f": {summary}" if summary else ""))
        lines.append("")
        lines.append(t.text("caveat", lang))
        return "\n".join(lines)
