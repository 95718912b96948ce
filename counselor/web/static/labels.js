// @ts-check
// Generated from counselor/labels.py by `python -m counselor.labels > counselor/web/static/labels.js`: edit that
// module, not this file (tests/test_labels.py fails when the two differ). Loaded before chat.js.
"use strict";
/** @type {Record<string, {facts: Record<string, string>, reasons: Record<string, string>}>} */
const LABELS = {
  "ko": {
    "facts": {
      "age": "나이",
      "children": "자녀",
      "household_size": "가구원 수",
      "lives_alone": "혼자 삶",
      "couple": "부부",
      "single_parent": "한부모",
      "grandparent": "조손 가정",
      "multiple_births": "다태아",
      "monthly_income": "월 소득",
      "income_band": "소득 구간(기준 중위소득 대비)",
      "recipient": "수급",
      "disability": "장애",
      "veteran": "보훈 대상",
      "pregnant": "임신",
      "sido": "시·도",
      "district": "시·군·구"
    },
    "reasons": {
      "wrong_program": "다른 제도 이야기예요",
      "missing_fact": "필요한 내용이 없어요",
      "hard_to_read": "읽기 어려워요",
      "wanted_person": "상담사와 이야기하고 싶어요"
    }
  },
  "en": {
    "facts": {
      "age": "age",
      "children": "children",
      "household_size": "household size",
      "lives_alone": "lives alone",
      "couple": "couple",
      "single_parent": "single parent",
      "grandparent": "raising grandchildren",
      "multiple_births": "twins or more",
      "monthly_income": "monthly income",
      "income_band": "income band (share of median income)",
      "recipient": "benefits",
      "disability": "disability",
      "veteran": "veteran",
      "pregnant": "pregnant",
      "sido": "province",
      "district": "city or district"
    },
    "reasons": {
      "wrong_program": "Wrong program",
      "missing_fact": "A fact I needed is missing",
      "hard_to_read": "Hard to read",
      "wanted_person": "I wanted a person"
    }
  }
};
