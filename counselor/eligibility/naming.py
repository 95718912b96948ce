"""The policy a question names ("부모급여 받을 수 있나요?", "can I get the basic pension?"), so the verdict is for
the program the citizen asked about even when the answer cites a neighbour (장애아동수당 for 장애인연금).

A title, or a name citizens use for the program (``names`` in its front matter: 생계급여, 양육수당), names a
policy when its core (without its bracketed part and trailing 제도/사업/지원 words) is in the question, spaces
aside; the longest core wins, and a national program wins over a city's own of the same name unless the
citizen lives there. Failing that, the question names the program whose title's words it holds most of, by
kiwipiepy's nouns weighted by how rare each is among the titles ("대상포진 접종 지원" holds most of "광양시 어르신
대상포진 예방접종 지원"); a city's name in a title says where, not what, and is left out.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cached_property

from counselor.eligibility.engine import PolicyCriteria
from counselor.eligibility.numerals import kiwi

_BRACKETS = re.compile(r"\([^)]*\)|\[[^]]*]|「[^」]*」")
_TAIL = re.compile(r"(?:지원사업|지원제도|사업|제도|지원|서비스|프로그램)$")
_SPACE = re.compile(r"[\s·'’\-]+")
MIN_CORE = 3  # "수당" or "연금" alone names nothing
COVERED = 0.5  # the share of a title's (weighted) words a question must hold to name it
# After a program's name: the citizen receives it ("생계급여 받으세요", "주거급여 수급자", "기초연금 포함").
_RECEIVED = re.compile(
    r"(?:을|를|도|만)?(?:받고(?!\s*싶)|받는(?!지)|받으세요|받으시고|받으시는|받아요|받습니다|받음|수급|포함|나와요|나오고)"
)
# Spaces and ' gone; "we get 생계급여" is received, "can I get 생계급여" is asked.
_RECEIVED_EN = re.compile(
    r"(?:receive|receives|receiving|wereon|imon|areon|ison)[a-z]{0,24}\(?$"
    r"|(?<!can)(?<!could)(?<!will)(?<!to)(?:we|i|they)get$|(?<!can)(?:she|he)gets$"
)
_EN_STOP = frozenset(
    word
    for line in (
        "the a an for of and or in to my our can could get is are be we i you it this that with what how do does",
        "from program programme support service services scheme fund allowance benefit benefits voucher city",
    )
    for word in line.split()
)


def core(title: str) -> str:
    text = _SPACE.sub("", _BRACKETS.sub("", title)).lower()
    while (shorter := _TAIL.sub("", text)) != text and len(shorter) >= MIN_CORE:
        text = shorter
    return text


def cores(title: str, place: str | None = None) -> set[str]:
    """The title's core, what its brackets name ("기초생활보장(교육급여)" is also 교육급여; "(바우처)" is too
    short to name anything), and for a city's program its core without the city ("광양시 기본출생수당")."""
    found = {core(title)} | {c for inner in re.findall(r"\(([^)]*)\)", title) if len(c := core(inner)) > MIN_CORE}
    if place and (stem := re.sub(r"(?:시|군|구)$", "", place)) and title.startswith((place, stem)):
        found.add(core(title.removeprefix(place).removeprefix(stem)))
    return {c for c in found if len(c) >= MIN_CORE}


def words(text: str) -> set[str]:
    """The nouns of ``text`` (kiwipiepy) and its English words, lowercased."""
    found = {t.form.lower() for t in kiwi().tokenize(text) if t.tag in ("NNG", "NNP", "SL", "XR") and len(t.form) > 1}
    found |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}
    return {re.sub(r"(?<=[a-z]{3})s$", "", w) for w in found if w not in _EN_STOP}  # implants = implant


class PolicyNames:
    def __init__(self, policies: Iterable[PolicyCriteria]) -> None:
        self._policies = list(policies)
        self._ids = {p.policy_id: p for p in self._policies}
        self._by_core: dict[str, list[PolicyCriteria]] = {}
        whole: set[str] = set()
        for p in self._policies:
            for title in filter(None, (p.title, p.title_en, *p.names)):
                whole.add(core(title))
                for key in cores(title, p.district):
                    self._by_core.setdefault(key, []).append(p)
        # A part of a title (its bracket, a city's title without the city) that a national program's title
        # holds too, or cities' titles in more than one place, is a common word: it names a city's program only
        # for someone who lives there ("보훈 명예수당" in 광양) or says the city. "양육비" (영광군 양육비 지원)
        # is in 한부모가족 아동 양육비 지원, "대상포진" (구미시 예방접종(대상포진)) in many cities' titles.
        self._common = _common_parts(self._policies, set(self._by_core) - whole, self._by_core)
        # A name shared by several national programs (국민행복카드) names none of them.
        self._by_core = {
            k: ps for k, ps in self._by_core.items() if len({p.policy_id for p in ps if p.sido is None}) <= 1
        }
        self._cores = sorted(self._by_core, key=len, reverse=True)

    @cached_property
    def _titles(self) -> tuple[list[tuple[PolicyCriteria, set[str]]], dict[str, float]]:
        """Each policy's title words (its place left out), and each word's weight: rarer words say more."""
        titled = []
        for p in self._policies:
            place = {w for w in words(" ".join(filter(None, (p.sido, p.district))))}
            place |= {re.sub(r"(?:시|군|구)$", "", w) for w in place}
            for title in filter(None, (p.title, p.title_en, *p.names)):
                titled.append((p, {w for w in words(title) if w not in place and re.sub(r"'s$", "", w) not in place}))
        counts = Counter(w for _, ws in titled for w in ws)
        n = len(titled) or 1
        return titled, {w: math.log(1 + n / c) for w, c in counts.items()}

    @cached_property
    def _words_of(self) -> dict[str, list[set[str]]]:
        """Each title's words, and its other names' (by the title: a city's and a national program of one title
        say the same)."""
        by_title: dict[str, list[set[str]]] = {}
        for p, title_words in self._titles[0]:
            by_title.setdefault(p.title, []).append(title_words)
        return by_title

    @cached_property
    def _places(self) -> set[str]:
        """The words of every place a program is for ("고양", "광양시"): where, not what, in a question too."""
        found = words(" ".join(filter(None, (x for p in self._policies for x in (p.sido, p.district)))))
        return found | {re.sub(r"(?:시|군|구)$", "", w) for w in found}

    def holds(self, question: str, titles: Iterable[str]) -> list[float]:
        """How much of the question each program's title (or a name) says, by its words weighted as in ``covered``:
        "농어업인의 건강보험료 지원 상한" is said more by 농어업인 건강보험료 지원 than by 건강보험제도. The
        question's places are left out as the titles' are (고양 says 고양시 셋째 이상 출산지원금 no more than a
        고양 dormitory)."""
        asked = words(question) - self._places  # one kiwipiepy pass for every title weighed
        _, weight = self._titles
        return [
            max((sum(weight[w] for w in ws & asked) for ws in self._words_of.get(title, [])), default=0.0)
            for title in titles
        ]

    def title(self, policy_id: str) -> str | None:
        found = self._ids.get(policy_id)
        return found.title if found is not None else None

    def named(self, question: str, sido: str | None = None, district: str | None = None) -> str | None:
        """The policy id the question names, by a title or a name, else by most of a title's words; or None."""
        return self.exact(question, sido, district) or self.covered(question, sido, district)

    def exact(
        self,
        question: str,
        sido: str | None = None,
        district: str | None = None,
        loose: bool = True,
        received: bool = False,
    ) -> str | None:
        """The policy id the question names by a title or a name. A program said as received ("생계급여
        받으세요. 기초연금도 받을 수 있나요?") is a fact about the citizen, not the question, unless nothing else
        is named: a reply "생계급여 받고 있어요" names no program asked about. Not ``loose``: a city's program
        only for its residents or a question that says the city, also when where the citizen lives is unknown.
        ``received``: a program said as received counts too (the caller knows the message asks whether one can
        keep it: "아동수당 받고 있는데 애가 곧 여덟 살 돼요 계속 받을 수 있나요")."""
        text = _SPACE.sub("", question).lower()
        found = [(key, i) for key in self._cores if (i := text.find(key)) >= 0]
        asked = [(k, i) for k, i in found if not (_RECEIVED.match(text, i + len(k)) or _RECEIVED_EN.search(text[:i]))]
        if received and not asked:
            asked = found
        for key, _ in asked:
            named = [
                p
                for p in self._by_core[key]
                if _said_for(p, text, sido, district, loose=loose and key not in self._common)
            ]
            # Several cities' programs of one name: the one whose city the question says ("광양 사는 ...").
            here = [p for p in named if p.sido is not None and _said_for(p, text, sido, district, loose=False)]
            if (here or named) and (best := self._best(here or named, sido, district)) is not None:
                return best.policy_id
        return None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where in ``text`` a program is named by a title or a name (spaces inside it allowed)."""
        kept = [i for i, ch in enumerate(text) if not _SPACE.match(ch)]
        squeezed = "".join(text[i] for i in kept).lower()
        found = []
        for key in self._cores:
            start = squeezed.find(key)
            while start >= 0:
                found.append((kept[start], kept[start + len(key) - 1] + 1))
                start = squeezed.find(key, start + 1)
        return found

    def covered(self, question: str, sido: str | None = None, district: str | None = None) -> str | None:
        """The policy whose title's words the question holds most of (at least half, by weight)."""
        asked = words(question)
        if not asked:
            return None
        titled, weight = self._titles
        squeezed = _SPACE.sub("", question).lower()
        scored: dict[str, tuple[float, PolicyCriteria]] = {}
        for policy, title_words in titled:
            total = sum(weight[w] for w in title_words)
            if not total:
                continue
            if not _said_for(policy, squeezed, sido, district, loose=False):
                continue
            held = title_words & asked
            share = sum(weight[w] for w in held) / total
            # Two words at least: one word alone ("child", "수당") names a hundred programs.
            if len(held) >= 2 and share >= COVERED and share > scored.get(policy.policy_id, (0.0, policy))[0]:
                scored[policy.policy_id] = (share, policy)
        if not scored:
            return None
        top = max(share for share, _ in scored.values())
        # The city's own program for someone who lives there, when the question holds enough of its name too.
        here = [p for _, p in scored.values() if p.sido is not None and p.sido == sido and p.district == district]
        best = self._best(here or [p for share, p in scored.values() if share == top], sido, district)
        return best.policy_id if best is not None else None

    @staticmethod
    def _best(found: list[PolicyCriteria], sido: str | None, district: str | None) -> PolicyCriteria | None:
        """The citizen's own city's program, else the national one; a name only cities' programs share
        ("출산장려금" in many cities) names none of them for someone who lives in none of those places."""
        local = [p for p in found if p.sido == sido and (p.district is None or p.district == district)]
        national = [p for p in found if p.sido is None]
        best = (local if sido else []) or national
        if best:
            return best[0]
        return found[0] if len({(p.sido, p.district) for p in found}) == 1 else None


def _common_parts(
    policies: list[PolicyCriteria], parts: set[str], holders: dict[str, list[PolicyCriteria]]
) -> set[str]:
    """The parts of titles that other programs' titles hold too: a national one's, or cities' in two places."""
    titled = [(p, _SPACE.sub("", t).lower()) for p in policies for t in filter(None, (p.title, p.title_en))]
    text = "\n".join(t for _, t in titled)
    starts = list(itertools.accumulate((len(t) + 1 for _, t in titled), initial=0))
    common = set()
    for part in parts:
        own = {p.policy_id for p in holders[part]}
        places: set[tuple[str | None, str | None]] = set()
        at = text.find(part)
        while at >= 0:
            p = titled[bisect.bisect_right(starts, at) - 1][0]
            if p.policy_id not in own:
                places.add((p.sido, p.district))
            at = text.find(part, at + 1)
        if (None, None) in places or len(places) > 1:
            common.add(part)
    return common


def _said_for(policy: PolicyCriteria, text: str, sido: str | None, district: str | None, loose: bool = True) -> bool:
    """Whether a question (spaces removed) can be naming ``policy``: a national program always; a city's own
    for someone who lives there or whose question says the city, and (``loose``: by its exact name) for
    someone whose city is unknown. A citizen of 광양 asking about 양육비 means the national 한부모 one, not
    영광군 양육비 지원."""
    if policy.sido is None or (loose and sido is None):
        return True
    if policy.sido == sido and (policy.district is None or district is None or policy.district == district):
        return True
    place = policy.district or policy.sido
    stem = re.sub(r"(?:특별자치도|특별자치시|광역시|특별시|시|군|구|도)$", "", place)
    return place in text or (len(stem) >= 2 and stem in text)


def words_named(question: str, titles: Iterable[tuple[str, str]]) -> str | None:
    """Among candidate policies (id, title), the one whose title holds the most of the question's words
    ("한부모 양육비" → 한부모가족 아동 양육비 지원): at least two words of two syllables or more; ties go to the
    earlier candidate."""
    found = {w for w in re.findall(r"[가-힣]{2,}|[A-Za-z]{4,}", question)}
    best, best_score = None, 1
    for policy_id, title in titles:
        flat = _SPACE.sub("", title).lower()
        score = sum(1 for w in found if _stem(w) in flat)
        if score > best_score:
            best, best_score = policy_id, score
    return best


def _stem(word: str) -> str:
    """The word without a trailing particle (양육비를 → 양육비), lowercased."""
    stem = re.sub(r"(?:은|는|이|가|을|를|도|만|에|의|으로|로|이요|요)$", "", word)
    return (stem if len(stem) >= 2 else word).lower()
