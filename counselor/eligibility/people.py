"""Who a message is about: the citizen, or another person ("우리 엄마가 72세예요", "my father lives alone").

A relative named as the grammatical subject with something said of them (an age, an honorific verb: 사세요,
받으실 수, 이세요) or asked about ("can my mother get ...") is the person the question is about; a relative named
only in passing ("아버지를 모시고 살아요", "62세 남편과") is not, though an age written next to them is theirs.
"""

from __future__ import annotations

import re

# Relation words, longest first so 시어머니 is not read as 어머니 plus a stray syllable.
_KO_RELATIONS: tuple[tuple[str, str], ...] = (
    ("시어머니|친정\\s*엄마|친정\\s*어머니|장모님|어머님|어머니|엄마", "mother"),
    ("시아버지|장인어른|장인|아버님|아버지|아빠", "father"),
    ("외할머니|친할머니|할머님|할머니", "grandmother"),
    ("외할아버지|친할아버지|할아버님|할아버지", "grandfather"),
    ("부모님", "parents"),
    ("남편", "husband"),
    ("아내|와이프|집사람|부인", "wife"),
    ("남동생|여동생|동생", "sibling"),
    ("오빠|형님|형", "brother"),
    ("언니|누나", "sister"),
    ("어르신", "elder"),
)
_EN_RELATIONS: tuple[tuple[str, str], ...] = (
    ("mother|mom|mum|mommy", "mother"),
    ("father|dad|daddy", "father"),
    ("grandmother|grandma|granny", "grandmother"),
    ("grandfather|grandpa", "grandfather"),
    ("parents", "parents"),
    ("husband", "husband"),
    ("wife", "wife"),
    ("brother", "brother"),
    ("sister", "sister"),
)
_SPOUSES = frozenset({"husband", "wife"})
KO_KIN = "|".join(words for words, _ in _KO_RELATIONS)
EN_KIN = "|".join(words for words, _ in _EN_RELATIONS)
_KO_SUBJECT = re.compile(rf"({KO_KIN})\s*(?:께서|이|가|는|은|도)?(?![가-힣])|({KO_KIN})(?=\s*\d{{1,3}}\s*(?:살|세))")
_EN_SUBJECT = re.compile(
    rf"\bmy\s+(?:\d{{1,3}}[- ]year[- ]old\s+|elderly\s+|old\s+)?({EN_KIN})\b(?!\s+and\s+I\b)", re.IGNORECASE
)
# Said of someone else: honorific verb endings (사세요, 받으실, 이세요, 되셨어요) and English pronouns.
_HONORIFIC = re.compile(
    r"(?:사세요|사십니다|계세요|계십니다|이세요|이십니다|이신데|이시고|세요\b|셨어요|셨는데|신데|시고|으실|실\s*수|받으시|되시|되셨)"
)
_EN_OTHER = re.compile(
    r"\b(?:can|could|would|will|does|is)\s+(?:she|he|they)\b|\b(?:she|he)\s+(?:is|lives|has|gets|receives|was)\b"
    r"|\b(?:for|can|could|does|is|will|would)\s+my\s+(?:" + EN_KIN + r")\b",
    re.IGNORECASE,
)
SELF_MARK = re.compile(
    r"(?:^|[\s,.])(?:저는|제가|저도|나는|내가|전|저)\s|\bI(?:'m|\s+am|\s+have|\s+live|\s+earn|\s+make|\s+get|\s+receive)\b",
    re.IGNORECASE,
)
_AGE_NEAR_KIN_KO = re.compile(
    rf"(?:(?P<kin1>{KO_KIN})\s*(?:께서|이|가|는|은)?\s*(?:올해|지금|현재|이제)?\s*(?:만\s*)?(?P<age1>\d{{1,3}})\s*(?:살|세|(?=이세요|이십니다|이신데|이시고|이에요)))"
    rf"|(?:(?:만\s*)?(?P<age2>\d{{1,3}})\s*(?:살|세)\s*(?:이신|이|인|되신|되는|된|의|\s)?\s*(?:저희\s*|우리\s*)?(?P<kin2>{KO_KIN}))"
)
_AGE_NEAR_KIN_EN = re.compile(
    rf"\bmy\s+(?P<kin1>{EN_KIN})(?:'s|\s+is|\s+who\s+is|,)?\s+(?:aged\s+|now\s+|already\s+)?(?P<age1>\d{{1,3}})\b"
    rf"(?!\s*(?:%|won|million|kids|children))"
    rf"|\bmy\s+(?P<age2>\d{{1,3}})[- ]years?[- ]old\s+(?P<kin2>{EN_KIN})\b",
    re.IGNORECASE,
)


def relation_of(word: str) -> str:
    for table in (_KO_RELATIONS, _EN_RELATIONS):
        for words, relation in table:
            if re.fullmatch(rf"(?:{words})", word.replace(" ", ""), re.IGNORECASE):
                return relation
    return "other"


def kin_ages(text: str) -> list[tuple[str, int, tuple[int, int]]]:
    """(relation, age, span) for each age written next to a relative."""
    found = []
    for pattern in (_AGE_NEAR_KIN_KO, _AGE_NEAR_KIN_EN):
        for m in pattern.finditer(text):
            kin = m.group("kin1") or m.group("kin2")
            age = m.group("age1") or m.group("age2")
            found.append((relation_of(kin), int(age), m.span()))
    return found


def subject_of(text: str, has_facts: bool) -> str | None:
    """The relation the message is about, "self" when the citizen speaks of themselves, None when it does not
    say (a short answer to the bot's question: "네 살이요")."""
    ko = _KO_SUBJECT.search(text)
    en = _EN_SUBJECT.search(text)
    if ko is not None:
        relation = relation_of(ko.group(1) or ko.group(2))
        said_of_them = has_facts or bool(_HONORIFIC.search(text[ko.end() :]))
        if relation in _SPOUSES:
            # A spouse shares the household: "남편이 실직했어요" is the citizen's case unless an age says whose.
            said_of_them = any(kin == relation for kin, _, _ in kin_ages(text))
        if said_of_them and not _self_first(text, ko.start()):
            return relation
    if en is not None and (has_facts or _EN_OTHER.search(text)) and not _self_first(text, en.start()):
        relation = relation_of(en.group(1))
        if relation not in _SPOUSES or any(kin == relation for kin, _, _ in kin_ages(text)):
            return relation
    return "self" if SELF_MARK.search(text) else None


def _self_first(text: str, kin_at: int) -> bool:
    """The citizen speaks of themselves before naming the relative ("저는 45살이고 어머니는 ...")."""
    mark = SELF_MARK.search(text)
    return mark is not None and mark.start() < kin_at and not re.search(r"\bmy\b|우리|저희", text[:kin_at][-8:])
