"""The embedded default: an answer built from the policy's own sentences, with no model at all.

The reply starts with the direct answer: the one or two sentences of the best policy that answer the aspect
asked (amount, who, how to apply, whom to call, documents, period; ``aspects.py``), quoted as the source writes
them, so every amount is exact. Then the details the citizen may need next (who, what, how, whom to call, each
short), a passage that matches the question when one does, the related policies, and the caveat. English
questions get the English summary, with the Korean name beside the English one and Korean contact details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from counselor.chat.answerers.aspects import DETAILS, EVIDENCE, asked_aspects
from counselor.chat.answerers.base import AnswerRequest, Draft, TokenSink
from counselor.chat.sources import ASPECT_HEADINGS, Aspect, PolicyText
from counselor.language import detect_language
from counselor.prompts import Prompt

MAX_SECTION_CHARS = 300
DIRECT_CHARS = 300
# Hangul carries about three Latin letters' worth per character: longer quotes turn an English answer Korean.
ENGLISH_QUOTE_CHARS = {Aspect.METHOD: 80, Aspect.CONTACT: 140}
ASKED_EN_CHARS = (140, 60, 0)  # the asked fact's quote in an English answer: tried longest first
# Measured on the WelSSISKo tune split (docs/retrieval.md, bench.welssisko answers): a sentence under the asked
# aspect's heading, or carrying what such an answer carries (a number, a phone, a document), leads.
HEADING_BONUS = 0.6
EVIDENCE_BONUS = 0.4
_SENTENCE = re.compile(r"(?<=[.다요])\s+|\s+(?=\d+\)\s)")
_LONG_LINE = 160


def plain(text: str) -> str:
    """Source text as a citizen reads it: the FAQ's bold markers go, the page renders its own emphasis."""
    return text.replace("**Q.**", "Q.").replace("**A.**", "A.").replace("**", "")


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
    return (out.strip() or _cut(text, limit)) + " …"


_AMOUNT_END = re.compile(r"[\d,.]+\s*(?:억|천만|백만|만|천)?$")
_AMOUNT_GOES_ON = re.compile(r"[\d,.]|원|천|만")


def _cut(text: str, limit: int) -> str:
    """``text`` cut at a space before ``limit``, never inside an amount: "주 25시간 129만 2,160원" cut after
    "129만" would show a number no source says (the output guard rejects the answer for it)."""
    cut = text[:limit].rsplit(" ", 1)[0]
    rest = text[len(cut) :].lstrip()
    while " " in cut and _AMOUNT_END.search(cut) and _AMOUNT_GOES_ON.match(rest):
        cut, _, last = cut.rpartition(" ")
        rest = f"{last} {rest}"
    return cut


def _bigrams(text: str) -> set[str]:
    squashed = re.sub(r"[\s\W_]+", "", text.lower())
    return {squashed[i : i + 2] for i in range(len(squashed) - 1)}


def overlap(question: str, unit: str) -> float:
    """Shared character pairs, damped by the unit's length so a long passage does not win by size."""
    asked = _bigrams(question)
    return len(asked & _bigrams(unit)) / (1 + len(_bigrams(unit)) ** 0.5) if asked else 0.0


def units_of(text: str) -> list[str]:
    """Question-and-answer pairs of an FAQ, or else lines."""
    if "**Q.**" in text:
        return [u.strip() for u in re.split(r"(?=\*\*Q\.\*\*)", text) if u.strip()]
    return [u.strip() for u in text.splitlines() if u.strip()]


@dataclass(frozen=True)
class Unit:
    heading: str
    said: str  # what is quoted: a line, a sentence, an FAQ's answer
    read: str  # what is compared with the question: for an FAQ, its question too


_ROW = re.compile(r"^\s*-\s*([^:\n]{1,30}):\s*(.*)$")


def records(text: str) -> list[str]:
    """A section's lines, a table's rows kept whole: the booklet writes a row as "- 구분: X" "- 금액: Y" lines,
    and a row's amount means nothing without its 구분. A row ends at a blank line or where its first key
    comes again (sections cut into chunks lose their blank lines)."""
    out: list[str] = []
    row: list[str] = []
    first = ""

    def flush() -> None:
        nonlocal row, first
        if row:
            out.append(" · ".join(row))
        row, first = [], ""

    for line in text.splitlines():
        match = _ROW.match(line)
        if not line.strip():
            flush()
        elif match is None:
            flush()
            out.append(line.strip())
        else:
            if match.group(1) == first:
                flush()
            first = first or match.group(1)
            row.append(f"{match.group(1)}: {match.group(2).strip()}")
    flush()
    return out


def sentences(heading: str, text: str) -> list[Unit]:
    out = []
    for unit in units_of(text) if "**Q.**" in text else records(text):
        if unit.startswith("**Q.**"):
            answer = unit.partition("**A.**")[2]
            out.append(Unit(heading, plain(answer).strip() or plain(unit), plain(unit)))
            continue
        line = plain(unit).lstrip("- ").strip()
        parts = [p.strip() for p in _SENTENCE.split(line)] if len(line) > _LONG_LINE else [line]
        out.extend(Unit(heading, p, p) for p in parts if p)
    return out


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, template: Prompt, related: int = 2) -> None:
        self.template = template
        self.related = related
        self.min_overlap = 0.3  # measured on the dev set: 0.3 > 0.5 > 0.8 for key facts (docs/chat.md)

    async def compose(self, request: AnswerRequest, emit: TokenSink) -> Draft:
        return Draft(text=self.render(request), prompts=[self.template.label])

    def direct(self, question: str, policy: PolicyText, asked: tuple[Aspect, ...]) -> list[Unit]:
        """The sentence that answers the question (and the next best one, when it adds to it)."""
        units = [u for h, t in policy.sections.items() for u in sentences(h, t)]
        if not units:
            return []
        lead = asked[0] if asked else Aspect.CONTENT
        headings = set(ASPECT_HEADINGS[lead])
        # The program's name is in most questions and in none of its sentences: it would only add noise.
        words = question.replace(policy.title, " ")

        def score(u: Unit) -> float:
            bonus = HEADING_BONUS if u.heading in headings else 0.0
            if lead in EVIDENCE and EVIDENCE[lead].search(u.said):
                bonus += EVIDENCE_BONUS
            return overlap(words, f"{u.heading} {u.read}") + bonus

        ranked = sorted(units, key=score, reverse=True)
        best = [ranked[0]]
        if len(ranked) > 1 and len(ranked[0].said) < 80 and score(ranked[1]) >= 0.85 * score(ranked[0]):
            best.append(ranked[1])
        return best

    def render(self, request: AnswerRequest) -> str:
        t, lang, sources = self.template, request.language, request.sources
        best = sources[0]
        english = lang == "en"
        question = request.asked
        # English answers name the program in English with its Korean name beside it, as offices know it.
        title = f"{best.title_en} ({best.title})" if english and best.title_en else best.title
        if best.region != "전국":
            title += f" ({best.region})"
        asked = asked_aspects(question)
        labels = t.field("labels")
        asked_line: tuple[int, str, str] | None = None
        direct = self.direct(question, best, asked)
        said = {u.said for u in direct}
        if english and best.english:
            # The English summary leads: a Korean quote first would make the answer read as Korean. Where to
            # apply and whom to call follow, quoted from the Korean text.
            lines = [t.text("direct_summary", lang, title=title, answer=best.english)]
            said = set()
            if direct and asked and asked[0] not in (Aspect.METHOD, Aspect.CONTACT):
                # The summary seldom holds the one fact asked (a period, an age limit, an amount by case): the
                # source's sentence on it follows, quoted short so the answer still reads as English (below).
                asked_line = (len(lines), f"- {labels[asked[0].value][lang]}: ", " ".join(u.said for u in direct))
                lines.append(asked_line[1] + clip(asked_line[2], ASKED_EN_CHARS[0]))
                said = {u.said for u in direct}
        elif direct:
            limit = ENGLISH_QUOTE_CHARS.get(asked[0], DIRECT_CHARS) if english and asked else DIRECT_CHARS
            lines = [t.text("direct", lang, title=title, answer=clip(" ".join(u.said for u in direct), limit))]
        else:
            lines = [t.text("intro", lang, title=title)]
        lines.append("")
        details = [a for a in (*asked, *DETAILS) if a in DETAILS]
        if english and best.english:
            # The summary says who and what; where to apply and whom to call are quoted from the Korean text, so
            # the citizen can show the office's name as it is written.
            details = [a for a in details if a in (Aspect.METHOD, Aspect.CONTACT)]
        shown: set[str] = set()
        for aspect in dict.fromkeys(details):
            found = best.aspect(aspect)
            if not found or found[0] in shown:
                continue
            shown.update(ASPECT_HEADINGS[aspect] if aspect == Aspect.CONTACT else (found[0],))
            rest = "\n".join(u for u in units_of(found[1]) if plain(u).lstrip("- ").strip() not in said)
            if not rest.strip():
                continue
            limit = ENGLISH_QUOTE_CHARS.get(aspect, MAX_SECTION_CHARS) if english else MAX_SECTION_CHARS
            lines.append(f"- {labels[aspect.value][lang]}: {clip(plain(rest), limit)}")
        if not (english and best.english):
            lines.extend(self.passages(request, best, shown, said))
        related = sources[1 : 1 + self.related]
        if related:
            # Named, not quoted: the answer's facts (and amounts) come only from what it cites.
            names = [f"{p.title_en} ({p.title})" if english and p.title_en else p.title for p in related]
            lines.append("")
            lines.append(f"{t.text('related', lang)} " + ", ".join(names))
        lines.append("")
        lines.append(t.text("caveat", lang))
        if asked_line is not None:
            # Shorter, then none: an English answer must not read as Korean for the quote it carries.
            at, label, quote = asked_line
            for limit in ASKED_EN_CHARS[1:]:
                if detect_language("\n".join(lines)) == "en":
                    break
                lines[at] = label + clip(quote, limit) if limit else ""
        return "\n".join(lines)

    def passages(self, request: AnswerRequest, best: PolicyText, shown: set[str], said: set[str]) -> list[str]:
        """One passage from a section not shown (an FAQ answer, a notice, a table row): the one retrieval
        matched first when it is there, else the one sharing most with the question."""
        question = request.asked
        label = self.template.field("labels")["passage"][request.language]
        candidates = [
            u
            for heading, text in best.sections.items()
            if heading not in shown
            for u in sentences(heading, text)
            if u.said not in said and not any(u.said in s or s in u.said for s in said)
        ]
        if not candidates:
            return []
        top = max(candidates, key=lambda u: overlap(question, f"{u.heading} {u.read}"))
        if overlap(question, f"{top.heading} {top.read}") < self.min_overlap:
            return []
        return [f"- {label} ({top.heading}): {clip(top.said, 200 if request.language == 'en' else 350)}"]
