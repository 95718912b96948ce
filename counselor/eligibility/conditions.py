"""Conditions a program asks that no number describes, said in the citizen's own words: the child is cared for
at home, not in daycare ("어린이집 안 보내고 집에서 키워요"); both parents work (맞벌이); a multicultural family; no
teeth left on a jaw; an infertility diagnosis; a high-risk pregnancy (조기진통으로 입원); a military medal; Agent
Orange after-effects; having left a children's home; an eye disease. A criterion names one
(``{fact: condition, name: daycare, value: false}``) and is met, failed or open as the words said it.

Each condition is a pair of patterns, for "it holds" and "it does not", so "어린이집 다녀요" fails home care as
plainly as "집에서 봐요" meets it. A condition not said stays open, to be asked or left to the office.
"""

from __future__ import annotations

import re
from typing import Literal

ConditionName = Literal[
    "daycare", "dual_income", "multicultural", "no_teeth", "infertility", "high_risk_pregnancy", "medal",
    "agent_orange", "care_leaver", "eye_disease", "female",
]  # fmt: skip

_I = re.IGNORECASE
# (holds, does not hold); None where the words for "not" are not worth reading.
PATTERNS: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {
    "daycare": (
        re.compile(
            r"(?<!안\s)(?:어린이집|유치원)(?:에|을|를|도)?\s*(?:다녀|다니고|다니는|다녀요|보내|보내고|가요|가고|다닙)"
            r"|보육료\s*(?:를|을)?\s*(?:받|지원)|\b(?:goes|go|going|attends?|attending|is|are|in)\s+(?:to\s+)?(?:an?\s+)?"
            r"(?:(?:private|public|national|local)\s+)?(?:daycare\b|kindergarten\b|preschool\b|어린이집|유치원)"
            r"|\bdaycare\s+(?:centre|center)\s+(?:every|each|during)",
            _I,
        ),
        re.compile(
            r"(?:어린이집|유치원)(?:에|은|는|을|를|도)?\s*(?:안|않|못|다니지\s*않|보내지\s*않|안\s*다니|안\s*보내)"
            r"|(?:집|가정)에서\s*(?:제가\s*|직접\s*|엄마가\s*|할머니가\s*)?(?:키워|키우|봐요|보고|돌봐|돌보|양육|길러|기르)|가정\s*양육\s*(?:중|하고)"
            r"|\bno\s+daycare\b|\bnot\s+(?:in|at|going\s+to)\s+daycare\b|\b(?:doesn't|don't|does\s+not)\s+(?:go\s+to|attend)\s+daycare\b"
            r"|\b(?:keep|care\s+for|look\s+after|raise|raising|stays?)\s+(?:\w+\s+){0,2}(?:at\s+)?home\b|\bat\s+home\b",
            _I,
        ),
    ),
    "dual_income": (
        re.compile(
            r"맞벌이|둘\s*다\s*(?:일|직장|회사|출근)|부부\s*모두\s*(?:일|직장)"
            r"|\bboth\s+(?:of\s+us\s+)?work|\bdual[- ]income\b",
            _I,
        ),
        None,
    ),
    "multicultural": (
        re.compile(
            r"다문화|결혼\s*이민|이주\s*여성|외국인\s*(?:아내|남편|엄마|며느리)|\bmulticultural\b|\bmarriage\s+immigrant\b",
            _I,
        ),
        None,
    ),
    "no_teeth": (
        re.compile(
            r"(?:이|치아|이빨|윗니|아랫니)(?:가|는|도)?\s*(?:하나도|전혀|다|모두|전부)\s*(?:없|빠지|빠졌|빠져)"
            r"|(?:윗|아랫)\s*잇몸에\s*(?:이|치아)(?:가)?\s*(?:하나도|전혀)?\s*없|무치악|\bno\s+(?:teeth|upper\s+teeth|lower\s+teeth)\b"
            r"|\blost\s+all\s+(?:of\s+)?(?:his|her|my|their)\s+(?:upper\s+|lower\s+)?teeth\b",
            _I,
        ),
        None,
    ),
    "infertility": (re.compile(r"난임|불임|시험관|인공\s*수정|\binfertil|\bIVF\b", _I), None),
    "high_risk_pregnancy": (
        re.compile(
            r"조기\s*진통|임신\s*중독|전치\s*태반|태반\s*조기\s*박리|양막|절박\s*유산|양수\s*(?:과다|과소)|자궁경부\s*무력|고위험\s*임신"
            r"|임신\s*당뇨|\bpreterm\s+labou?r\b|\bpre-?eclampsia\b|\bhigh[- ]risk\s+pregnan|\bplacenta\s+previa\b",
            _I,
        ),
        None,
    ),
    "medal": (
        re.compile(
            r"무공\s*훈장|(?:태극|을지|충무|화랑|인헌)\s*(?:무공)?\s*훈장|\bmilitary\s+medal\b|\bmedal\s+of\b", _I
        ),
        None,
    ),
    "agent_orange": (re.compile(r"고엽제|\bagent\s+orange\b", _I), None),
    "care_leaver": (
        re.compile(
            r"보육원|아동\s*(?:복지\s*)?시설|그룹홈|공동\s*생활\s*가정|위탁\s*가정|보호\s*종료|자립\s*준비\s*청년|시설에서\s*(?:퇴소|나왔|자랐)"
            r"|\b(?:orphanage|children's\s+home|foster\s+(?:care|home|family)|care\s+leaver|left\s+care)\b",
            _I,
        ),
        None,
    ),
    "eye_disease": (re.compile(r"백내장|녹내장|망막|황반|\bcataracts?\b|\bglaucoma\b|\bmacular\b|\bretina", _I), None),
    "female": (
        re.compile(r"\b(?:she|her|daughter|mother|mom|wife|woman|girl)\b|딸|엄마|어머니|아내|여자|여성", _I),
        re.compile(r"\b(?:he|him|his|son|father|dad|husband|man|boy)\b|아들|아버지|아빠|남편|남자|남성", _I),
    ),
}
# Said of whoever the message is about; "female" is read from the relation instead (subject.py, people.py), or
# from the speaker's own words about themselves (_OWN_SEX).
READ_FROM_WORDS = tuple(name for name in PATTERNS if name != "female")


# The speaker saying their own sex ("여자고 차상위예요", "I'm 22, female"): the one way "female" is read from words.
def _own_sex(ko: str, en: str) -> re.Pattern[str]:
    copula = r"(?:예요|에요|이에요|이고|고|인데|입니다|이구요|이고요)(?=[\s,.!?~]|$)"
    return re.compile(
        rf"(?:^|[\s,.])(?:저는?\s*|제가\s*)?(?:{ko}){copula}"
        rf"|\bI'?m\s+(?:a\s+)?(?:\d{{1,2}}(?:[-\s]years?[-\s]old)?,?\s*(?:and\s+)?)?(?:{en})\b"
        rf"|\b\d{{1,2}},\s*(?:{en.split('|')[0]})\b",
        _I,
    )


_OWN_SEX = ((True, _own_sex("여자|여성", r"female|a\s+woman|woman")), (False, _own_sex("남자|남성", r"male|a\s+man")))


def conditions(text: str) -> dict[str, tuple[bool, tuple[int, int]]]:
    """The conditions ``text`` says hold or do not, with the span of the words."""
    found: dict[str, tuple[bool, tuple[int, int]]] = {}
    for female, pattern in _OWN_SEX:
        if (m := pattern.search(text)) is not None:
            found["female"] = (female, m.span())
            break
    for name in READ_FROM_WORDS:
        holds, fails = PATTERNS[name]
        against = list(fails.finditer(text)) if fails is not None else []
        said = against or list(holds.finditer(text))
        if said:
            # Every phrase that says it ("집에서 제가 봐요, 어린이집 안 다녀요") is the condition's words.
            found[name] = (not against, (said[0].start(), said[-1].end()))
    return found


SEX_OF_RELATION = {
    "mother": True, "grandmother": True, "wife": True, "daughter": True, "sister": True, "aunt": True,
    "niece": True,
    "father": False, "grandfather": False, "husband": False, "son": False, "brother": False, "uncle": False,
    "nephew": False,
}  # fmt: skip
