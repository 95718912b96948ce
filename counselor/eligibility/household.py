"""The household a message describes: its children (how many, how old, born when: "쌍둥이가 일곱 살", "애 둘
키워요. 5살, 8살이에요", "작년 12월에 셋째를 낳았어요"), who lives together (alone, a couple, a single parent, a
grandparent raising grandchildren, "두 분이 사세요") and how many they are ("네 식구", "it's me, my wife and our
two kids"). A child who lives elsewhere ("따로 사는 아들") is no member of it.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import ValidationError

from counselor.eligibility import rules as r
from counselor.eligibility.events import birth, born_in, child_age, gave_birth
from counselor.eligibility.profile import Child
from counselor.eligibility.replies import order

Found = dict[str, tuple[object, tuple[int, int]]]  # fact -> (value, span in the normalised text)

_BARE_AGE_KO = re.compile(r"(?<!만)(?<![\d.])(\d{1,2})\s*(?:살|세)")
_AGES_EN = re.compile(r"\b(?:kids|children|sons|daughters)\b[,:]?\s*(?:aged\s+)?((?:\d{1,2}\s*(?:,|and)\s*)+\d{1,2})\b")
_APART = re.compile(
    r"따로\s*(?:사는|살고|살아요|지내는)|분가한|결혼한|출가한|\b(?:lives?|living)\s+(?:separately|apart|on\s+(?:his|her)\s+own)\b"
)
_CHILD_BORN_IN = re.compile(r.CHILD_KO + r"|\b(?:son|daughter|kid|child|baby)\b", re.IGNORECASE)
# "아버지랑 두 분이 사세요": the person asked about lives with a spouse (said of elders, in honorifics; "엄마랑 둘이
# 살아요" is the citizen living with their mother, two of them, no couple).
PARENTS_TOGETHER = re.compile(
    r"(?:아버지|어머니|엄마|아빠|할머니|할아버지|할아버님|할머님|아버님|어머님)\s*(?:랑|와|과|하고)\s*"
    r"(?:(?:두|2)\s*분|(?:둘이|같이|함께)\s*(?:사세요|사십니다|사시|지내세요|계세요))"
    r"|(?:두|2)\s*분(?:이|이서)?\s*(?:사세요|사십니다|사시|살|사)|\bshe\s+and\s+my\s+(?:father|dad)\b|\bhe\s+and\s+my\s+(?:mother|mom)\b",
    re.IGNORECASE,
)
_MEMBERS_EN = re.compile(
    r"\b(?:it'?s|we\s+are|we're|there'?s)\s+(?:just\s+)?me,?\s+(?:and\s+)?my\s+(?:wife|husband|partner)"
    r"(?:,?\s+and\s+(?:our|my)\s+(\d)\s+(?:kids|children|sons|daughters))?",
    re.IGNORECASE,
)


# First birthdays: "돌 된 아기", "아이가 두 돌 지났어요" (the count word as said or as a digit), and the months
# since ("돌 지난 지 두 달": 14 months).
_DOL_COUNT = r"(\d|한|두|세|네)"
_DOL = re.compile(
    rf"(?:{_DOL_COUNT}\s*)?돌\s*(?:된|지난|쯤\s*된|이\s*지난)\s*(?:우리\s*)?{r.CHILD_KO}"
    rf"|{r.CHILD_KO}(?:가|이|는|은)?\s*(?:이제\s*)?(?:{_DOL_COUNT}\s*)?돌\s*(?:지났|됐|이에요|이요|지난\s*지|지나고)"
    r"(?:\s*(\d{1,2})\s*(?:달|개월))?"
)
_SINGLE_BIRTH = re.compile(
    r"\b(?:had|have|gave\s+birth\s+to)\s+(?:one|1|a\s+single)\s+baby\b|(?:한|1)\s*명(?:을|만)?\s*(?:낳|출산)", re.I
)
_HALF = re.compile(r"(\d{1,2})\s+and\s+a\s+half", re.IGNORECASE)


def number(word: str, table: dict[str, int]) -> int | None:
    return int(word) if word.isdigit() else table.get(word.lower())


def _listed_ages(text: str) -> list[int]:
    if m := _AGES_EN.search(text):
        return [int(n) for n in re.findall(r"\d{1,2}", m.group(1))]
    found = []
    for age in _BARE_AGE_KO.finditer(text):
        before = text[max(0, age.start() - 6) : age.start()]
        if re.search(r"저는|제가|나는|전\s|저\s", before) or r.KIN_BEFORE.search(before):
            continue
        found.append(int(age.group(1)))
    return found


def _born_in(t: str, today: date, ages: list[Child], spans: list[tuple[int, int]]) -> None:
    """A child's year and month of birth ("2019년 3월생 딸", "우리 애가 2024년 5월생인데")."""
    said = born_in(t, today)
    if said is None:
        return
    year, month, span = said
    near = t[max(0, span[0] - 12) : span[1] + 6]
    if today.year - year < 19 and _CHILD_BORN_IN.search(near):
        ages.append(Child(birth=f"{year:04d}-{month or 1:02d}") if month else Child(age_years=today.year - year))
        spans.append(span)


def children(t: str, today: date, found: Found) -> list[tuple[int, int]]:
    """The children the words speak of, into ``found``; the spans taken by children's ages."""
    ages: list[Child] = []
    spans: list[tuple[int, int]] = []
    for pattern in (*r.CHILD_AGE_KO, *r.CHILD_AGE_EN):
        for said in pattern.finditer(t):
            # An age already read is not read again; a child word already read may carry its own ("큰애 네 살
            # 작은애 세 살": "네 살 작은애" took 4, "작은애 세 살" is the second child's 3, "큰애 네 살" nothing new).
            if any(s <= said.start(1) < e for s, e in spans) or _APART.search(
                t[max(0, said.start() - 10) : said.start()]
            ):
                continue
            try:
                child = child_age(int(said.group(1)), said.group(2) or "살")
            except ValidationError:
                continue  # "my 90-year-old grandmother": an age no child has (Child's bounds), a grown-up's
            spans.append(said.span())
            ages.append(child)
    for said in _DOL.finditer(t):  # "돌 된 아기", "두 돌": first birthdays
        if not any(s <= said.start() < e for s, e in spans):
            spans.append(said.span())
            years = number(said.group(1) or said.group(2) or "1", r.KO_NUM) or 1
            ages.append(Child(age_months=12 * years + int(said.group(3) or 0)))
    for i, kid in enumerate(ages):
        if kid.age_years is not None and (half := _HALF.search(t)) and int(half.group(1)) == kid.age_years:
            ages[i] = Child(age_months=kid.age_years * 12 + 6)  # "two and a half" is 30 months
    if not ages:
        _born_in(t, today, ages, spans)
    born = birth(t, today)
    if born is not None and not any(c.age_months == 0 or c.birth for c in ages):
        ages.append(born[0])
        spans.append(born[1])
    multiple = r.MULTIPLE.search(t) if not r.PREGNANT.search(t) else None
    multiplicity = 3 if re.search(r"세쌍둥이|triplets", t, re.I) else 2
    count, span = None, None
    if m := r.COUNT_KO.search(t):
        count, span = number(next(g for g in m.groups() if g), r.KO_NUM), m.span()
    elif m := r.COUNT_EN.search(t):
        count, span = number(m.group(1) or m.group(2), r.EN_NUM), m.span()
    if count is None and gave_birth(t) and (said_order := order(t)) is not None:
        count, span = said_order  # "셋째를 낳았어요": at least three children
    if multiple and len(ages) == 1:
        # "쌍둥이가 일곱 살이에요", "we had twins two weeks ago": both are.
        ages = ages * multiplicity
    if count is None and multiple:
        count, span = max(multiplicity, len(ages)), multiple.span()
    if count is None and not ages:
        if m := r.NO_CHILDREN.search(t):
            found["children"] = ([], m.span())
        elif (m := r.ONE_CHILD.search(t)) and not _APART.search(
            t[m.end() : m.end() + 12] + t[max(0, m.start() - 10) : m.start()]
        ):
            found["children"] = ([Child()], m.span())
        return spans
    if count and not ages:
        # "애 둘 키워요. 5살, 8살이에요" / "two kids, 5 and 8": as many bare ages as children are theirs.
        listed = _listed_ages(t[span[0] :] if span else t)
        if len(listed) == count:
            ages = [Child(age_years=a) for a in listed]
        elif multiple and len(listed) == 1:
            ages = [Child(age_years=listed[0]) for _ in range(count)]  # "쌍둥이고 세 살이에요": both are
    total = max(count or 0, len(ages))
    kids = [Child() for _ in range(total - len(ages))] + ages
    all_spans = spans + ([span] if span else [])
    found["children"] = (kids, (min(s for s, _ in all_spans), max(e for _, e in all_spans)))
    return spans


def household(t: str, found: Found) -> None:
    """Who lives together, and how many they are, into ``found``."""

    def put(name: str, value: object, m: re.Match[str] | None) -> None:
        if m is not None:
            found[name] = (value, m.span())

    if m := r.SINGLE_PARENT.search(t):
        put("single_parent", True, m)
        put("couple", False, m)
    elif m := (
        r.COUPLE.search(t) or PARENTS_TOGETHER.search(t) or (r.SPOUSE.search(t) if not r.NO_SPOUSE.search(t) else None)
    ):
        put("couple", True, m)
        put("single_parent", False, m)
    if (m := r.ALONE.search(t)) and not found.get("single_parent", (False,))[0] and not found.get("children"):
        put("lives_alone", True, m)
        put("household_size", 1, m)
        put("couple", False, m)
    put("grandparent", True, r.GRANDPARENT.search(t))
    put("multiple_births", True, r.MULTIPLE.search(t))
    if "multiple_births" not in found:
        put("multiple_births", False, _SINGLE_BIRTH.search(t))
    if m := r.SIZE_KO.search(t):
        put("household_size", number(next(g for g in m.groups() if g), r.KO_NUM), m)
    elif m := r.SIZE_EN.search(t):
        put("household_size", number(next(g for g in m.groups() if g), r.EN_NUM), m)
    elif m := _MEMBERS_EN.search(t):
        put("household_size", 2 + int(m.group(1) or 0), m)
    elif m := re.search(r"(?:두|2)\s*분(?:이|이서)?\s*(?:사세요|사십니다|사시|살|사)", t):
        put("household_size", 2, m)
