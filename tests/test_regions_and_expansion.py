from __future__ import annotations

import asyncio
from pathlib import Path
from typing import cast

import pytest

from counselor.chat.context import TurnContext
from counselor.chat.steps.understand import Understand
from counselor.eligibility.profile import Profile
from counselor.errors import ConfigError
from counselor.prompts import Prompt
from counselor.retrieval.expansion import QueryExpander
from counselor.retrieval.regions import Place, RegionDirectory
from counselor.settings import RetrievalSettings


@pytest.fixture(scope="module")
def regions() -> RegionDirectory:
    return RegionDirectory.load(RetrievalSettings().region_codes)


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("광양시 출산지원금 얼마예요", Place("전라남도", "광양시")),
        ("경기도 고양시 셋째 출산", Place("경기도", "고양시")),
        ("서울에 사는 청년인데요", Place("서울특별시")),
        ("전남 사는 어르신", Place("전라남도")),
        ("부산광역시 중구 노인 지원", Place("부산광역시", "중구")),  # 중구 alone is ambiguous
        ("I live in Gwangyang", Place("전라남도", "광양시")),
        ("고양이 키우는데 지원 있나요", None),  # a cat, not Goyang
        ("기초연금 신청", None),
        ("중구 노인 지원", None),
    ],
)
def test_detect_places_in_questions(regions: RegionDirectory, question: str, place: Place | None) -> None:
    assert regions.detect(question) == place


def test_parse_normalises_and_rejects(regions: RegionDirectory) -> None:
    assert regions.parse("전남 광양시") == Place("전라남도", "광양시")
    assert regions.parse("광양시") == Place("전라남도", "광양시")
    assert regions.parse("강원도") == Place("강원특별자치도")
    with pytest.raises(ValueError, match="unknown region"):
        regions.parse("Atlantis")
    with pytest.raises(ValueError, match="not a district"):
        regions.parse("경기도 광양시")


def test_expansion_maps_citizen_words_to_policy_words() -> None:
    expander = QueryExpander.from_file(RetrievalSettings().glossary)  # type: ignore[arg-type]
    assert "한부모가족" in expander.terms("I'm a single mom with two kids")
    assert "기초연금" in expander.terms("How do I apply for the basic pension?")
    assert "한부모가족" in expander.terms("남편이 죽고 애가 둘인데")
    # English triggers match whole words only: "parent" must not fire "rent".
    assert "월세" not in expander.terms("my parent is sick")
    assert expander.expand("기초연금") == "기초연금"


def test_broken_glossary_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "glossary.yaml"
    bad.write_text("- terms: []\n  triggers: [x]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="glossary"):
        QueryExpander.from_file(bad)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("기초연금 신청은 어디서 해요?", "ko"),
        ("How do I apply for the basic pension?", "en"),
        ("기초연금 apply?", "ko"),
        ("I live in 광양시, what support?", "en"),
        ("129", "ko"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    from counselor.language import detect_language

    assert detect_language(text) == lang


def test_where_the_person_asked_about_lives_scopes_the_search(regions: RegionDirectory) -> None:
    understand = Understand(cast(Prompt, None), regions)
    # "광양 사는데 …": Remember read the residence; the message names no place the detector knows.
    gwangyang = Profile(sido="전라남도", district="광양시")
    ctx = TurnContext(question="일곱살 아들 아토피 의료비 지원 되나요", profile=gwangyang)
    asyncio.run(understand(ctx))
    assert (ctx.sido, ctx.district) == ("전라남도", "광양시")
    # A place the session already has, or one the message names, is not overridden by an older residence.
    ctx = TurnContext(question="고양시 청년 지원", profile=gwangyang)
    asyncio.run(understand(ctx))
    assert ctx.sido == "경기도"
