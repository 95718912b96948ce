"""Short replies: the answer to the one question the bot asked ("네 살이요" when it asked a child's age, "두
명이요" when it asked the household's size), and a correction of what was said ("아 잘못 말했어요, 여섯 살이에요",
"Sorry, I meant she's 73", "둘째예요"), which names no one and is about the fact it restates.

Whose fact a bare age is follows from what is known of the person the conversation is about: a child's age in
months is a child's; a correction of an age already said is that age; with a child known and no age of the
person's own, it is the child's.
"""

from __future__ import annotations

import re

from counselor.eligibility.events import child_age
from counselor.eligibility.income import replied_income
from counselor.eligibility.people import age_now
from counselor.eligibility.profile import OLDEST_CHILD_YEARS, Child, Profile
from counselor.eligibility.rules import MILD, SEVERE

_YES = re.compile(
    r"^\W*(?:아\s*)?(?:네|예|응|맞아요|맞습니다|그렇습니다|그래요|yes|yeah|yep|correct|right|that's\s+right)\b", re.I
)
_NO = re.compile(r"^\W*(?:아니요|아뇨|아니에요|아닙니다|없어요|안\s*받아요|no|nope|not|none)\b", re.IGNORECASE)
_BARE_AGE = re.compile(
    r"(?:만\s*)?(\d{1,3})\s*(살|세|개월|달|주|일|years?|months?|weeks?|days?)?"
    r"(?:\s+and\s+a\s+half)?(?:\s*(?:이요|예요|이에요|요|입니다|old|이|이고|인데|이세요|이십니다|되셨|됐))?"
)
_MONTHS_TOO = re.compile(r"(\d{1,3})\s*(?:개월|months?\b)", re.IGNORECASE)
_HALF = re.compile(r"(\d{1,2})\s+and\s+a\s+half", re.IGNORECASE)
_BARE_COUNT = re.compile(r"(\d{1,2})\s*(?:명|분|people|persons?|kids|children)|\b(?:there\s+are\s+)(\d{1,2})\b", re.I)
_KO_COUNT_WORD = re.compile(r"^\s*(하나|둘|셋|넷|다섯|여섯)")
# "둘째예요", "This is our third.", "our third child": the order of the child just born or spoken of.
_ORDER = re.compile(
    r"(둘|셋|넷|다섯)째(?:예요|이에요|요|입니다|를|가|도|는|아이|아기|\s*(?:낳|출산|임신|태어|예정)|\W*$)"
    r"|\b(?:our|my)\s+(second|third|fourth|fifth|2nd|3rd|4th|5th)\b(?!\s+or\s+more)",
    re.IGNORECASE,
)
ORDERS = {"둘": 2, "셋": 3, "넷": 4, "다섯": 5, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
ORDERS |= {"2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
# "He is 3", "she's 72", "my son is 3": the pronoun or person before the number says nothing more.
_PRONOUN = re.compile(
    r"^\W*(?:sorry,?\s*|oh\s+wait,?\s*|i\s+meant,?\s*|actually,?\s*|i\s+got\s+that\s+wrong\W*)*"
    r"(?:he|she|they|it|my\s+\w+)\s*(?:'s|is|are)\s+",
    re.IGNORECASE,
)
_PRONOUN_AGE = re.compile(
    r"\b(?:he|she)(?:'s|\s+is|\s+turns|\s+turned|\s+just\s+turned)\s+(?:now\s+|only\s+|just\s+|still\s+|already\s+)?"
    r"(\d{1,3})\b(?:\s+(years?|months?|weeks?|days?))?",
    re.IGNORECASE,
)
_AGE_UNITS = ("살", "세", "year")
_KO_UNIT = {"year": "살", "day": "일", "week": "주", "month": "개월"}  # an English unit as child_age reads it
_PREGNANCY = re.compile(r"임신|임산부|pregnan", re.IGNORECASE)


# Words a reply or a correction carries besides its facts ("아 잘못 말했어요, 여섯 살이에요", "Sorry, I meant
# she's 73"): lemmas, as kiwipiepy gives them.
_FILLER = frozenset(
    word
    for line in (
        "아 어 네 예 응 음 잘못 말 말하 말씀 죄송 미안 정정 수정 실수 제 저 저희 우리 사실 정도 쯤",
        "지금 이제 현재 올해 되 하 이 있 그렇 맞 아니 다시 나이 같 살 세 개월 달 주 명 분 원 만 요",
        "그 거 것 또 좀 참 혹시 근데 그리고",
        # whose income or household it is: "남편 혼자 버는데 월 210이요", "엄마가 파트타임으로 월 120 벌어요"
        "남편 아내 와이프 엄마 아빠 어머니 아버지 혼자 합치 부부 둘 파트타임 파트 타임 알바 아르바이트",
        "일 직장 회사 월급 벌 버 벌이 수입 소득 다니 보내 가",
        # the question itself: "부모급여 신청하려고요", "받을 수 있는지 궁금해요", "문의드려요"
        "신청 문의 궁금 알 싶 지원 혜택 받 수 가능 대상 자격 해당 이용 가입 참여 드리 어떻 여쭈",
        "sorry mean meant wait oh wrong got that misspoke actually correction it is he she they we i am are was",
        "about around maybe roughly just only now yes yeah no right correct so um uh well ok okay old actual",
        "year years month months week weeks turns turn next this our my the and of in on with for to from re",
        "basically nothing odd job jobs work part time can get apply eligible qualify receive join use still",
        "want know",
        # words a fact comes with: a pension as income, a school year as an age, a veteran's war, a relative
        "연금 사학연금 국민연금 공무원연금 군인연금 퇴직연금 고3 고2 고1 중3 고등학생 중학생 초등학생 대학생 학생",
        "유공자 참전 참전유공자 등록 돌 큰아버지 작은아버지 삼촌 이모 고모 할머니 할아버지 어머님 아버님 부모님",
        "war korean vietnam fought served registered veteran pension grandfather grandmother father mother as a",
        "지나 지났 사학 월 나오 나와 고 들어오",
        # who and when a child's fact is about, and a reply's own words: "생후 8개월이에요", "애가 다섯 살이에요",
        # "We have one boy, he's 11 now", "He turns 7 next spring", "I mixed it up", "Yes, I live in Gwangyang"
        "생후 애 애기 아기 아이 아들 딸 쌍둥이 키우 알아보 작년 재작년 이번 지난 생 태어나 낳 출산",
        "유치원 어린이집 초등학교 학교 졸업 식구 가구 명 사 사시 거주 주소",
        "have has had boy girl son daughter baby kid kids child children twins spring summer autumn fall winter",
        "mixed up typo mistake live lives living at an one be been there us me wife husband family household",
        "together earn earns make makes won million per born last ago since income law near poverty",
        "첫째 둘째 셋째 넷째 다섯째 째 차상위",
        # a romanised address's parts around the place read: "Gwangyang-eup", "Ilsan-seo-gu"
        "eup myeon dong gu si gun seo ri",
    )
    for word in line.split()
)
_ENGLISH_WORD = re.compile(r"[A-Za-z]+")
_CONTENT_TAGS = ("NNG", "NNP", "VV", "VA", "SL", "MAG", "XR")


def says_yes_or_no(text: str) -> bool:
    return bool(_YES.search(text) or _NO.search(text))


def only_facts(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether ``text`` says nothing but its facts (at ``spans``: the facts, a program's name) and the words a
    reply or an eligibility question carries anyway ("아 잘못 말했어요", "받을 수 있나요?")."""
    from counselor.eligibility.numerals import kiwi

    def inside(at: int) -> bool:
        return any(start <= at < end for start, end in spans)

    # The whole text is analysed and the words inside a fact's span skipped: blanking the span instead left
    # fragments that read as words of their own ("셋째 낳|았어요" as a verb "았").
    # English words by their letters: the Korean analyser splits them oddly ("spring." as "s" + "pring.").
    for m in _ENGLISH_WORD.finditer(text):
        if len(m.group()) > 1 and not inside(m.start()) and m.group().lower() not in _FILLER:
            return False
    korean = _ENGLISH_WORD.sub(lambda m: " " * len(m.group()), text)
    for token in kiwi().tokenize(korean):
        form = token.form.lower().strip(".,!?'\"")
        if inside(token.start) or token.tag not in _CONTENT_TAGS or form in _FILLER:
            continue
        return False
    return True


def order(text: str) -> tuple[int, tuple[int, int]] | None:
    m = _ORDER.search(text)
    return (ORDERS[(m.group(1) or m.group(2)).lower()], m.span()) if m else None


Said = dict[str, tuple[object, tuple[int, int]]]  # fact -> (value, span of its words)


def _bare_age(text: str) -> re.Match[str] | None:
    """The first number said with an age's unit, else the first number: a grade or an hour may come first
    ("초등학교 3학년이고 … 만 아홉 살 됐어요")."""
    matches = [m for m in _BARE_AGE.finditer(text) if m.group(1)]
    return next((m for m in matches if m.group(2)), matches[0] if matches else None)


def _age(text: str, asked: str | None, known: Profile | None) -> Said:
    rest = _PRONOUN.sub("", text)
    m = _PRONOUN_AGE.search(text) or _bare_age(rest)
    if m is None or not (m.lastindex and m.group(1)):
        return {}
    shift = 0 if m.re is _PRONOUN_AGE else len(text) - len(rest)  # _PRONOUN takes a prefix off
    span = (m.start() + shift, m.end() + shift)
    unit = (m.group(2) or "").lower().rstrip("s")
    months = _MONTHS_TOO.search(text, span[1]) if unit in ("", *_AGE_UNITS) else None
    if months is not None and int(months.group(1)) // 12 == int(m.group(1)):
        # "He's 2 — about 30 months —": the months, said too, are the closer age when they agree with the years.
        return {"child": (child_age(int(months.group(1)), "개월"), (span[0], months.end()))}
    plain = re.fullmatch(r"\W*(?:만\s*)?\d{1,3}\s*(?:이요|요|입니다|예요|이에요|이세요)?[.!\s]*", rest) is not None
    if not unit and not plain and m.re is not _PRONOUN_AGE:
        return {}
    number = age_now(int(m.group(1)), m)
    per_year = {"개월": 12, "달": 12, "month": 12, "주": 52, "week": 52, "일": 365, "day": 365}.get(unit, 1)
    if asked == "child_age" and number > OLDEST_CHILD_YEARS * per_year:
        return {}  # "45살이요" to a child's age: the citizen's own, or a slip; no child is that old (Child)
    if (half := _HALF.search(text)) and int(half.group(1)) == number and number <= OLDEST_CHILD_YEARS:
        return {"child": (Child(age_months=number * 12 + 6), (0, half.end()))} if asked != "age" else {}
    unit = unit or "살"
    if asked is None and m.re is _PRONOUN_AGE and not _PREGNANCY.search(text) and (known is None or not known.known()):
        # "She's 90 and already has grade 2" after asking about a grandmother: he or she is the person spoken
        # of; an age in months is a child's, a grown-up's age the person's, a child's age in years says nothing.
        if unit in ("month", "week", "day"):
            return {"child": (child_age(number, _KO_UNIT[unit]), span)}
        return {"age": (number, span)} if number >= 18 else {}
    if asked is None and (known is None or not known.known() or _PREGNANCY.search(text)):
        return {}  # nothing asked and nothing to correct: a first message says whose age it is itself
    if unit not in _AGE_UNITS or asked == "child_age":
        return {"child": (child_age(number, _KO_UNIT.get(unit, unit)), span)}
    if asked == "age":
        return {"age": (number, span)}
    if asked is not None or known is None or not known.known():
        return {}
    # A correction or an unasked reply: the age already said, or the one child's when only a child's is known.
    kids = known.children or []
    if number > OLDEST_CHILD_YEARS:
        return {"age": (number, span)} if known.age is not None or not kids else {}
    child: Said = {"child": (Child(age_years=number), span)}
    if kids and known.age is None:
        return child
    if known.age is not None and kids and any(c.age_years is not None for c in kids):
        child_gap = min(abs((c.age_years or 0) - number) for c in kids)
        return child if child_gap < abs(known.age - number) else {"age": (number, span)}
    return {"age": (number, span)} if known.age is not None or number >= 18 else {}


# Words that say a fact just told is being corrected: "아 잘못 말했어요", "Sorry, I meant", "not 3".
_CORRECTING = re.compile(
    r"잘못|정정|아니\s*고|아니라|틀렸|\bsorry\b|\bactually\b|\bi\s+mean(?:t)?\b|mixed\s+(?:it\s+)?up|\btypo\b"
    r"|\bmistake\b|\bnot\s+\d",
    re.IGNORECASE,
)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def answer(text: str, asked: str | None, known: Profile | None = None) -> Said:
    """What a short reply says, with the span of its words, given the fact the bot asked for (``asked``, a
    fact name of the engine) and what is known of the person the conversation is about (``known``) for a
    reply nobody asked for."""
    words = {"하나": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "여섯": 6}
    out: Said = {}
    # Income asked for, or a correction of one already said ("Oh sorry, it's actually 2 million, not 3."), also
    # when the bot has asked something else since: the words of a correction say which fact is corrected.
    correcting = (
        known is not None
        and (known.monthly_income is not None or known.income_band is not None)  # kept as a band once read
        and (asked is None or _CORRECTING.search(text) is not None)
    )
    money = replied_income(text) if asked == "income" or correcting else None
    if money is not None:
        out["monthly_income"] = money
    if asked in (None, "age", "child_age"):
        # An age inside the amount ("2 million, not 3" to the child's age question) is no age.
        ages = _age(text, asked, known)
        out |= {k: v for k, v in ages.items() if money is None or not overlaps(v[1], money[1])}
    if known is not None and known.disability not in (None, "none"):
        # A disability known, its degree said alone ("저 중증이에요", "심하지 않은 편이에요") is its degree.
        if (severe := SEVERE.search(text)) is not None:
            out["disability"] = ("severe", severe.span())
        elif (mild := MILD.search(text)) is not None:
            out["disability"] = ("mild", mild.span())
    yes, no = _YES.search(text), _NO.search(text)
    if asked in ("children", "household", "income"):
        m = _BARE_COUNT.search(text)
        w = _KO_COUNT_WORD.search(text)
        count = int(m.group(1) or m.group(2)) if m else words[w.group(1)] if w else None
        said = m or w
        if count is not None and said is not None:
            out["children" if asked == "children" else "household_size"] = (count, said.span())
        elif asked == "children" and no:
            out["children"] = (0, no.span())
    elif asked in ("pregnant", "veteran", "crisis"):
        if (reply := yes or no) is not None:
            out[asked] = (yes is not None, reply.span())
    elif asked == "disability" and no:
        out["disability"] = ("none", no.span())
    elif asked == "recipient" and no:
        out["recipient"] = ([], no.span())
    return out
