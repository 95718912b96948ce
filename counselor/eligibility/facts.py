"""Facts a citizen states, read by rules in Korean and English ("67살이고 혼자 살아요", "월 150만원 벌어요",
"우리 딸이 네 살인데", "아버지가 70세이신데 혼자 사세요", "I'm 34 and pregnant"). A fact is kept only when the
words say it plainly; anything unsure is left unknown, to be asked. Every fact keeps the words it came from.

Number words are digits first (numerals.py). Ages next to a word for a child are the child's; an age next to
a relative (어머니, my father) is that person's, and when the message is about that person (people.py) the
facts it states are theirs, kept apart from the citizen's own. The household (household.py), income
(income.py), where the citizen lives (residence.py) and short replies (replies.py) have modules of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, Field

from counselor.eligibility import rules as r
from counselor.eligibility.conditions import SEX_OF_RELATION, conditions
from counselor.eligibility.events import born_in
from counselor.eligibility.household import Found, children, household
from counselor.eligibility.income import income, median_share
from counselor.eligibility.negation import BENEFIT_WORDS, denied
from counselor.eligibility.numerals import Normalized, normalize
from counselor.eligibility.people import SELF_MARK, corrected_relation, kin_ages, subject_of
from counselor.eligibility.profile import Child, FactSource, Profile
from counselor.eligibility.replies import answer, only_facts, order, overlaps
from counselor.eligibility.rest import without_plain_facts

_HOUSEHOLD_FACTS = {
    "monthly_income",
    "income_band",
    "household_size",
    "couple",
    "single_parent",
    "lives_alone",
    "crisis",
}
# (시도, 시군구 or None, the span of the words) where the citizen lives (residence.Residence.of).
RegionDetector = Callable[[str], tuple[str, str | None, tuple[int, int]] | None]
# "78인데", "여든셋이에요": a bare number with a copula is an age, unless money or a count is near.
_BARE_AGE = re.compile(r"(?<![\d.,])(\d{2,3})(?=\s*(?:인데|이고|이에요|이요|입니다|이라)(?!\s*(?:만|원|천)))")
# The facts that say who the citizen is: age, household, income, place, benefits, conditions such as 맞벌이 or
# 다문화; never ``crisis`` (a job lost, a fire, violence), whose words stay in what the router reads
# (``without_plain_facts``).
_PLAIN_FACTS = {
    "age",
    "children",
    "household_size",
    "lives_alone",
    "couple",
    "single_parent",
    "grandparent",
    "multiple_births",
    "monthly_income",
    "income_band",
    "sido",
    "district",
    "recipient",
    "disability",
    "veteran",
    "pregnant",
    "conditions",
}
_MONEY_BEFORE = re.compile(r"(?:월|소득|수입|벌|연봉|급여|달에|매달|천|백|억|만|원|명|인|번|호|층|점|%|주)\s*$")


class Reading(BaseModel):
    """One message's facts. ``facts`` are about ``subject`` ("self", a relation, or None when the message does
    not say: a short answer about whoever the conversation is about); ``own`` are the citizen's own, said
    beside another person's; ``others`` are other people's ages said in passing ("62세 남편과 살아요")."""

    subject: str | None = None
    only_facts: bool = False  # the message says nothing but these facts (a reply, a correction)
    rest: str | None = None  # the words besides who, how old, how many and where (``without_plain_facts``)
    facts: Profile = Field(default_factory=Profile)
    own: Profile = Field(default_factory=Profile)
    others: dict[str, Profile] = Field(default_factory=dict)


def _self_age(t: str, taken: list[tuple[int, int]], today: date) -> tuple[int, tuple[int, int]] | None:
    for pattern in r.SELF_AGE_EN:
        if m := pattern.search(t):
            return int(next(g for g in m.groups() if g)), m.span()
    for m in [*r.SELF_AGE_KO.finditer(t), *_BARE_AGE.finditer(t)]:
        if any(s <= m.start() < e for s, e in taken):
            continue
        before, after = t[max(0, m.start() - 8) : m.start()], t[m.end() : m.end() + 4]
        if re.search(r.CHILD_KO, before) or r.KIN_BEFORE.search(before) or r.KIN_BEFORE.match(after.strip()):
            continue
        if m.re is _BARE_AGE and _MONEY_BEFORE.search(before):
            continue
        value = int(next(g for g in m.groups() if g))
        if 14 <= value <= 110:
            return value, m.span()
        if m.re is not _BARE_AGE:
            return None
    said = born_in(t, today)
    if said is not None and today.year - said[0] >= 19 and not any(s <= said[2][0] < e for s, e in taken):
        return today.year - said[0], said[2]  # "1960년생이에요": the age this year
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

    household(t, found)
    if (said := income(t)) is not None:
        found["monthly_income"] = said
    elif (share := median_share(t)) is not None:
        # A share of the median said is that band already, whatever the household's size.
        found["income_band"] = ((share[0], share[0]), share[1])
    severe, mild = r.SEVERE.search(t), r.MILD.search(t)
    named = r.DISABLED.search(t) or re.search(r"장애|disab", t, re.I)
    disability = (severe or mild or named) if named else None
    if disability is not None:
        kind = "severe" if severe else "mild" if mild else "unspecified"
        if not denied(t, disability.span()):
            put("disability", kind, disability)
        elif kind == "unspecified":  # "장애도 없고", "no disability"; a denied grade says nothing of another
            put("disability", "none", disability)
    if (veteran := r.VETERAN.search(t)) is not None:
        put("veteran", not denied(t, veteran.span()), veteran)
    if not r.NOT_PREGNANT.search(t):
        put("pregnant", True, r.PREGNANT.search(t))
    put("crisis", True, r.CRISIS.search(t))
    if stated := conditions(t):
        spans = [span for _, span in stated.values()]
        found["conditions"] = (
            {k: v for k, (v, _) in stated.items()},
            (min(s for s, _ in spans), max(e for _, e in spans)),
        )
    kinds = [(kind, m) for pattern, kind in r.RECIPIENTS if (m := pattern.search(t)) and not denied(t, m.span())]
    if kinds:
        # The words of every benefit named ("차상위, near-poverty"), so none is left over as a word of its own.
        span = (min(m.start() for _, m in kinds), max(m.end() for _, m in kinds))
        found["recipient"] = ([k for k, _ in kinds], span)
    elif (m := r.GENERIC_RECIPIENT.search(t)) and not denied(t, m.span()):
        put("recipient", ["livelihood", "medical", "housing", "education"], m)
    elif denial := next((m for m in BENEFIT_WORDS.finditer(t) if denied(t, m.span())), None):
        put("recipient", [], denial)


def _profile(found: Found, n: Normalized, message_id: str | None) -> Profile:
    facts = {k: v for k, (v, _) in found.items() if v is not None}
    sources = {
        k: FactSource(message_id=message_id, text=n.original[:300], words=n.words(*span))
        for k, (_, span) in found.items()
    }
    return Profile.model_validate(facts | {"sources": {k: s for k, s in sources.items() if k in facts}})


def _answered(t: str, asked: str | None, known: Profile | None, found: Found) -> None:
    """A short reply: the fact the bot asked for, or the one a correction restates, unless the words said it
    already. A child's age joins the children known (the one whose age was open, else the only one)."""
    said = answer(t, asked, known)
    if (
        "child" in said
        and "age" in found
        and (asked is None or (asked == "child_age" and overlaps(said["child"][1], found["age"][1])))
    ):
        # "아 잘못 말했어요, 열여섯 살이에요" about a child of 15; "열다섯 살이고요" to the daughter's age asked: the
        # same words are the child's age, not the citizen's.
        found.pop("age")
    for name, (value, span) in said.items():
        if name == "child" and isinstance(value, Child) and not _ages_said(found):
            kids = list(known.children or []) if known is not None else []
            open_ones = [i for i, c in enumerate(kids) if not _aged(c)]
            at = open_ones[0] if open_ones else (len(kids) - 1 if kids else None)
            if at is None:
                kids = [value]
            else:
                kids[at] = value
            found["children"] = (kids, span)
        elif name == "children" and "children" not in found:
            found["children"] = ([Child() for _ in range(int(str(value)))], span)
        elif name not in found and name not in ("child", "children") and not _taken(span, found):
            found[name] = (value, span)


def _taken(span: tuple[int, int], found: Found) -> bool:
    """Whether words the reply's reading took are a fact the message's own reading found already ("일흔넷이세요"
    after the income question is the age it says, not 74만 원)."""
    return any(overlaps(span, taken) for _, taken in found.values())


def _ages_said(found: Found) -> bool:
    kids = found.get("children", ([], (0, 0)))[0]
    return isinstance(kids, list) and any(isinstance(c, Child) and _aged(c) for c in kids)


def _own_age(t: str, span: tuple[int, int]) -> bool:
    """The age is the citizen's own: "저는 45살이고 …" (the mark just before it), not "제가 월 600 벌어요" later."""
    return any(m.end() <= span[0] and span[0] - m.end() <= 12 for m in SELF_MARK.finditer(t))


def _aged(child: Child) -> bool:
    return child.age_years is not None or child.age_months is not None or child.birth is not None


def _ordered(t: str, known: Profile | None, found: Found) -> None:
    """ "둘째예요", "This is our third.": as many children as the order says, the known ones' ages kept (the
    one just born last)."""
    said = order(t)
    if said is None or known is None or not known.children or _ages_said(found):
        return
    count, span = said
    aged = [c for c in known.children if _aged(c)][-1:]
    found["children"] = ([Child() for _ in range(max(0, count - len(aged)))] + aged, span)


def read(
    text: str,
    message_id: str | None = None,
    region: RegionDetector | None = None,
    asked: str | None = None,
    today: date | None = None,
    known: Profile | None = None,
    programs: Callable[[str], list[tuple[int, int]]] | None = None,
) -> Reading:
    """The facts this message states, and whom they are about. ``asked``: the fact the bot's last question
    asked for, which a short reply ("네 살이요") answers; ``known``: what is known of the person the
    conversation is about, which a correction ("아 잘못 말했어요, 여섯 살이에요") changes; ``programs``: where
    the message names a program (naming.PolicyNames.spans), words that are no more than the question's."""
    n = normalize(text)
    t = n.text
    day = today or date.today()
    found: Found = {}
    taken = children(t, day, found)
    relatives = kin_ages(t)
    taken += [span for _, _, span in relatives]
    grown = _grown_child(t, found)
    age = _self_age(t, taken, day)
    kids = found.get("children", ([], (0, 0)))[0]
    listed = {c.age_years for c in kids if isinstance(c, Child)} if isinstance(kids, list) else set()
    if age is not None and not (age[0] in listed and not SELF_MARK.search(t)):
        found["age"] = age
    _flags(t, found)
    if region is not None and (place := region(t)):
        found["sido"], found["district"] = (place[0], place[2]), (place[1], place[2])
    subject = subject_of(t, has_facts=bool(found) or bool(relatives))
    if (fixed := corrected_relation(t)) is not None:
        subject = fixed[1]  # "아버지가 아니라 큰아버지세요": the uncle
    if asked is not None and subject not in (None, "self") and not relatives and set(found) <= _HOUSEHOLD_FACTS:
        subject = None  # "엄마가 파트타임으로 월 120 버세요" answers the household's income, not the mother's case
    if subject in (None, "self") and not relatives:  # "저 중증이에요": the citizen's own reply, too
        _answered(t, asked, known, found)
        _ordered(t, known, found)
    elif asked is not None:
        _answered(t, asked, None, found)
    if grown is not None and subject in (None, "self"):
        subject = grown[0]
        relatives.append(grown)
    others: dict[str, Found] = {}
    for relation, years, span in relatives:
        others.setdefault(relation, {})["age"] = (years, span)
    people = {k: _profile(v, n, message_id) for k, v in others.items() if k != subject}
    named = programs(t) if programs is not None else []  # one scan of every program's name per message
    kin = [span for _, _, span in relatives]
    bare = bool(found or relatives or fixed) and only_facts(
        t, [span for _, span in found.values()] + taken + kin + named
    )
    plain = [span for key, (_, span) in found.items() if key in _PLAIN_FACTS]
    rest = without_plain_facts(t, plain + taken + kin + named)
    if subject in (None, "self"):
        return Reading(subject=subject, only_facts=bare, rest=rest, facts=_profile(found, n, message_id), others=people)
    # The message is about that person: their age and what it says of their household are theirs; only an
    # age the citizen gives as their own ("저는 45살이고 …") stays the citizen's.
    own: Found = {"age": found.pop("age")} if "age" in found and _own_age(t, found["age"][1]) else {}
    found = {**found, **others.get(str(subject), {})}
    if (female := SEX_OF_RELATION.get(str(subject))) is not None:
        said, span = found.get("conditions", ({}, (0, len(t))))
        found["conditions"] = ({**(said if isinstance(said, dict) else {}), "female": female}, span)
    return Reading(
        subject=subject,
        only_facts=bare,
        rest=rest,
        facts=_profile(found, n, message_id),
        own=_profile(own, n, message_id),
        others=people,
    )


def extract(text: str, message_id: str | None = None, region: RegionDetector | None = None) -> Profile:
    """The facts this message states about the citizen themselves (not another person's)."""
    reading = read(text, message_id, region)
    return reading.facts if reading.subject in (None, "self") else reading.own
