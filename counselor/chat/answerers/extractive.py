"""The embedded default: an answer built from the policy's own sections, with no model at all.

It quotes who, what, how to apply and whom to call from the best policy (only the parts the question asks
about, when it asks about one), then lists the next policies. Quoting keeps every amount exactly as the
source writes it. English questions get the policy's English summary and the Korean contact details.
"""

from __future__ import annotations

import re

from counselor.chat.answerers.base import Draft, TokenSink
from counselor.chat.context import TurnContext
from counselor.chat.sources import ASPECT_HEADINGS, Aspect, PolicyText
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
_ASKS_AMOUNT = re.compile(r"얼마|금액|몇\s*%|how\s+much|amount", re.IGNORECASE)
_AMOUNT = re.compile(r"\d[\d,.]*\s*(만\s*)?(천\s*)?원|\d+(\.\d+)?\s*%")
AMOUNT_BONUS = 0.5
_ALL = (Aspect.TARGET, Aspect.CONTENT, Aspect.METHOD, Aspect.CONTACT)
MAX_SECTION_CHARS = 400
# Hangul carries about three Latin letters' worth per character: longer quotes turn an English answer Korean.
ENGLISH_QUOTE_CHARS = {Aspect.METHOD: 80, Aspect.CONTACT: 140}


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


_ASPECT_HEADINGS = {h: a for a, hs in ASPECT_HEADINGS.items() for h in hs if a != Aspect.SUMMARY}


def _bigrams(text: str) -> set[str]:
    squashed = re.sub(r"[\s\W_]+", "", text.lower())
    return {squashed[i : i + 2] for i in range(len(squashed) - 1)}


def units_of(text: str) -> list[str]:
    """Question-and-answer pairs of an FAQ, or else lines."""
    if "**Q.**" in text:
        return [u.strip() for u in re.split(r"(?=\*\*Q\.\*\*)", text) if u.strip()]
    return [u.strip() for u in text.splitlines() if u.strip()]


def overlap(question: str, unit: str) -> float:
    """Shared character pairs, damped by the unit's length so a long passage does not win by size."""
    asked = _bigrams(question)
    return len(asked & _bigrams(unit)) / (1 + len(_bigrams(unit)) ** 0.5) if asked else 0.0


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, template: Prompt, related: int = 2) -> None:
        self.template = template
        self.related = related
        self.min_overlap = 0.3  # measured on the dev set: 0.3 > 0.5 > 0.8 for key facts (docs/chat.md)

    async def compose(self, ctx: TurnContext, sources: list[PolicyText], emit: TokenSink) -> Draft:
        return Draft(text=self.render(ctx, sources), prompts=[self.template.label])

    def passages(self, ctx: TurnContext, best: PolicyText, quoted: set[str]) -> list[str]:
        """Up to two passages of the policy from the sections not quoted anyway (an FAQ answer, a notice, a
        table row): the one retrieval matched first, and the one sharing most with the question."""
        question = ctx.standalone or ctx.question
        label = self.template.field("labels")["passage"][ctx.language]
        limit = 200 if ctx.language == "en" else 350
        amount_asked = bool(_ASKS_AMOUNT.search(question))

        def score(candidate: tuple[str, str]) -> float:
            heading, unit = candidate
            # "얼마" asks for an amount: a passage with one (under 지급 기준, 상한액, 지원 금액 ...) beats words alone.
            bonus = AMOUNT_BONUS if amount_asked and _AMOUNT.search(unit) else 0.0
            return overlap(question, f"{heading} {unit}") + bonus

        chosen: list[tuple[str, str]] = []
        hit = next((h for h in ctx.hits if h.policy_id == best.policy_id), None)
        if hit is not None and hit.section not in quoted and hit.section != "English" and hit.section in best.sections:
            # What retrieval matched first: it ranked this chunk above the rest of the policy.
            unit = max(units_of(hit.text), key=lambda u: overlap(question, u), default="")
            if unit:
                chosen.append((hit.section, unit))
        candidates = [
            (heading, unit)
            for heading, text in best.sections.items()
            if heading not in quoted
            for unit in units_of(text)
            if (heading, unit) not in chosen and not any(unit in c[1] or c[1] in unit for c in chosen)
        ]
        if candidates:
            top = max(candidates, key=score)
            if score(top) >= self.min_overlap:
                chosen.append(top)
        return [
            f"- {label} ({heading}): {clip(unit.replace('**Q.**', 'Q.').replace('**A.**', 'A.'), limit)}"
            for heading, unit in chosen
        ]

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
            # The summary says who and what; where to apply and whom to call are quoted from the Korean text, so
            # the citizen can show the office's name as it is written.
            aspects = tuple(a for a in aspects if a in (Aspect.METHOD, Aspect.CONTACT)) or (Aspect.CONTACT,)
        labels = t.field("labels")
        quoted: set[str] = set()
        for aspect in aspects:
            found = best.aspect(aspect)
            if found:
                quoted.update(ASPECT_HEADINGS[aspect] if aspect == Aspect.CONTACT else (found[0],))
                # Korean quoted into an English answer stays short: the office and number, not the whole rule.
                limit = ENGLISH_QUOTE_CHARS.get(aspect, MAX_SECTION_CHARS) if english else MAX_SECTION_CHARS
                lines.append(f"- {labels[aspect.value][lang]}: {clip(found[1], limit)}")
        if len(lines) == 1:  # nothing sectioned: quote the summary
            found = best.aspect(Aspect.SUMMARY)
            if found:
                lines.append(f"- {labels['summary'][lang]}: {clip(found[1])}")
        related = sources[1 : 1 + self.related]
        if related:
            # Named, not quoted: the answer's facts (and amounts) come only from what it cites.
            names = [f"{p.title_en} ({p.title})" if english and p.title_en else p.title for p in related]
            lines.append("")
            lines.append(f"{t.text('related', lang)} " + ", ".join(names))
        # An English answer with the English summary already says what a passage would, in English.
        passages = [] if english and best.english else self.passages(ctx, best, quoted)
        lines[1:1] = passages
        lines.append("")
        lines.append(t.text("caveat", lang))
        return "\n".join(lines)
