"""Rule-based life-stage and target-group tags, taken only from what a policy's own text states."""

from __future__ import annotations

import re

from counselor.policies import LifeStage, TargetGroup

# Chapter names of the 2024 booklet (after stripping numbering) and what each chapter is about.
CHAPTER_TAGS: dict[str, tuple[list[LifeStage], list[TargetGroup]]] = {
    "임신·보육 지원": ([LifeStage.PREGNANCY_BIRTH, LifeStage.INFANCY], []),
    "청소년·청년 지원": ([LifeStage.YOUTH], [TargetGroup.YOUTH]),
    "노령층 지원": ([LifeStage.OLD_AGE], [TargetGroup.ELDERLY]),
    "장애인 지원": ([], [TargetGroup.DISABLED]),
    "보훈대상자 지원": ([], [TargetGroup.VETERAN]),
}

_STAGE_RULES: list[tuple[LifeStage, re.Pattern[str]]] = [
    (LifeStage.PREGNANCY_BIRTH, re.compile(r"임신|임산부|출산|산모|산후|난임|신생아|태아")),
    (LifeStage.INFANCY, re.compile(r"영유아|영아|유아|어린이집|보육|만\s?[0-5]세|0~5세|아동수당")),
    (LifeStage.CHILDHOOD, re.compile(r"아동|초등|어린이|만\s?(?:[6-9]|1[0-2])세")),
    (LifeStage.YOUTH, re.compile(r"청소년|청년|대학생|중학생|고등학생|19~34세|만\s?(?:19|2\d|3[0-4])세")),
    (LifeStage.MIDDLE_AGE, re.compile(r"중장년|중년|신중년|(?:40|50)대|만\s?(?:4\d|5\d)세")),
    (LifeStage.OLD_AGE, re.compile(r"노인|어르신|고령|65세\s?이상|60세\s?이상|기초연금|경로|치매")),
]

_GROUP_RULES: list[tuple[TargetGroup, re.Pattern[str]]] = [
    (TargetGroup.LOW_INCOME, re.compile(r"기준\s?중위소득|수급자|수급권자|차상위|저소득|기초생활")),
    (TargetGroup.SINGLE_PARENT, re.compile(r"한부모|조손가족|미혼모|미혼부|청소년부모")),
    (TargetGroup.MULTI_CHILD, re.compile(r"다자녀|셋째|세\s?자녀|2자녀\s?이상|다둥이")),
    (TargetGroup.DISABLED, re.compile(r"장애인|장애아|장애\s?정도|장애등급|장애 정도")),
    (TargetGroup.VETERAN, re.compile(r"국가유공자|보훈|참전|독립유공자|제대군인|유공자")),
    (TargetGroup.ELDERLY, re.compile(r"노인|어르신|65세\s?이상|고령자")),
    (TargetGroup.MULTICULTURAL, re.compile(r"다문화|결혼이민|외국인")),
    (TargetGroup.NORTH_KOREAN_DEFECTOR, re.compile(r"북한이탈|탈북")),
    (TargetGroup.PREGNANT, re.compile(r"임신|임산부|임부")),
    (TargetGroup.INFERTILITY, re.compile(r"난임")),
    (TargetGroup.YOUTH, re.compile(r"청년|청소년")),
    (TargetGroup.CHILD, re.compile(r"아동|영유아|어린이|자녀")),
    (TargetGroup.CAREGIVER, re.compile(r"가족돌봄|돌봄\s?가족|보호자|간병")),
    (TargetGroup.UNEMPLOYED, re.compile(r"실직|실업|구직|미취업|취업\s?취약")),
    (TargetGroup.CRISIS, re.compile(r"위기|긴급|학대|폭력|자살|노숙")),
]


def chapter_name(raw: str | None) -> str:
    """'7장. 장애인 지원' / '1. 생계 지원' -> '장애인 지원' / '생계 지원'."""
    if not raw:
        return ""
    return re.sub(r"^\s*\d+\s*(?:장)?\.?\s*", "", raw).strip()


def tag(text: str, chapter: str = "") -> tuple[list[LifeStage], list[TargetGroup]]:
    stages: list[LifeStage] = []
    groups: list[TargetGroup] = []
    chapter_stages, chapter_groups = CHAPTER_TAGS.get(chapter, ([], []))
    stages.extend(chapter_stages)
    groups.extend(chapter_groups)
    for stage, pattern in _STAGE_RULES:
        if stage not in stages and pattern.search(text):
            stages.append(stage)
    for group, pattern in _GROUP_RULES:
        if group not in groups and pattern.search(text):
            groups.append(group)
    order_s = list(LifeStage)
    order_g = list(TargetGroup)
    return sorted(stages, key=order_s.index), sorted(groups, key=order_g.index)
