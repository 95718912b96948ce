"""Facts a citizen states, read by rules in Korean and English ("67살이고 혼자 살아요", "월 150만원 벌어요",
"우리 딸이 네 살인데", "아버지가 70세이신데 혼자 사세요", "I'm 34 and pregnant"). A fact is kept only when the
words say it plainly; anything unsure is left unknown, to be asked. Every fact keeps the words it came from.

Number words are digits first (numerals.py). Ages next to a word for a child are the child's; an age next to
a relative (어머니, my father) is that person's, and when the message is about that person (people.py) the
facts it states are theirs, kept apart from the citizen's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, Field

from counselor.chat.numbers import numbers_in
from counselor.eligibility import rules as r
from counselor.eligibility.events import answer, birth, child_age
from counselor.eligibility.numerals import Normalized, normalize
from counselor.eligibility.people import SELF_MARK, kin_ages, subject_of
from counselor.eligibility.profile import Child, FactSource, Profile

RegionDetector = Callable[[str], tuple[str, str | None] | None]
Found = dict[str, tuple[object, tuple[int, int]]]  # fact -> (value, span in the normalised text)


class Reading(BaseModel):
    """One message's facts. ``facts`` are about ``subject`` ("self", a relation, or None when the message does
    not say: a short answer about whoever the conversation is about); ``own`` are the citizen's own, said
    beside another person's; ``others`` are other people's ages said in passing ("62세 남편과 살아요")."""

    subject: str | None = None
    facts: Profile = Field(default_factory=Profile)
    own: Profile = Field(default_factory=Profile)
    others: dict[str, Profile] = Field(default_factory=dict)


def _amount(text: str) -> int | None:
    values = numbers_in(text)
    if not values:
        return None
    value = max(values)
    # "월 150 벌어요" without a unit means 만 원 in everyday Korean.
    return int(value * 10_000) if value < 10_000 and not re.search(r"원|won|million|thousand", text) else int(value)


def _children(t: str, today: date, found: Found) -> list[tuple[int, int]]:
    ages: list[Child] = []
    spans: list[tuple[int, int]] = []
    for pattern in (*r.CHILD_AGE_KO, *r.CHILD_AGE_EN):
        for said in pattern.finditer(t):
            if any(s <= said.start() < e for s, e in spans):
                continue
            spans.append(said.span())
            ages.append(child_age(int(said.group(1)), said.group(2) or "살"))
    born = birth(t, today)
    if born is not None and not any(c.age_months == 0 or c.birth for c in ages):
        ages.append(born[0])
        spans.append(born[1])
    count, span = None, None
    if m := r.COUNT_KO.search(t):
        count, span = _number(m.group(1) or m.group(2), r.KO_NUM), m.span()
    elif m := r.COUNT_EN.search(t):
        count, span = _number(m.group(1) or m.group(2), r.EN_NUM), m.span()
    if count is None and born is not None and (m := r.BIRTH_ORDER.search(t)):
        order = {"둘": 2, "셋": 3, "넷": 4, "다섯": 5, "second": 2, "third": 3, "fourth": 4}
        count, span = order[(m.group(1) or m.group(2)).lower()], m.span()
    if count is None and (m := r.MULTIPLE.search(t)) and not r.PREGNANT.search(t):
        count, span = (3 if re.search(r"세쌍둥이|triplets", t, re.I) else 2), m.span()
    if count is None and not ages:
        if m := r.NO_CHILDREN.search(t):
            found["children"] = ([], m.span())
        elif m := r.ONE_CHILD.search(t):
            found["children"] = ([Child()], m.span())
        return spans
    if count is None and len(ages) == 1 and (m := r.MULTIPLE.search(t)) and not r.PREGNANT.search(t):
        # "쌍둥이가 일곱 살이에요": both are.
        ages = ages * (3 if re.search(r"세쌍둥이|triplets", t, re.I) else 2)
    if count and not ages:
        # "애 둘 키워요. 5살, 8살이에요" / "two kids, 5 and 8": as many bare ages as children are theirs.
        listed = _listed_ages(t[span[0] :] if span else t)
        if len(listed) == count:
            ages = [Child(age_years=a) for a in listed]
    total = max(count or 0, len(ages))
    children = [Child() for _ in range(total - len(ages))] + ages
    all_spans = spans + ([span] if span else [])
    found["children"] = (children, (min(s for s, _ in all_spans), max(e for _, e in all_spans)))
    return spans


def _number(word: str, table: dict[str, int]) -> int | None:
    return int(word) if word.isdigit() else table.get(word.lower())


_BARE_AGE_KO = re.compile(r"(?<!만)(?<![\d.])(\d{1,2})\s*(?:살|세)")
_AGES_EN = re.compile(r"\b(?:kids|children|sons|daughters)\b[,:]?\s*(?:aged\s+)?((?:\d{1,2}\s*(?:,|and)\s*)+\d{1,2})\b")


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


def _self_age(t: str, taken: list[tuple[int, int]]) -> tuple[int, tuple[int, int]] | None:
    for pattern in r.SELF_AGE_EN:
        if m := pattern.search(t):
            return int(next(g for g in m.groups() if g)), m.span()
    for m in r.SELF_AGE_KO.finditer(t):
        if any(s <= m.start() < e for s, e in taken):
            continue
        before, after = t[max(0, m.start() - 8) : m.start()], t[m.end() : m.end() + 4]
        if re.search(r.CHILD_KO, before) or r.KIN_BEFORE.search(before) or r.KIN_BEFORE.match(after.strip()):
            continue
        value = int(next(g for g in m.groups() if g))
        return (value, m.span()) if 14 <= value <= 110 else None
    return None


def _grown_child(t: str, found: Found) -> tuple[str, int, tuple[int, int]] | None:
    """A son or daughter of 18 or more spoken of is the person asked about (장애인연금 for him), not a child
    of the household: (relation, age, span), and the household's child is dropped."""
    m = r.ADULT_CHILD.search(t)
    if m is None or int(m.group(2) or m.group(4)) < r.ADULT_AGE:
        return None
    kids = found.get("children", ([], (0, 0)))[0]
    if isinstance(kids, list) and len(kids) > 1:
        return None
    found.pop("children", None)
    word = (m.group(1) or m.group(3)).lower()
    return {"아들": "son", "딸": "daughter"}.get(word, word), int(m.group(2) or m.group(4)), m.span()


def _flags(t: str, found: Found) -> None:
    def put(name: str, value: object, m: re.Match[str] | None) -> None:
        if m is not None:
            found[name] = (value, m.span())

    if m := r.SINGLE_PARENT.search(t):
        put("single_parent", True, m)
        put("couple", False, m)
    elif m := (r.COUPLE.search(t) or (r.SPOUSE.search(t) if not r.NO_SPOUSE.search(t) else None)):
        put("couple", True, m)
        put("single_parent", False, m)
    if (m := r.ALONE.search(t)) and not found.get("single_parent", (False,))[0] and not found.get("children"):
        put("lives_alone", True, m)
        put("household_size", 1, m)
        put("couple", False, m)
    put("grandparent", True, r.GRANDPARENT.search(t))
    put("multiple_births", True, r.MULTIPLE.search(t))
    if m := r.SIZE_KO.search(t):
        put("household_size", _number(next(g for g in m.groups() if g), r.KO_NUM), m)
    elif m := r.SIZE_EN.search(t):
        put("household_size", _number(next(g for g in m.groups() if g), r.EN_NUM), m)
    if m := r.NO_INCOME.search(t):
        put("monthly_income", 0, m)
    elif m := (r.INCOME_KO.search(t) or r.INCOME_EN.search(t)):
        words = next(g for g in m.groups() if g and re.search(r"\d", g))
        yearly = m.re is r.INCOME_EN and ((m.group(2) or "").lower() == "year" or m.group(4) is not None)
        amount = _amount(words)
        if amount is not None:
            put("monthly_income", amount // 12 if yearly else amount, m)
    elif (m := r.YEARLY_KO.search(t)) and (amount := _amount(m.group(1))) is not None:
        put("monthly_income", amount // 12, m)
    disability = r.SEVERE.search(t) or r.MILD.search(t) or r.DISABLED.search(t)
    if disability is not None:
        kind = "severe" if r.SEVERE.search(t) else "mild" if r.MILD.search(t) else "unspecified"
        put("disability", kind, r.SEVERE.search(t) or r.MILD.search(t) or disability)
    put("veteran", True, r.VETERAN.search(t))
    if not r.NOT_PREGNANT.search(t):
        put("pregnant", True, r.PREGNANT.search(t))
    put("crisis", True, r.CRISIS.search(t))
    kinds = [(kind, m) for pattern, kind in r.RECIPIENTS if (m := pattern.search(t))]
    if kinds:
        found["recipient"] = ([k for k, _ in kinds], kinds[0][1].span())
    elif m := r.GENERIC_RECIPIENT.search(t):
        put("recipient", ["livelihood", "medical", "housing", "education"], m)


def _profile(found: Found, n: Normalized, message_id: str | None) -> Profile:
    facts = {k: v for k, (v, _) in found.items() if v is not None}
    sources = {
        k: FactSource(message_id=message_id, text=n.original[:300], words=n.words(*span))
        for k, (_, span) in found.items()
    }
    return Profile.model_validate(facts | {"sources": {k: s for k, s in sources.items() if k in facts}})


def _answered(t: str, asked: str, found: Found) -> None:
    """A short reply to the bot's one question: the fact it asked for, unless the words said it already."""
    span = (0, len(t))
    for name, value in answer(t, asked).items():
        if name == "child" and "children" not in found:
            found["children"] = ([value], span)
        elif name == "children" and "children" not in found:
            found["children"] = ([Child() for _ in range(int(str(value)))], span)
        elif name not in found and name != "child":
            found[name] = (value, span)


def read(
    text: str,
    message_id: str | None = None,
    region: RegionDetector | None = None,
    asked: str | None = None,
    today: date | None = None,
) -> Reading:
    """The facts this message states, and whom they are about. ``asked``: the fact the bot's last question
    asked for, which a short reply ("네 살이요") answers."""
    n = normalize(text)
    t = n.text
    found: Found = {}
    taken = _children(t, today or date.today(), found)
    relatives = kin_ages(t)
    taken += [span for _, _, span in relatives]
    grown = _grown_child(t, found)
    age = _self_age(t, taken)
    children = found.get("children", ([], (0, 0)))[0]
    listed = {c.age_years for c in children if isinstance(c, Child)} if isinstance(children, list) else set()
    if age is not None and not (age[0] in listed and not SELF_MARK.search(t)):
        found["age"] = age
    _flags(t, found)
    if region is not None and (place := region(text)):
        span = (0, len(t))
        found["sido"], found["district"] = (place[0], span), (place[1], span)
    if asked is not None:
        _answered(t, asked, found)
    subject = subject_of(t, has_facts=bool(found) or bool(relatives))
    if grown is not None and subject in (None, "self"):
        subject = grown[0]
        relatives.append(grown)
    others: dict[str, Found] = {}
    for relation, years, span in relatives:
        others.setdefault(relation, {})["age"] = (years, span)
    people = {k: _profile(v, n, message_id) for k, v in others.items() if k != subject}
    if subject in (None, "self"):
        return Reading(subject=subject, facts=_profile(found, n, message_id), others=people)
    # The message is about that person: their age and what it says of their household are theirs; only an
    # age the citizen gives as their own ("저는 45살이고 …") stays the citizen's.
    own: Found = {"age": found.pop("age")} if "age" in found and SELF_MARK.search(t) else {}
    found = {**found, **others.get(str(subject), {})}
    return Reading(
        subject=subject, facts=_profile(found, n, message_id), own=_profile(own, n, message_id), others=people
    )


def extract(text: str, message_id: str | None = None, region: RegionDetector | None = None) -> Profile:
    """The facts this message states about the citizen themselves (not another person's)."""
    reading = read(text, message_id, region)
    return reading.facts if reading.subject in (None, "self") else reading.own
