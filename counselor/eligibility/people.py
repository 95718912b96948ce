"""Who a message is about: the citizen, or another person ("우리 엄마가 72세예요", "my father lives alone").

A relative named as the grammatical subject with something said of them (an age, an honorific verb: 사세요,
받으실 수, 이세요) or asked about ("can my mother get ...") is the person the question is about; a relative named
only in passing ("아버지를 모시고 살아요", "62세 남편과") is not, though an age written next to them is theirs.
"""

from __future__ import annotations

import re

from counselor.eligibility.profile import OLDEST_AGE

# Relation words, longest first so 시어머니 is not read as 어머니 plus a stray syllable.
_KO_RELATIONS: tuple[tuple[str, str], ...] = (
    ("시어머니|친정\\s*엄마|친정\\s*어머니|장모님|어머님|어머니|어무이|어머이|엄니|어매|모친|엄마", "mother"),
    ("시아버지|장인어른|장인|아버님|아버지|아부지|아버이|부친|아빠", "father"),
    ("외할머니|친할머니|할머님|할머니|할무이|할머이|할매", "grandmother"),
    ("외할아버지|친할아버지|할아버님|할아버지|할아부지|할배", "grandfather"),
    ("부모님", "parents"),
    ("남편", "husband"),
    ("아내|와이프|집사람|부인", "wife"),
    ("남동생|여동생|동생", "sibling"),
    ("오빠|형님|형", "brother"),
    ("언니|누나", "sister"),
    ("큰아버지|작은아버지|외삼촌|삼촌|숙부|백부|고모부|이모부", "uncle"),
    ("큰어머니|작은어머니|이모|고모|숙모|외숙모|백모", "aunt"),
    ("조카", "niece_or_nephew"),
    ("사촌", "cousin"),
    ("어르신", "elder"),
)
_EN_RELATIONS: tuple[tuple[str, str], ...] = (
    ("mother-in-law|mother|mom|mum|mommy", "mother"),  # in-laws as in Korean: 시어머니 is "mother"
    ("father-in-law|father|dad|daddy", "father"),
    ("grandmother|grandma|granny|nana", "grandmother"),
    ("grandfather|grandpa|granddad|grandad", "grandfather"),
    ("parents", "parents"),
    ("husband", "husband"),
    ("wife", "wife"),
    ("brother", "brother"),
    ("sister", "sister"),
    ("uncle", "uncle"),
    ("aunt|auntie", "aunt"),
    ("niece", "niece"),
    ("nephew", "nephew"),
    ("cousin", "cousin"),
)
_SPOUSES = frozenset({"husband", "wife"})
KO_KIN = "|".join(words for words, _ in _KO_RELATIONS)
EN_KIN = "|".join(words for words, _ in _EN_RELATIONS)
# "my little brother", "my older sister": a word of age or rank between "my" and the relative.
_EN_RANK = r"(?:(?:little|younger|older|elder|big|baby|kid)\s+)?"
_KO_SUBJECT = re.compile(rf"({KO_KIN})\s*(?:께서|이|가|는|은|도)?(?![가-힣])|({KO_KIN})(?=\s*\d{{1,3}}\s*(?:살|세))")
_EN_SUBJECT = re.compile(
    rf"\bmy\s+(?:\d{{1,3}}[- ]year[- ]old\s+|elderly\s+|old\s+)?{_EN_RANK}({EN_KIN})\b(?!\s+and\s+I\b)", re.IGNORECASE
)
# Said of someone else: honorific endings of a state (사세요, 이세요, 없으세요) or of the question itself (받으실
# 수, 되실까요). A past event in honorifics ("쓰러지셔서 입원하셨어요") says what happened to them, not whom the
# question is about: "… 네 식구예요. 긴급복지 받을 수 있을까요?" is the household's question.
_HONORIFIC = re.compile(
    r"(?:사세요|사십니다|계세요|계십니다|이세요|이십니다|이신데|이시고|세요\b|신데|시고|시는데|으실|실\s*수|실까요|받으시|되시|되셨"
    r"|하세요|하십니다|없으세요|있으세요|않으세요)"
)
# The eligibility question with the relative as its subject ("아내가 장애인연금 받을 수 있나요"): no clause ends
# between them ("남편이 실직했는데 … 받을 수 있나요" asks for the household).
_ASKED_OF = re.compile(
    r"^(?:께서|이|가|는|은|도)?\s*(?:(?!는데|어서|아서|해서|니까|지만|했|됐|고\s)[^.?!]){0,24}?"
    r"(?:받을\s*수|받으실|받을까|신청\s*(?:할\s*수|가능)|될까|되나요|돼요|가능할까|가능한가|해당(?:될|되|하))"
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
# What after a bare number makes it no age: a count, a grade, a unit of time, money or size.
NOT_AGE = r"명|개월|개|번|등급|급|학년|달|주|일|원|만|천|억|%|kg|cm|시|분|년|월|호|층|점|평|회"
_AGE_NEAR_KIN_KO = re.compile(
    rf"(?:(?P<kin1>{KO_KIN})\s*(?:께서|이|가|는|은)?\s*(?:올해|지금|현재|이제)?\s*(?:만\s*)?(?P<age1>\d{{1,3}})\s*(?:살|세|(?=이세요|이십니다|이신데|이시고|이에요|(?<=2[5-9]|[3-9]\d)(?:시고|신데|십니다|세요))"
    # "할머니가 80인데", "할아버지 83 혼자 사세요": two digits or more with a copula or a word after them;
    # "아버지 일흔하나신데" (71신데): no 이 after a vowel, from 25 up so a time ("10시고") is no age.
    rf"|(?<=\d\d)(?![\d.,])(?=\s*(?:인데|이고|이요|이신|이시|,)|\s+(?!{NOT_AGE}))))"
    rf"|(?:(?:만\s*)?(?P<age2>\d{{1,3}})\s*(?:살|세)\s*(?:이신|이|인|되신|되는|된|의|\s)?\s*(?:저희\s*|우리\s*)?(?P<kin2>{KO_KIN}))"
)
_AGE_NEAR_KIN_EN = re.compile(
    rf"\bmy\s+{_EN_RANK}(?P<kin1>{EN_KIN})(?:'s|\s+is|\s+who\s+is|,|\s+turns|\s+turned|\s+just\s+turned)?\s+"
    rf"(?:aged\s+|now\s+|already\s+|still\s+)?(?P<age1>\d{{1,3}})\b"
    rf"(?!\s*(?:%|won|million|kids|children))"
    rf"|\bmy\s+(?P<age2>\d{{1,3}})[- ]years?[- ]old\s+{_EN_RANK}(?P<kin2>{EN_KIN})\b"
    # "Can my father get 기초연금? He's 80.": the pronoun after the relative is them.
    rf"|\bmy\s+{_EN_RANK}(?P<kin3>{EN_KIN})\b[^.?!]{{0,60}}[.?!]?\s*(?:he|she)(?:'s|\s+is)\s+(?:now\s+|only\s+|just\s+)?"
    rf"(?P<age3>\d{{1,3}})\b(?!\s*(?:months?|weeks?|%|won))",
    re.IGNORECASE,
)


_SPOUSE_DISABLED = re.compile(r"^(?:이|가|는|은|도)?\s*[^.?!]{0,8}?(?:장애|disab)", re.IGNORECASE)
# "아버지가 아니라 큰아버지세요": the person asked about was named wrong.
_NOT_BUT = re.compile(rf"({KO_KIN})\s*(?:이|가|는|은)?\s*아니(?:라|고)\s*,?\s*({KO_KIN})")


def corrected_relation(text: str) -> tuple[str, str] | None:
    """(the relation named wrong, the right one) when the message corrects whom it is about."""
    m = _NOT_BUT.search(text)
    return (relation_of(m.group(1)), relation_of(m.group(2))) if m else None


def relation_of(word: str) -> str:
    for table in (_KO_RELATIONS, _EN_RELATIONS):
        for words, relation in table:
            if re.fullmatch(rf"(?:{words})", word.replace(" ", ""), re.IGNORECASE):
                return relation
    return "other"


_MONEY_AFTER = re.compile(
    r"\s*(?:만\s*원?|원|정도|쯤|가량)?\s*(?:을|를|씩)?\s*(?:벌|버[는니세시]|받|월급|수입|won\b)", re.IGNORECASE
)


def kin_ages(text: str) -> list[tuple[str, int, tuple[int, int]]]:
    """(relation, age, span) for each age written next to a relative."""
    found = []
    for pattern in (_AGE_NEAR_KIN_KO, _AGE_NEAR_KIN_EN):
        for m in pattern.finditer(text):
            groups = m.groupdict()
            kin = groups["kin1"] or groups["kin2"] or groups.get("kin3") or ""
            age = groups["age1"] or groups["age2"] or groups.get("age3") or "0"
            # "남편이 300 벌어 와요", "엄마가 50 받으세요": money beside a relative, not an age.
            if not 0 < int(age) <= OLDEST_AGE or _MONEY_AFTER.match(text, m.end()):
                continue
            found.append((relation_of(kin), age_now(int(age), m), m.span()))
    return found


def _said_of(text: str, ko: re.Match[str], aged: set[str]) -> str | None:
    relation = relation_of(ko.group(1) or ko.group(2))
    rest = text[ko.end() :]
    if relation in _SPOUSES:
        # A spouse shares the household: "남편이 실직했어요" is the citizen's case unless an age, a disability
        # or the question itself is said of them ("남편이 시각장애 1급이에요", "아내가 … 받을 수 있나요").
        said = relation in aged or bool(_SPOUSE_DISABLED.match(rest)) or bool(_ASKED_OF.match(rest))
    else:
        said = relation in aged or bool(_HONORIFIC.search(rest)) or bool(_ASKED_OF.match(rest))
    return relation if said and not _self_first(text, ko.start()) else None


def subject_of(text: str, has_facts: bool) -> str | None:
    """The relation the message is about, "self" when the citizen speaks of themselves, None when it does not
    say (a short answer to the bot's question: "네 살이요"). Of several relatives named, the one whose age is
    said ("할아버지가 … 전사하셨고 … 아버지 일흔다섯이신데")."""
    aged = {kin for kin, _, _ in kin_ages(text)}
    named = [m for m in _KO_SUBJECT.finditer(text)]
    for ko in sorted(named, key=lambda m: relation_of(m.group(1) or m.group(2)) not in aged):
        if (relation := _said_of(text, ko, aged)) is not None:
            return relation
    en = _EN_SUBJECT.search(text)
    if en is not None and (has_facts or _EN_OTHER.search(text)) and not _self_first(text, en.start()):
        relation = relation_of(en.group(1))
        asked_of = re.search(rf"\b(?:can|could|would|will|does|is)\s+my\s+{re.escape(en.group(1))}\b", text, re.I)
        if relation not in _SPOUSES or asked_of or relation in aged:
            return relation
    return "self" if SELF_MARK.search(text) else None


def _self_first(text: str, kin_at: int) -> bool:
    """The citizen speaks of themselves before naming the relative ("저는 45살이고 어머니는 ...")."""
    mark = SELF_MARK.search(text)
    return mark is not None and mark.start() < kin_at and not re.search(r"\bmy\b|우리|저희", text[:kin_at][-8:])


# "He turns seven next month": the birthday is still to come, so the age now is one less; "turns 66 this year"
# is read as said (programs count the year one turns 65, or the birthday, and the office checks which).
_TURNS_LATER = re.compile(
    r"\s+(?:next\s+(?:month|week)|soon|in\s+(?:a|one|two|three|\d{1,2})\s+(?:days?|weeks?|months?))\b", re.IGNORECASE
)


def age_now(number: int, said: re.Match[str]) -> int:
    """The age now of the person whose age ``said`` matched: one less when the words say they "turn" it soon."""
    turns = re.search(r"\bturns\b", said.group(0), re.IGNORECASE) is not None
    return number - 1 if turns and _TURNS_LATER.match(said.string, said.end()) else number
