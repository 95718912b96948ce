"""The answers suite's cases, made from the knowledge itself: `python evals/sources/answer_cases.py` writes
evals/datasets/answers.jsonl.

Each case asks one thing a citizen asks most (how much, where to apply, whom to call, from what age) about one
national policy, and expects the value the policy's own file states, copied as written. The questions name the
policy, so the suite measures whether the answer *says* the fact (composition), not whether retrieval finds
the policy (dev.jsonl and holdout.jsonl do that). Policies are drawn with a fixed seed; rerunning gives the
same file.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import frontmatter

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "evals" / "datasets" / "answers.jsonl"
BOOKLET = ROOT / "knowledge" / "national" / "mohw-2024"

AMOUNT = re.compile(r"(?:월\s*)?(?:최대\s*)?\d[\d,]*(?:\.\d+)?\s*(?:만\s*)?(?:\d[\d,]*\s*)?원")
PHONE = re.compile(r"(?<!\d)(?:\d{2,4}-\d{3,4}-\d{4}|1\d{2,3}(?:-\d{4})?)(?!\d)")
AGE = re.compile(r"만\s*\d{1,2}\s*세")
PLACES = [
    "행정복지센터",
    "주민센터",
    "복지로",
    "국민연금공단",
    "국민건강보험공단",
    "보건소",
    "고용센터",
    "근로복지공단",
    "한국장애인고용공단",
    "보훈청",
    "LH",
    "한국주택금융공사",
    "서민금융진흥원",
    "학교",
    "정부24",
    "시·군·구청",
]

TEMPLATES = {
    "amount": {
        "ko": ["{t} 얼마 받을 수 있어요?", "{t} 지원 금액이 어떻게 돼요?", "{t}은 얼마나 지원해 주나요?"],
        "en": ["How much does {e} give?", "What is the amount of {e}?"],
    },
    "how_to_apply": {
        "ko": ["{t} 신청은 어디서 해요?", "{t} 어디에 신청하면 되나요?", "{t} 받으려면 어디로 가야 돼요?"],
        "en": ["Where do I apply for {e}?", "How do I apply for {e}?"],
    },
    "contact": {
        "ko": ["{t} 문의 전화번호 알려주세요", "{t} 관련해서 어디로 전화하면 돼요?"],
        "en": ["What number do I call about {e}?", "Who can I phone with questions about {e}?"],
    },
    "age": {
        "ko": ["{t} 몇 살부터 받을 수 있어요?", "{t} 나이 조건이 어떻게 돼요?"],
        "en": ["What is the age requirement for {e}?"],
    },
}


def sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for block in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        head, _, body = block.partition("\n")
        out[head.strip()] = body.strip()
    return out


def facts(parts: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    if m := AMOUNT.search(parts.get("지원내용", "")):
        found["amount"] = re.sub(r"^(월\s*)?(최대\s*)?", "", m.group(0)).strip()
    method = parts.get("방법", "")
    if place := next((p for p in PLACES if p in method), None):
        found["how_to_apply"] = place
    if m := PHONE.search(parts.get("연락처", "")):
        found["contact"] = m.group(0)
    if m := AGE.search(parts.get("대상", "")):
        found["age"] = m.group(0)
    return found


def cases(n: int = 200, seed: int = 20261123) -> list[dict[str, object]]:
    rng = random.Random(seed)
    policies = []
    for path in sorted(BOOKLET.glob("*.md")):
        post = frontmatter.load(str(path))
        found = facts(sections(post.content))
        if found and post.get("title_en"):
            policies.append((post, found))
    rng.shuffle(policies)
    out: list[dict[str, object]] = []
    counts = {"ko": 0, "en": 0}
    asked = dict.fromkeys(TEMPLATES, 0)
    for post, found in policies:
        if len(out) >= n:
            break
        # The aspect asked least so far among those this policy states: otherwise "where to apply" dominates.
        aspect = min(sorted(found), key=lambda a: (asked[a], rng.random()))
        asked[aspect] += 1
        lang = "en" if rng.random() < 0.35 else "ko"
        question = rng.choice(TEMPLATES[aspect][lang]).format(t=post["title"], e=post["title_en"])
        counts[lang] += 1
        out.append(
            {
                "id": f"ans-{lang}-{counts[lang]:03d}",
                "question": question,
                "lang": lang,
                "expected_policies": [post["title"]],
                "expected_facts": [found[aspect]],
                "tags": ["generated", aspect, f"ch:{str(post.get('category', ''))[:2]}"]
                + (["english"] if lang == "en" else []),
            }
        )
    return out


if __name__ == "__main__":
    rows = cases()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} cases -> {OUT}")
