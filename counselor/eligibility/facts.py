"""Facts a citizen states about themselves, read by rules in Korean and English ("67살이고 혼자 살아요",
"월 150만원 벌어요", "애 둘 키우는 한부모예요", "I'm 34 and pregnant"). A fact is kept only when the words say
it plainly; anything unsure is left unknown, to be asked.

Ages next to a word for a child are the child's; ages of other relatives (어머니, my father) are not the
citizen's and are left out. A disability is recorded for the household, whoever has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from counselor.chat.numbers import numbers_in
from counselor.eligibility.profile import Child, FactSource, Profile

RegionDetector = Callable[[str], tuple[str, str | None] | None]

_KIN = (
    r"(?:어머니|아버지|엄마|아빠|남편|아내|와이프|할머니|할아버지|부모님|시어머니|장모님|친정엄마"
    r"|동생|형|누나|언니|오빠)"
)
_CHILD_KO = r"(?:아이|아기|애기|애|아들|딸|자녀|첫째|둘째|셋째|막내|손자|손녀|큰애|작은애)"
_CHILD_EN = r"(?:son|daughter|kid|child|baby|boy|girl|toddler|grandson|granddaughter)"
_KO_NUM = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4, "다섯": 5}
_EN_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "an": 1}

_CHILD_AGE_KO = [
    re.compile(rf"(\d{{1,2}})\s*(살|세|개월)\s*(?:짜리|된|인)?\s*{_CHILD_KO}"),
    re.compile(rf"{_CHILD_KO}(?:가|이|는|은)?\s*(?:지금|이제|올해)?\s*(?:만\s*)?(\d{{1,2}})\s*(살|세|개월)"),
]
_CHILD_AGE_EN = [
    re.compile(rf"\b(\d{{1,2}})[- ](year|month)s?[- ]old\s+{_CHILD_EN}", re.IGNORECASE),
    re.compile(rf"\b(?:my|our)\s+{_CHILD_EN}\s+is\s+(\d{{1,2}})(?:\s+(year|month)s?)?", re.IGNORECASE),
    re.compile(rf"\b{_CHILD_EN}\s+(?:aged|of)\s+(\d{{1,2}})(?:\s+(year|month)s?)?", re.IGNORECASE),
]
_SELF_AGE_KO = re.compile(r"(?:만\s*)?(\d{1,3})\s*(?:살|세)(?!\s*(?:짜리|된|인)?\s*" + _CHILD_KO + r")")
_SELF_AGE_EN = [
    re.compile(
        r"\bI(?:'m|\s+am)\s+(?:a\s+)?(\d{1,3})(?!\d|[,.]\d|\s*(?:weeks?|months?|kids?|children|%))\b", re.IGNORECASE
    ),
    re.compile(r"\bI(?:'m|\s+am)\s+(?:a\s+)?(\d{1,3})[- ]years?[- ]old\b(?!\s+" + _CHILD_EN + ")", re.IGNORECASE),
    re.compile(r"\bat\s+(?:the\s+)?age\s+of\s+(\d{1,3})\b", re.IGNORECASE),
]
_COUNT_KO = re.compile(
    rf"(?:{_CHILD_KO}|자녀)\s*(?:가|이)?\s*(한|하나|두|둘|세|셋|네|넷|다섯|\d(?=\s*명))\s*(?:명|을|를)?(?![가-힣]*살)"
    rf"|(한|두|세|네|다섯|\d)\s*(?:명의)?\s*(?:아이|자녀|아들|딸|애)"
)
_COUNT_EN = re.compile(
    r"\b(one|two|three|four|five|a|an|\d)\s+(?:small\s+|young\s+|little\s+)?(?:kids|children|sons|daughters|child|kid)\b"
    r"|\b(?:mother|mom|father|dad|parent)\s+of\s+(one|two|three|four|five|\d)\b",
    re.IGNORECASE,
)
_NO_CHILDREN = re.compile(r"(아이|자녀|애)(가|는)?\s*없|\bno\s+(kids|children)\b|\bchildless\b", re.IGNORECASE)
_NEWBORN = re.compile(
    r"(막|방금|얼마\s*전에?|지난\s*주에?)\s*(출산|낳)|출산했|태어났|\bnewborn\b|\bjust\s+had\s+a\s+baby\b",
    re.IGNORECASE,
)
_ALONE = re.compile(r"혼자\s*(살|사)|독거|1인\s*가구|홀로\s*(살|사)|\blive\s+alone\b|\bliving\s+alone\b", re.IGNORECASE)
_SINGLE_PARENT = re.compile(
    r"한부모|싱글\s*(맘|대디|파파)|미혼\s*(모|부)|혼자\s*(애|아이|자녀)[를을]?\s*(키우|키워|기르)"
    r"|\bsingle\s+(mother|mom|mum|father|dad|parent)\b|\braising\s+(him|her|them|my\s+\w+)\s+alone\b",
    re.IGNORECASE,
)
_COUPLE = re.compile(
    r"부부|남편(이)?(랑|과|하고)|아내(랑|와|하고)|와이프(랑|와|하고)|\bmy\s+(husband|wife)\s+and\s+I\b"
    r"|\bI\s+and\s+my\s+(husband|wife)\b|\bmarried\b|\bwe\s+are\s+a\s+couple\b",
    re.IGNORECASE,
)
_GRANDPARENT = re.compile(r"손자|손녀|조손|\bgrand(son|daughter|child|children)\b", re.IGNORECASE)
_MULTIPLE = re.compile(r"쌍둥이|세쌍둥이|다태아|\btwins\b|\btriplets\b", re.IGNORECASE)
_SIZE_KO = re.compile(
    r"(\d{1,2})\s*인\s*가구|가족이\s*(\d{1,2})\s*명|(\d{1,2})\s*식구|(한|두|세|네|다섯|여섯)\s*식구"
    r"|(둘|셋|넷|다섯)이서?\s*(?:살|사)"
)
_SIZE_EN = re.compile(r"\bfamily\s+of\s+(\w+)\b|\b(\d{1,2})[- ]person\s+household\b", re.IGNORECASE)
_INCOME_KO = re.compile(
    r"(?:월|한\s*달(?:에)?|매달|월급|월수입|수입|소득|벌이)\s*(?:이|은|는|가)?\s*(?:약|대략|한)?\s*"
    r"(\d[\d,.]*\s*(?:만|천만|백만|억)?\s*(?:\d[\d,]*)?\s*원?)\s*(?:정도|가량|쯤)?\s*(?:벌|받|이에요|예요|입니다|이요|이고|이며|인데|정도|돼|되|나와|있)"
)
_INCOME_EN = re.compile(
    r"\b(?:earn|make|get|take\s+home|income\s+is|income\s+of|bring\s+in)\s+(?:about|around|roughly)?\s*"
    r"(\d[\d,.]*\s*(?:million|thousand)?)\s*won\s+(?:a|per|each)\s+month",
    re.IGNORECASE,
)
_NO_INCOME = re.compile(r"(소득|수입)(이|은)?\s*(전혀\s*)?없|\bno\s+income\b|\bzero\s+income\b", re.IGNORECASE)
_SEVERE = re.compile(
    r"중증\s*장애|장애\s*(정도가?\s*)?심한|심한\s*장애|장애\s*[123]\s*급|[123]\s*급\s*장애|\bsevere(ly)?\s+disab",
    re.IGNORECASE,
)
_MILD = re.compile(
    r"경증\s*장애|장애\s*(정도가?\s*)?심하지\s*않|장애\s*[456]\s*급|[456]\s*급\s*장애|\bmild(ly)?\s+disab",
    re.IGNORECASE,
)
_DISABLED = re.compile(
    r"장애인|장애가\s*있|장애\s*등록|장애를\s*가진|휠체어|\bdisabled\b|\bdisability\b|\bwheelchair\b", re.IGNORECASE
)
_VETERAN = re.compile(r"국가유공자|보훈\s*대상|참전\s*유공|상이군경|무공훈장|\bveteran\b", re.IGNORECASE)
_PREGNANT = re.compile(
    r"임신\s*(했|중|\d+\s*주|\d+\s*개월)|임산부|임신부|뱃속|\bpregnant\b|\bexpecting\s+(a\s+baby|twins)\b",
    re.IGNORECASE,
)
_NOT_PREGNANT = re.compile(r"임신\s*(준비|하고\s*싶|계획)|\btrying\s+to\s+get\s+pregnant\b", re.IGNORECASE)
_RECIPIENTS = [
    (re.compile(r"생계\s*급여"), "livelihood"),
    (re.compile(r"의료\s*급여"), "medical"),
    (re.compile(r"주거\s*급여"), "housing"),
    (re.compile(r"교육\s*급여"), "education"),
    (re.compile(r"차상위"), "near_poverty"),
    (
        re.compile(
            r"기초\s*연금\s*(을|를)?\s*(받고|받아요|받는\s*중|받습니다|받으시|수급\s*중|수급자)"
            r"|basic\s+pension\s+recipient|\b(receive|get|on)\s+the\s+basic\s+pension",
            re.I,
        ),
        "basic_pension",
    ),
]
_GENERIC_RECIPIENT = re.compile(
    r"기초\s*(생활)?\s*수급|수급자|\bbasic\s+livelihood\s+(benefit|recipient)", re.IGNORECASE
)


def _number(word: str, table: dict[str, int]) -> int | None:
    return int(word) if word.isdigit() else table.get(word.lower())


def _amount(text: str) -> int | None:
    values = numbers_in(text)
    if not values:
        return None
    value = max(values)
    # "월 150 벌어요" without a unit means 만 원 in everyday Korean.
    return int(value * 10_000) if value < 10_000 and not re.search(r"원|won|million|thousand", text) else int(value)


def _children(text: str) -> list[Child] | None:
    ages: list[Child] = []
    spans: list[tuple[int, int]] = []
    for pattern in (*_CHILD_AGE_KO, *_CHILD_AGE_EN):
        for found in pattern.finditer(text):
            if any(s <= found.start() < e for s, e in spans):
                continue
            spans.append(found.span())
            number, unit = int(found.group(1)), (found.group(2) or "살").lower()
            months = unit in ("개월", "month")
            ages.append(Child(age_months=number) if months else Child(age_years=number))
    if _NEWBORN.search(text) and not ages:
        ages.append(Child(age_months=0))
    count = None
    m: re.Match[str] | None = _COUNT_KO.search(text)
    if m:
        count = _number(m.group(1) or m.group(2), _KO_NUM)
    m = _COUNT_EN.search(text)
    if count is None and m:
        count = _number(m.group(1) or m.group(2), _EN_NUM)
    if _MULTIPLE.search(text) and count is None and not _PREGNANT.search(text):
        count = 3 if re.search(r"세쌍둥이|triplets", text, re.I) else 2
    if count is None and not ages:
        return [] if _NO_CHILDREN.search(text) else None
    if count and not ages:
        # "애 둘 키워요. 5살, 8살이에요" / "two kids, 5 and 8": as many bare ages as children are theirs.
        listed = _listed_ages(text)
        if len(listed) == count:
            ages = [Child(age_years=a) for a in listed]
    total = max(count or 0, len(ages))
    return ages + [Child() for _ in range(total - len(ages))]


_BARE_AGE_KO = re.compile(r"(?<!만)(?<![\d.])(\d{1,2})\s*(?:살|세)")
_AGES_EN = re.compile(r"\b(?:kids|children|sons|daughters)\b[,:]?\s*(?:aged\s+)?((?:\d{1,2}\s*(?:,|and)\s*)+\d{1,2})\b")


def _listed_ages(text: str) -> list[int]:
    m = _AGES_EN.search(text)
    if m:
        return [int(n) for n in re.findall(r"\d{1,2}", m.group(1))]
    found = []
    for age in _BARE_AGE_KO.finditer(text):
        before = text[max(0, age.start() - 6) : age.start()]
        if re.search(r"저는|제가|나는|전\s|저\s|" + _KIN, before):
            continue
        found.append(int(age.group(1)))
    return found


def _self_age(text: str, children_spans: str) -> int | None:
    for pattern in _SELF_AGE_EN:
        m = pattern.search(text)
        if m:
            return int(next(g for g in m.groups() if g))
    for m in _SELF_AGE_KO.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()]
        after = text[m.end() : m.end() + 4]
        if re.search(_KIN + r"|" + _CHILD_KO, before) or re.match(r"\s*(인\s*)?" + _KIN, after):
            continue
        if m.group(0) in children_spans:
            continue
        value = int(m.group(1))
        return value if 14 <= value <= 110 else None
    return None


def extract(text: str, message_id: str | None = None, region: RegionDetector | None = None) -> Profile:
    """The facts this message states. Each fact records the message and the words it came from."""
    facts: dict[str, object] = {}
    children = _children(text)
    if children is not None:
        facts["children"] = children
    child_words = " ".join(m.group(0) for p in (*_CHILD_AGE_KO, *_CHILD_AGE_EN) for m in p.finditer(text))
    listed = {c.age_years for c in children or [] if c.age_years is not None}
    age = _self_age(text, child_words)
    if age is not None and age in listed and not re.search(r"저는|제가|나는|\bI(?:'m|\s+am)\b", text):
        age = None  # the number was a child's age
    if age is not None:
        facts["age"] = age
    if _SINGLE_PARENT.search(text):
        facts["single_parent"] = True
        facts["couple"] = False
    elif _COUPLE.search(text):
        facts["couple"] = True
        facts["single_parent"] = False
    if _ALONE.search(text) and not facts.get("single_parent") and not children:
        facts["lives_alone"] = True
        facts["household_size"] = 1
        facts["couple"] = False
    if _GRANDPARENT.search(text):
        facts["grandparent"] = True
    if _MULTIPLE.search(text):
        facts["multiple_births"] = True
    if m := _SIZE_KO.search(text):
        word = next(g for g in m.groups() if g)
        facts["household_size"] = _number(word, _KO_NUM | {"여섯": 6})
    elif m := _SIZE_EN.search(text):
        facts["household_size"] = _number(m.group(1) or m.group(2), _EN_NUM)
    if _NO_INCOME.search(text):
        facts["monthly_income"] = 0
    elif m := (_INCOME_KO.search(text) or _INCOME_EN.search(text)):
        amount = _amount(m.group(1))
        if amount is not None:
            facts["monthly_income"] = amount
    if _SEVERE.search(text):
        facts["disability"] = "severe"
    elif _MILD.search(text):
        facts["disability"] = "mild"
    elif _DISABLED.search(text):
        facts["disability"] = "unspecified"
    if _VETERAN.search(text):
        facts["veteran"] = True
    if _PREGNANT.search(text) and not _NOT_PREGNANT.search(text):
        facts["pregnant"] = True
    kinds = [kind for pattern, kind in _RECIPIENTS if pattern.search(text)]
    if not kinds and _GENERIC_RECIPIENT.search(text):
        kinds = ["livelihood", "medical", "housing", "education"]
    if kinds:
        facts["recipient"] = kinds
    if region is not None and (place := region(text)):
        facts["sido"], facts["district"] = place
    facts = {k: v for k, v in facts.items() if v is not None}
    source = FactSource(message_id=message_id, text=text[:300])
    return Profile.model_validate(facts | {"sources": {name: source for name in facts}})
