"""Crisis rules in Korean and English: the router's high-precision overrides (counselor/chat/routing/).

Two tiers, because the same word can be a cry for help or a question about a program:
- ``detect_crisis``: words that say someone is in danger now ("죽고 싶어요", "맞았어요", "사흘째 굶고 있어요").
  A hit is a crisis whatever the model says: it cannot be talked out of it.
- ``crisis_topic``: words that name a crisis subject ("자살", "가정폭력", "노숙", "eviction"). "가정폭력 피해자
  지원 제도" is usually a question about a program, so with the model present a topic hit alone is not a
  crisis: the model decides, with a low bar for crisis, and an answered question on the subject carries the
  hotline for it. With no model (rules only) a topic hit is a crisis, as it always was: missing a crisis
  costs far more than a caseworker reading a false alarm.
"""

from __future__ import annotations

import re
from enum import StrEnum


class CrisisKind(StrEnum):
    SUICIDE = "suicide_self_harm"
    VIOLENCE = "violence_abuse"
    CHILD = "child_in_danger"
    BASIC_NEEDS = "basic_needs_today"


_DANGER: dict[CrisisKind, tuple[str, ...]] = {
    CrisisKind.SUICIDE: (
        r"죽고\s*싶",
        r"자살\s*(하|할|했|시도|충동|생각)",
        r"목숨을?\s*끊",
        r"살기\s*(가\s*)?싫",
        r"죽어\s*버리",
        r"자해\s*(를\s*)?(했|해요|하고|하게|하는|중)",
        r"손목을?\s*(긋|그)",
        r"극단적\s*(인\s*)?선택",
        r"뛰어\s*내리",
        r"유서",
        r"사라지고\s*싶",
        r"삶을?\s*끝",
        r"\bkill(ing)?\s+myself\b",
        r"\bsuicidal\b",
        r"\bcommit(ting)?\s+suicide\b",
        r"\bend\s+(my|it)\s+(life|all)\b",
        r"\bwant\s+to\s+die\b",
        r"\bhurt(ing)?\s+myself\b",
        r"\bcut(ting)?\s+myself\b",
        r"\bno\s+reason\s+to\s+live\b",
    ),
    CrisisKind.VIOLENCE: (
        r"맞았",
        r"때려요",
        r"때리(고|는|면|려|며|더)",
        r"폭행\s*(해|했|하고|당|을\s*당)",
        r"성폭행\s*을?\s*당",
        r"스토킹\s*(을\s*)?(당|하고|해요)",
        r"협박\s*(을\s*)?(당|해요|하고|받)",
        r"죽이겠다",
        r"죽인다고",
        r"\bhits?\s+me\b",
        r"\bbeats?\s+me\b",
        r"\bbeaten\b",
        r"\babused\s+me\b",
        r"\brap(ed)\b",
        r"\bassaulted\b",
        r"\bstalking\s+me\b",
        r"\bthreaten(ed|ing|s)?\s+to\s+kill\b",
    ),
    CrisisKind.CHILD: (
        r"아이를?\s*(때|방치)",
        r"애를?\s*(때|방치)",
        r"아이가?\s*(위험|맞고|굶)",
        r"학대\s*(당|받|하고|하는\s*것\s*같)",
        r"\bchild\s+(is\s+)?in\s+danger",
        r"\b(my|a|the)\s+(child|kid|son|daughter)\s+is\s+(being\s+)?(hit|hurt|abused)",
        r"\bneglected\s+(child|kid)",
    ),
    CrisisKind.BASIC_NEEDS: (
        r"굶(고|었|어요|는\s*중|은\s*지)",
        r"먹을\s*(것|게|거)\s*(이|가)?\s*없",
        r"밥을?\s*못\s*먹",
        r"쌀이?\s*떨어",
        r"(전기|가스|수도|물)\s*(가|이)?\s*끊(겼|겨|어졌)",
        r"쫓겨나(게|요|서|고|면|기)",
        r"길거리에?\s*나앉",
        r"잘\s*곳이?\s*없",
        r"\bno\s+food\b",
        r"\bnothing\s+to\s+eat\b",
        r"\bhaven'?t\s+eaten\b",
        r"\bstarving\b",
        r"\b(electricity|power|gas|water|heating)\s+(was\s+|is\s+|has\s+been\s+|got\s+)?(cut|shut|turned)\s+off\b",
        r"\b(being\s+)?evicted\b",
        r"\bnowhere\s+to\s+(sleep|stay|go)\b",
    ),
}
# Subjects, not situations: also the words of questions about the programs for them.
_TOPIC: dict[CrisisKind, tuple[str, ...]] = {
    CrisisKind.SUICIDE: (r"자살", r"자해", r"\bsuicid", r"\bself[- ]harm"),
    CrisisKind.VIOLENCE: (
        r"폭행",
        r"폭력",
        r"성폭",
        r"스토킹",
        r"협박",
        r"\babus(e|ed|ing|ive)\b",
        r"\bdomestic\s+violence\b",
        r"\brape\b",
        r"\bassault",
        r"\bstalk",
    ),
    CrisisKind.CHILD: (r"아동\s*학대", r"학대", r"\bchild\s+abuse", r"\bneglect"),
    CrisisKind.BASIC_NEEDS: (
        r"굶",
        r"끼니",
        r"단전",
        r"단수",
        r"퇴거",
        r"노숙",
        r"\bevict",
        r"\bhomeless\b",
    ),
}


def _compile(rules: dict[CrisisKind, tuple[str, ...]]) -> dict[CrisisKind, re.Pattern[str]]:
    return {kind: re.compile("|".join(patterns), re.IGNORECASE) for kind, patterns in rules.items()}


_DANGER_RE = _compile(_DANGER)
_TOPIC_RE = _compile(_TOPIC)


def detect_crisis(text: str) -> CrisisKind | None:
    """The kind of danger the words state, or None."""
    for kind, pattern in _DANGER_RE.items():
        if pattern.search(text):
            return kind
    return None


def crisis_topic(text: str) -> CrisisKind | None:
    """The crisis subject the words name (a danger stated counts too), or None."""
    stated = detect_crisis(text)
    if stated is not None:
        return stated
    for kind, pattern in _TOPIC_RE.items():
        if pattern.search(text):
            return kind
    return None
