"""Income as citizens say it: a month's amount ("월 150 벌어요", "남편 혼자 버는데 월 210 정도요", "about 500,000
won a month"), a year's ("연봉 3천", "40 million won a year"), before or after tax (both read as said), or none
("소득이 거의 없어요", "no income"). Numbers are digits by now (numerals.py); the amount is read with the
answer guard's number reader, so "1.5 million" and "150만" are the same kind of value.
"""

from __future__ import annotations

import re

from counselor.chat.numbers import numbers_in

_AMOUNT = r"(\d[\d,.]*\s*(?:억\s*(?:\d[\d,]*\s*(?:천만|천|백만|만)?)?|천만|백만|만|천)?\s*(?:\d[\d,]*)?\s*원?)"
_AMOUNT_EN = r"(\d[\d,.]*\s*(?:million|thousand)?)"
_TAX = r"(?:세전|세후|실수령(?:액)?|손에\s*쥐는\s*(?:돈|건))?"
_ABOUT = r"(?:약|대략|한|많아야|겨우|고작|대충)?"
# A month's income: a month word, then the amount, then a word of earning or of being ("…이에요").
MONTHLY_KO = re.compile(
    rf"(?:월|(?:한|1)\s*달(?:에)?|매달|월급|월수입|수입|소득|벌이|월\s*소득|버는\s*돈|벌어\s*오는\s*(?:돈|게))"
    rf"\s*(?:이|은|는|가|도|으로|로)?\s*{_TAX}\s*(?:이|은|는)?\s*{_ABOUT}\s*{_AMOUNT}\s*"
    r"(?:정도|가량|쯤|남짓|조금\s*넘게|안팎|선)?\s*"
    r"(?:벌|버(?:는|니|세|시|십|신|ㄴ)|받|이에요|예요|입니다|이요|이고|이며|인데|정도|돼|되|나와|나오|나옵|들어|넘게|이상|있|밖에"
    r"|수준|이라|요|$|[.,!])"
)
# A year's pay in words: "연봉", "연 소득", "1년에".
_YEAR_WORD = r"(?:연봉|연\s*소득|연\s*수입|연간\s*소득|(?:1|한)\s*년에|일\s*년에|1년\s*소득|1년\s*수입)"
YEARLY_KO = re.compile(rf"{_YEAR_WORD}\s*(?:이|은|는|가)?\s*{_TAX}\s*{_ABOUT}\s*{_AMOUNT}")
_EARN = (
    r"earn|earns|earning|make|makes|making|get|gets|getting|receive|receives|receiving|take\s+home|takes\s+home"
    r"|bring\s+in|brings\s+in|bringing\s+in|income\s+is|income\s+of|pension\s+is|pay\s+is|salary\s+is|wages?\s+(?:is|are)"
    r"|comes?\s+to|totals?|about|around|roughly|only|just|maybe|probably|nothing\s+but"
)
MONTHLY_EN = re.compile(
    rf"\b(?:{_EARN})\b[^.?!\d]{{0,30}}?{_AMOUNT_EN}\s*won\s+(?:a|per|each|every)\s+(month|year)"
    rf"|\b(?:monthly|household|family|take-home|net|gross)\s+(?:income|pay)\s+(?:is|of)\s+(?:about\s+|around\s+)?{_AMOUNT_EN}\s*won"
    rf"|\b(?:annual|yearly)\s+(?:household\s+)?(?:income|salary|pay)\s+(?:is|of)\s+(?:about\s+|around\s+)?{_AMOUNT_EN}\s*won"
    rf"|^\W*{_AMOUNT_EN}\s*won\s+(?:a|per|each)\s+(month|year)",
    re.IGNORECASE,
)
# "we earn about 2.4 million a month", "I make about 4 million": in won, as anyone in Korea says it. Without a
# period the amount is a month's only when it is one a month could be (MONTHLY_CAP): "I make 40 million" is
# a year's pay or a slip, and stays unread, to be asked.
MILLIONS_EN = re.compile(
    rf"\b(?:{_EARN})\b[^.?!\d]{{0,30}}?(\d[\d,.]*\s*million)\s*(?:won\s*)?(?:(?:a|per|each|every)\s+(month|year))?",
    re.IGNORECASE,
)
# "she gets about 500k a month", "800 thousand a month": thousands said without "won", with the period (a bare
# "500k" may be savings or a deposit).
THOUSANDS_EN = re.compile(
    rf"\b(?:{_EARN})\b[^.?!\d]{{0,30}}?(\d[\d,.]*)\s*(?:k|thousand)\b\s*(?:won\s*)?(?:a|per|each|every)\s+(month|year)",
    re.IGNORECASE,
)
MONTHLY_CAP = 10_000_000
# An amount and a word of earning, whatever stands between a month word and it ("한 달에 둘이 합쳐 350 벌어요",
# "남편이 300 정도 벌어 와요"): a month's, as everyday Korean says pay, when a month could hold it (MONTHLY_CAP).
EARNED_KO = re.compile(
    rf"{_AMOUNT}\s*(?:정도|가량|쯤|남짓|조금\s*넘게|안팎)?\s*(?:을|를|씩)?\s*(?:벌(?:어|고|어요|었|면|지|이)|버(?:는|니|세|시|십|신|ㄴ))"
)
_A_YEAR = re.compile(rf"{_YEAR_WORD}|1\s*년|일\s*년|한\s*해")  # before an amount earned
# A reply to the bot's question about income, or a correction of an income already said ("350이요", "it's
# actually 2 million, not 3"): an amount with its unit, or a bare number a month's pay in 만 원 could be.
_REPLY_AMOUNT = re.compile(
    r"(\d[\d,.]*\s*(?:억\s*(?:\d[\d,]*\s*(?:천만|천|백만|만)?)?|천만|백만|만\s*원?|천|원|million|thousand))"
    r"|(?<![\d.])(\d{2,4})(?![\d.]|\s*(?:살|세|명|분|개월|달|주|일|시|월|년|평|%|years?|months?|people|kids))",
    re.IGNORECASE,
)
NO_INCOME = re.compile(
    r"(소득|수입|벌이|버는\s*돈|월급)(이|은|는|도)?\s*(전혀\s*|거의\s*|하나도\s*|아예\s*|지금은\s*)?(없|0\s*원)|무소득|무직"
    r"|\b(?:no|zero|almost\s+no|hardly\s+any|barely\s+any|without\s+(?:any\s+)?)\s+income\b|\bnot\s+earning\b"
    r"|\bdo(?:es)?n't\s+(?:have\s+any\s+|earn\s+any(?:thing)?|make\s+any(?:thing)?)\s*(?:income|money)?\b"
    r"|\b(?:basically|almost)\s+nothing\b|\bearn(?:s|ing)?\s+nothing\b|^\W*(?:nothing|none|zero)\W*$|^\W*없어요\W*$",
    re.IGNORECASE,
)
# Money that is not income: rent, a deposit, the benefit asked about, a debt.
_NOT_INCOME = re.compile(
    r"(?:월세|집세|보증금|전세|관리비|빚|대출|이자|\brent\b|\bdeposit\b|\bloan\b|\bdebt\b)\s*(?:이|은|는|가|is|of)?\s*$",
    re.I,
)


_APART = re.compile(
    r"따로\s*(?:사는|살고|지내는)|분가한|\blives?\s+(?:separately|apart|on\s+(?:his|her)\s+own)\b", re.I
)


def _rent_before(text: str, start: int) -> bool:
    """The money at ``start`` is rent, a deposit or a debt by the words just before it, not income."""
    return _NOT_INCOME.search(text[max(0, start - 8) : start]) is not None


def amount(text: str) -> int | None:
    """The largest amount in ``text`` in won. "월 150" without a unit means 150만 원 in everyday Korean;
    "1억 5천" is 1억 5천만."""
    text = re.sub(r"(\d)\s*억\s*(\d+)\s*천(?!만)", r"\1억 \2천만", text)
    values = numbers_in(text)
    if not values:
        return None
    value = max(values)
    # "연봉 3천" is 3천만 원 as anyone says a year's pay; "3천 원" and "3천만" say their unit.
    plain = value < 10_000 and not re.search(r"원|won|million|thousand|만", text)
    return int(value * 10_000) if plain else int(value)


def income(text: str) -> tuple[int, tuple[int, int]] | None:
    """The monthly income ``text`` states, in won, and the span of its words; a yearly one is divided by 12."""
    for pattern, yearly_group in ((MONTHLY_KO, None), (MONTHLY_EN, "en"), (YEARLY_KO, "year")):
        for m in pattern.finditer(text):
            if _rent_before(text, m.start()) or _APART.search(text[max(0, m.start() - 16) : m.start()]):
                continue  # rent, or the pay of a child who lives elsewhere ("따로 사는 아들이 연봉 1억")
            groups = [g for g in m.groups() if g]
            words = next((g for g in groups if re.search(r"\d", g)), None)
            value = amount(words) if words else None
            if value is None:
                continue
            said = m.group(0).lower()
            english_year = any(g.lower() == "year" for g in groups) or "annual" in said or "yearly" in said
            per_year = yearly_group == "year" or (yearly_group == "en" and english_year)
            return (value // 12 if per_year else value), m.span()
    for m in EARNED_KO.finditer(text):
        year = _A_YEAR.search(text[max(0, m.start() - 20) : m.start()])
        if _rent_before(text, m.start()) or (value := amount(m.group(1))) is None:
            continue
        if year is not None:
            return value // 12, m.span()
        if value <= MONTHLY_CAP:
            return value, m.span()
    for m in MILLIONS_EN.finditer(text):
        if _rent_before(text, m.start()) or (value := amount(m.group(1))) is None:
            continue
        if m.group(2) is not None and m.group(2).lower() == "year":
            return value // 12, m.span()
        if m.group(2) is not None or value <= MONTHLY_CAP:
            return value, m.span()
    for m in THOUSANDS_EN.finditer(text):
        if _rent_before(text, m.start()) or (value := amount(f"{m.group(1)} thousand")) is None:
            continue
        return (value // 12 if m.group(2).lower() == "year" else value), m.span()
    none = NO_INCOME.search(text)
    return (0, none.span()) if none else None


def replied_income(text: str) -> tuple[int, tuple[int, int]] | None:
    """The monthly income a short reply states when income is what was asked or is being corrected: its words
    if they say it ("월 150이요"), else the first amount of money in it ("350이요", "actually 2 million")."""
    if (said := income(text)) is not None:
        return said
    for m in _REPLY_AMOUNT.finditer(text):
        if _rent_before(text, m.start()):
            continue
        value = amount(m.group(0))
        if value is not None and 0 < value <= MONTHLY_CAP:
            return value, m.span()
    return None


# "동사무소에서 저희 집 중위소득 60%라고 했어요", "our income is about 50% of the median": the share of the standard
# median income the office worked out, said as it was told.
_MEDIAN_SHARE = re.compile(
    r"(?:기준\s*)?중위\s*소득\s*(?:의\s*)?(?:약\s*|대략\s*)?(\d{1,3})\s*(?:%|퍼센트|프로)"
    r"|(\d{1,3})\s*(?:%|percent)\s+of\s+(?:the\s+)?(?:standard\s+)?median",
    re.IGNORECASE,
)


def median_share(text: str) -> tuple[float, tuple[int, int]] | None:
    """The share of the median income ``text`` says the household's income is, and the span of its words."""
    m = _MEDIAN_SHARE.search(text)
    if m is None:
        return None
    share = int(m.group(1) or m.group(2)) / 100
    return (share, m.span()) if 0 < share <= 3 else None
