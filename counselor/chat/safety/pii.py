"""Mask personal identifiers in a citizen's text before it is stored, logged or sent to a model.

Counsellors never need the numbers themselves: a caseworker asks again on a verified channel. Patterns are
deliberately wide (a false mask costs a retype; a leak cannot be undone) but leave money amounts alone,
which always carry commas or units in Korean writing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Order matters: the longer, more specific identifiers first, so a card number is not read as an account.
_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("rrn", "[주민등록번호]", re.compile(r"(?<!\d)\d{6}\s?[-–]?\s?[1-8]\d{6}(?!\d)")),
    ("card", "[카드번호]", re.compile(r"(?<!\d)\d{4}([- ]?)\d{4}\1\d{4}\1\d{4}(?!\d)")),
    ("email", "[이메일]", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    (
        "phone",
        "[전화번호]",
        re.compile(
            r"(?<![\d-])(?:\+82[- ]?1[016789]|01[016789]|0(?:2|[3-6][1-5]|70))[-. ]?\d{3,4}[-. ]?\d{4}(?![\d-])"
        ),
    ),
    ("account", "[계좌번호]", re.compile(r"(?<![\d-])\d{2,6}-\d{2,6}-\d{2,7}(?:-\d{1,3})?(?![\d-])")),
    ("account", "[계좌번호]", re.compile(r"(?<=계좌)(?:\s*번호)?[\s:은는이가]*\d{10,14}(?!\d)")),
)


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _account_like(match: re.Match[str]) -> bool:
    return 10 <= sum(ch.isdigit() for ch in match.group(0)) <= 16


def mask_identifiers(text: str) -> Masked:
    kinds: list[str] = []
    for kind, label, pattern in _PATTERNS:

        def replace(match: re.Match[str], kind: str = kind, label: str = label) -> str:
            if kind == "account" and not _account_like(match):
                return match.group(0)
            if kind not in kinds:
                kinds.append(kind)
            if kind == "account" and not match.group(0)[:1].isdigit():
                # The look-behind form matched "번호: 1234..." after 계좌; keep the words, mask the digits.
                return re.sub(r"\d{10,14}", label, match.group(0))
            return label

        text = pattern.sub(replace, text)
    return Masked(text=text, kinds=kinds)
