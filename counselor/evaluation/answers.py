"""Answer metrics, each a pure function of one case's answer, so each is tested on hand-made cases.

Amounts compare as values ("33만 4,810원" = "334,810원" = "334,810 won"), so a Korean fact is found in an
English answer and a rewritten amount still counts; text compares without spaces ("주민센터" = "주민 센터").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from counselor.chat.numbers import HOTLINES, numbers_in
from counselor.language import detect_language


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def fact_found(fact: str, answer: str) -> bool:
    """The fact's words, or, for a fact with numbers, every one of its values, appear in the answer."""
    if _squash(fact) in _squash(answer):
        return True
    values = numbers_in(fact)
    return bool(values) and values <= numbers_in(answer)


_PUNCT = re.compile(r"https?:?//|[\s,·∙・.:()\[\]「」'\"‘’“”☎-]+")


def span_found(span: str, answer: str) -> bool:
    """A span of the source in the answer, punctuation aside: external sets write the booklet's "중·고등학교"
    as "중,고등학교" and drop colons, hyphens and URL schemes ("024101298" for 02-410-1298, "0730" for 07:30,
    "http//www.x.kr" for www.x.kr); amounts compare as values (``fact_found``)."""
    return fact_found(span, answer) or _PUNCT.sub("", span) in _PUNCT.sub("", answer)


def fact_recall(facts: list[str], answer: str) -> float | None:
    """Share of expected facts in the answer; None when the case expects none (not a perfect score)."""
    if not facts:
        return None
    return sum(fact_found(f, answer) for f in facts) / len(facts)


def citation_scores(cited: Iterable[tuple[str, str]], expected: list[str]) -> tuple[float | None, float | None]:
    """(precision, recall) of cited (policy id, title) pairs against expected ids or titles. Precision is None
    with no citation (nothing claimed), recall None with nothing expected."""
    cited = list(dict.fromkeys(cited))
    if not expected:
        return None, None
    hits = [c for c in cited if c[0] in expected or c[1] in expected]
    precision = len(hits) / len(cited) if cited else None
    found = [e for e in expected if any(e in c for c in cited)]
    return precision, len(found) / len(expected)


def numeric_groundedness(answer: str, sources: str, question: str = "") -> float | None:
    """Share of the answer's numbers found in its cited sources (or the citizen's own words, or the counselor's
    own 24-hour lines); None when the answer has no numbers. Citation marks and list numbering are not numbers here."""
    values = numbers_in(answer)
    if not values:
        return None
    grounded = numbers_in(sources) | numbers_in(question) | numbers_in(HOTLINES)
    return sum(v in grounded for v in values) / len(values)


def language_matches(answer: str, lang: str) -> bool:
    return detect_language(answer) == lang
