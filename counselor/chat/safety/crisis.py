"""Crisis detection in Korean and English. A match ends the turn with the hotlines and a top-priority ticket.

Rules, not a model: they are reviewable, they cannot be talked out of it, and missing a crisis costs far
more than a caseworker reading a false alarm. Questions *about* crisis programs ("가정폭력 피해자 지원")
match too, on purpose: whoever asks may be the one in danger.
"""

from __future__ import annotations

import re
from enum import StrEnum


class CrisisKind(StrEnum):
    SUICIDE = "suicide_self_harm"
    VIOLENCE = "violence_abuse"
    CHILD = "child_in_danger"
    BASIC_NEEDS = "basic_needs_today"


_RULES: dict[CrisisKind, tuple[str, ...]] = {
    CrisisKind.SUICIDE: (
        r"죽고\s*싶",
        r"자살",
        r"목숨을?\s*끊",
        r"살기\s*(가\s*)?싫",
        r"죽어\s*버리",
        r"자해",
        r"손목을?\s*(긋|그)",
        r"극단적\s*(인\s*)?선택",
        r"뛰어\s*내리",
        r"유서",
        r"사라지고\s*싶",
        r"삶을?\s*끝",
        r"\bkill(ing)?\s+myself\b",
        r"\bsuicid",
        r"\bend\s+(my|it)\s+(life|all)\b",
        r"\bwant\s+to\s+die\b",
        r"\bself[- ]harm",
        r"\bhurt(ing)?\s+myself\b",
        r"\bcut(ting)?\s+myself\b",
        r"\bno\s+reason\s+to\s+live\b",
    ),
    CrisisKind.VIOLENCE: (
        r"맞았",
        r"때려요",
        r"때리",
        r"폭행",
        r"폭력",
        r"성폭",
        r"스토킹",
        r"협박",
        r"죽이겠다",
        r"죽인다고",
        r"\bhits?\s+me\b",
        r"\bbeats?\s+me\b",
        r"\bbeaten\b",
        r"\babus(e|ed|ing|ive)\b",
        r"\bdomestic\s+violence\b",
        r"\brap(e|ed)\b",
        r"\bassault",
        r"\bstalk",
        r"\bthreaten(ed|ing|s)?\s+to\s+kill\b",
    ),
    CrisisKind.CHILD: (
        r"아동\s*학대",
        r"아이를?\s*(때|방치)",
        r"애를?\s*(때|방치)",
        r"아이가?\s*(위험|맞고|굶)",
        r"학대",
        r"\bchild\s+(is\s+)?(in\s+danger|abuse)",
        r"\b(my|a|the)\s+(child|kid|son|daughter)\s+is\s+(being\s+)?(hit|hurt|abused)",
        r"\bneglected\s+(child|kid)",
    ),
    CrisisKind.BASIC_NEEDS: (
        r"굶",
        r"먹을\s*(것|게|거)\s*(이|가)?\s*없",
        r"밥을?\s*못\s*먹",
        r"쌀이?\s*떨어",
        r"끼니",
        r"(전기|가스|수도|물)\s*(가|이)?\s*끊",
        r"단전",
        r"단수",
        r"쫓겨나",
        r"퇴거",
        r"길거리에?\s*나앉",
        r"노숙",
        r"잘\s*곳이?\s*없",
        r"\bno\s+food\b",
        r"\bnothing\s+to\s+eat\b",
        r"\bhaven'?t\s+eaten\b",
        r"\bstarving\b",
        r"\b(electricity|power|gas|water|heating)\s+(was\s+|is\s+|has\s+been\s+|got\s+)?(cut|shut|turned)\s+off\b",
        r"\bevict",
        r"\bhomeless\b",
        r"\bnowhere\s+to\s+(sleep|stay|go)\b",
    ),
}
_COMPILED = {kind: re.compile("|".join(patterns), re.IGNORECASE) for kind, patterns in _RULES.items()}


def detect_crisis(text: str) -> CrisisKind | None:
    for kind, pattern in _COMPILED.items():
        if pattern.search(text):
            return kind
    return None
