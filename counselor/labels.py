"""The words the pages show for the citizen's facts and for why an answer did not help, declared once.

The console reads the fact labels from ``/api/vocabulary`` (``FACT_LABELS`` in counselor/queue/brief.py is built
from ``FACTS`` here); the citizen's page, a plain script with no request to wait for, reads them from
``counselor/web/static/labels.js``, generated from this module:
``python -m counselor.labels > counselor/web/static/labels.js`` (tests/test_labels.py fails when it is out of date).
"""

from __future__ import annotations

import json
import sys

from counselor.casework import FeedbackReason
from counselor.language import Language

# The profile's facts as the citizen and the caseworker both see them. ``crisis`` has no entry yet: the citizen's
# page has always shown its bare name; the console's own label for it is in counselor/queue/brief.py.
FACTS: dict[str, dict[Language, str]] = {
    "age": {"ko": "나이", "en": "age"},
    "children": {"ko": "자녀", "en": "children"},
    "household_size": {"ko": "가구원 수", "en": "household size"},
    "lives_alone": {"ko": "혼자 삶", "en": "lives alone"},
    "couple": {"ko": "부부", "en": "couple"},
    "single_parent": {"ko": "한부모", "en": "single parent"},
    "grandparent": {"ko": "조손 가정", "en": "raising grandchildren"},
    "multiple_births": {"ko": "다태아", "en": "twins or more"},
    "monthly_income": {"ko": "월 소득", "en": "monthly income"},
    "income_band": {"ko": "소득 구간(기준 중위소득 대비)", "en": "income band (share of median income)"},
    "recipient": {"ko": "수급", "en": "benefits"},
    "disability": {"ko": "장애", "en": "disability"},
    "veteran": {"ko": "보훈 대상", "en": "veteran"},
    "pregnant": {"ko": "임신", "en": "pregnant"},
    "sido": {"ko": "시·도", "en": "province"},
    "district": {"ko": "시·군·구", "en": "city or district"},
}

# Why an answer did not help, as the citizen is asked it (the console's and the reports' shorter words for the
# same reasons are casework.FEEDBACK_REASON_LABELS). In the order the buttons show them.
REASONS: dict[FeedbackReason, dict[Language, str]] = {
    FeedbackReason.WRONG_PROGRAM: {"ko": "다른 제도 이야기예요", "en": "Wrong program"},
    FeedbackReason.MISSING_FACT: {"ko": "필요한 내용이 없어요", "en": "A fact I needed is missing"},
    FeedbackReason.HARD_TO_READ: {"ko": "읽기 어려워요", "en": "Hard to read"},
    FeedbackReason.WANTED_PERSON: {"ko": "상담사와 이야기하고 싶어요", "en": "I wanted a person"},
}

HEADER = """\
// @ts-check
// Generated from counselor/labels.py by `python -m counselor.labels > counselor/web/static/labels.js`: edit that
// module, not this file (tests/test_labels.py fails when the two differ). Loaded before chat.js.
"use strict";
"""
TYPE = "/** @type {Record<string, {facts: Record<string, string>, reasons: Record<string, string>}>} */"


def labels_js() -> str:
    by_language = {
        language: {
            "facts": {name: words[language] for name, words in FACTS.items()},
            "reasons": {reason.value: words[language] for reason, words in REASONS.items()},
        }
        for language in ("ko", "en")
    }
    body = json.dumps(by_language, ensure_ascii=False, indent=2)
    return f"{HEADER}{TYPE}\nconst LABELS = {body};\n"


if __name__ == "__main__":
    sys.stdout.write(labels_js())
