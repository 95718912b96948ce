"""The catalogue's life stages and target groups, read from what a policy says about whom it is for.

The front matter's tags were assigned by ingestion/tagging.py over whole texts (a booklet policy that mentions
a birth grant among its benefits became 임신·출산; "자녀" anywhere made a child policy). Here only the
who-text counts: the title and the 대상 / 자격 section, or the 개요 of a local service that has no 대상. Ages are
read as ranges and mapped to stages; an open adult range ("만 19세 이상") names no stage, since it is for all.
The tags are computed, not written back to the knowledge files: a front-matter edit changes every chunk's id
(ingestion/chunking.py hashes the metadata) and re-indexes the whole knowledge base for nothing.
Reviewed on a sample: tests/fixtures/catalogue_tag_review.csv, docs/catalogue.md.
"""

from __future__ import annotations

import re

from counselor.policies import LifeStage, PolicyDocument, TargetGroup

WHO_HEADINGS = ("대상", "자격", "지원대상", "지원대상 및 기준", "연령", "선정기준")
INTRO_HEADINGS = ("개요", "요약", "사업개요")

# (first age, last age) of each stage, as Korean welfare law and MY Gwangyang's menu divide a life.
STAGE_AGES: dict[LifeStage, tuple[int, int]] = {
    LifeStage.INFANCY: (0, 6),
    LifeStage.CHILDHOOD: (7, 18),
    LifeStage.YOUTH: (19, 39),
    LifeStage.MIDDLE_AGE: (40, 64),
    LifeStage.OLD_AGE: (65, 120),
}


def _any(*words: str) -> re.Pattern[str]:
    return re.compile("|".join(words))


_STAGE_WORDS: list[tuple[LifeStage, re.Pattern[str]]] = [
    (
        LifeStage.PREGNANCY_BIRTH,
        _any(
            r"임신",
            r"임산부",
            r"임부",
            r"출산",
            r"산모",
            r"산후",
            r"난임",
            r"신생아",
            r"태아",
            r"출생아",
            r"출생(?:수당|축하|장려)",
            r"분만",
        ),
    ),
    (
        LifeStage.INFANCY,
        _any(
            r"영유아",
            r"영아",
            r"유아",
            r"신생아",
            r"어린이집",
            r"유치원",
            r"보육료",
            r"아동수당",
            r"양육수당",
            r"가정양육",
            r"첫만남",
            r"미취학",
            r"기저귀",
            r"분유",
        ),
    ),
    (
        LifeStage.CHILDHOOD,
        _any(
            r"아동",
            r"청소년",
            r"어린이(?!집)",
            r"초등",
            r"중·?고등학교",
            r"초\s?·?\s?중\s?·?\s?고",
            r"중학교",
            r"고등학교",
            r"중학생",
            r"고등학생",
            r"중·고등학생",
            r"초·중·고",
            r"학령기",
            r"소아",
            r"학교 밖",
        ),
    ),
    (LifeStage.YOUTH, _any(r"청년", r"대학생", r"대학원생", r"사회초년생")),
    (LifeStage.MIDDLE_AGE, _any(r"중장년", r"중년", r"신중년", r"장년층", r"[45]0대", r"5060")),
    (
        LifeStage.OLD_AGE,
        _any(r"노인", r"어르신", r"고령(?!군)", r"노년", r"경로", r"기초연금", r"치매", r"장수(?:수당|축하)", r"효도"),
    ),
]

_GROUP_WORDS: list[tuple[TargetGroup, re.Pattern[str]]] = [
    (
        TargetGroup.LOW_INCOME,
        _any(
            r"수급자",
            r"수급권자",
            r"수급가구",
            r"차상위",
            r"저소득",
            r"기초생활",
            r"(?<!취업 )(?<!취업)취약계층",
        ),
    ),
    (TargetGroup.SINGLE_PARENT, _any(r"한부모", r"조손", r"미혼모", r"미혼부")),
    (
        TargetGroup.MULTI_CHILD,
        _any(r"다자녀", r"다둥이", r"(?:둘|셋|넷)째", r"(?:[2-9]|두|세|네)\s?자녀\s?이상", r"[2-9]명\s?이상의?\s?자녀"),
    ),
    (
        TargetGroup.DISABLED,
        _any(
            r"장애인",
            r"장애아",
            r"장애\s?(?:영유아|아동|학생)",
            r"장애 정도",
            r"장애의 정도",
            r"장애등급",
            r"발달장애",
            r"중증장애",
            r"장애가 있는",
            r"장애학생",
            r"장애수당",
            r"장애연금",
        ),
    ),
    (
        TargetGroup.VETERAN,
        _any(r"국가유공자", r"보훈", r"참전", r"독립유공자", r"제대군인", r"유공자", r"5·18", r"특수임무"),
    ),
    (TargetGroup.MULTICULTURAL, _any(r"다문화", r"결혼이민", r"이주여성", r"중도입국")),
    (TargetGroup.NORTH_KOREAN_DEFECTOR, _any(r"북한이탈", r"탈북")),
    (TargetGroup.INFERTILITY, _any(r"난임")),
    (TargetGroup.CAREGIVER, _any(r"가족돌봄", r"돌봄가족", r"가족 돌봄", r"영케어러", r"간병", r"가족요양")),
    (TargetGroup.UNEMPLOYED, _any(r"실직", r"실업", r"구직", r"미취업", r"취업준비")),
    (
        TargetGroup.CRISIS,
        _any(
            r"위기가구",
            r"위기 가구",
            r"위기상황",
            r"위기 상황",
            r"긴급지원",
            r"긴급복지",
            r"학대",
            r"가정폭력",
            r"성폭력",
            r"자살",
            r"노숙",
            r"고독사",
            r"행려",
            r"부랑인",
            r"이재민",
            r"범죄\s?피해",
        ),
    ),
]
# The groups a stage already says (어르신, 청년, 아동, 임산부) are filtered by stage in the catalogue.
CATALOGUE_GROUPS: tuple[TargetGroup, ...] = tuple(g for g, _ in _GROUP_WORDS)

# The booklet's chapters that name their readers outright.
_CHAPTER_STAGES = {"노령층 지원": LifeStage.OLD_AGE}
_CHAPTER_GROUPS = {"장애인 지원": TargetGroup.DISABLED, "보훈대상자 지원": TargetGroup.VETERAN}

_AGE = r"(?:만\s?)?(\d{1,3})\s?세"
_RANGE = re.compile(rf"{_AGE}\s?(?:부터|~|∼|-|〜)\s?(?:만\s?)?(\d{{1,3}})\s?세\s?(미만|이하|까지)?")
_FLOOR = re.compile(rf"{_AGE}\s?(이상|초과)")
_CEILING = re.compile(rf"{_AGE}\s?(미만|이하)")
_MEDIAN = re.compile(r"중위소득\s?(\d{2,3})\s?%\s?(?:이하|미만|이내)")


# What a local service's overview says it aims at (출산장려 분위기 조성) is not whom it is for; 출산장려금 is.
_AIMS = re.compile(r"출산\s?장려(?!금)|출산[율률]|저출산|저출생|출산\s?친화적?|출산을 기피|고령화")
# Names of benefits and premiums that carry a stage's word but are not about that stage: the long-term care
# premium is paid by every adult; 아동 is the legal word for anyone under 18, infants included.
_NAMES = re.compile(r"(?:노인)?장기요양보험료")
_BARE_CHILD = re.compile(r"아동")
# A directory entry with no description names the office to ask ("노인장애인복지과에 문의하세요").
_ASK_OFFICE = re.compile(r"자세한 내용은 .*?문의하세요\.?")
# Programs paying employers or care workers (대체인력 지원 사업주, 보육교직원 처우개선): the stages and groups
# they mention are the people served by the beneficiary, not the beneficiary.
_PROVIDER = re.compile(r"사업주\s*$|처우\s?개선|교직원|종사자|신고\s?포상금", re.MULTILINE)


def who_text(doc: PolicyDocument) -> str:
    """The title and what the policy says about whom it is for."""
    sections = {s.heading: s.text for s in doc.sections}
    who = [sections[h] for h in WHO_HEADINGS if h in sections]
    if not who:
        who = [sections[h] for h in INTRO_HEADINGS if h in sections][:1]
    return _ASK_OFFICE.sub(" ", "\n".join([doc.meta.title, *who]))


def _stages_for(low: int, high: int) -> set[LifeStage]:
    return {stage for stage, (a, b) in STAGE_AGES.items() if a <= high and low <= b}


def age_stages(text: str) -> set[LifeStage]:
    """Stages from the ages a text states. Ranges wider than two stages (an adult's 19+) name none."""
    found: set[LifeStage] = set()
    spans: list[tuple[int, int]] = []
    for m in _RANGE.finditer(text):
        low, high = int(m.group(1)), int(m.group(2))
        spans.append((low, high - 1 if m.group(3) == "미만" else high))
    rest = _RANGE.sub(" ", text)
    for m in _FLOOR.finditer(rest):
        low = int(m.group(1)) + (1 if m.group(2) == "초과" else 0)
        # 55 and over is how senior programs start (고령자 in the employment law is 55+, 경로당 60+): 노년.
        spans.append((max(low, 65) if low >= 55 else low, 120))
    for m in _CEILING.finditer(rest):
        high = int(m.group(1)) - (1 if m.group(2) == "미만" else 0)
        spans.append((0, high))
    for low, high in spans:
        if 0 <= low <= high <= 120:
            stages = _stages_for(low, high)
            if len(stages) <= 2:
                found |= stages
    return found


def tag_document(doc: PolicyDocument) -> tuple[list[LifeStage], list[TargetGroup]]:
    text = who_text(doc)
    if _PROVIDER.search(text):
        return [], []
    text = _NAMES.sub(" ", _AIMS.sub(" ", text))
    words = {stage for stage, pattern in _STAGE_WORDS if pattern.search(text)}
    # 어린이집 아동, 출생아인 아동: the bare legal word does not make an infants' program a school-age one.
    school_age = _STAGE_WORDS[2][1].search(_BARE_CHILD.sub(" ", text))
    if LifeStage.INFANCY in words and not school_age:
        words.discard(LifeStage.CHILDHOOD)
    stages = words | age_stages(text)
    groups = {group for group, pattern in _GROUP_WORDS if pattern.search(text)}
    if any(int(m.group(1)) <= 100 for m in _MEDIAN.finditer(text)):
        groups.add(TargetGroup.LOW_INCOME)  # a ceiling at or under the median income; 150 % is not low
    chapter = doc.meta.category
    if chapter in _CHAPTER_STAGES:
        stages.add(_CHAPTER_STAGES[chapter])
    if chapter in _CHAPTER_GROUPS:
        groups.add(_CHAPTER_GROUPS[chapter])
    return [s for s in LifeStage if s in stages], [g for g in TargetGroup if g in groups]
