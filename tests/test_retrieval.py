from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from counselor.errors import QueryError
from counselor.retrieval.embedders import HashingEmbedder
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.hybrid import HybridRetriever
from counselor.retrieval.index import open_index
from counselor.retrieval.keyword import KoreanTokenizer
from counselor.retrieval.regions import RegionDirectory
from counselor.settings import RetrievalSettings
from ingestion.indexer import ingest


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> HybridRetriever:
    # Module-scoped: build the small index once. Reuses conftest's helper by hand.
    from tests.conftest import policy_md

    root = tmp_path_factory.mktemp("kb")
    files = {
        "a.md": policy_md(
            "nat-pension",
            "기초연금제도",
            "## 대상\n\n만 65세 이상 어르신\n\n## 방법\n\n주민센터 신청\n",
            life_stages="[old_age]",
            target_groups="[elderly]",
        ),
        "b.md": policy_md("nat-child", "아동수당", "## 대상\n\n만 8세 미만 아동\n", life_stages="[childhood]"),
        "c.md": policy_md(
            "gy-birth",
            "광양시 기본출생수당",
            "## 대상\n\n광양시 아동 출생\n",
            level="district",
            sido="전라남도",
            district="광양시",
            life_stages="[childhood]",
        ),
        "d.md": policy_md(
            "goyang-birth",
            "고양시 출산지원금",
            "## 대상\n\n고양시 셋째 출생\n",
            level="district",
            sido="경기도",
            district="고양시",
            target_groups="[multi_child]",
        ),
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    ingest([root], root / "index", root / "cache.sqlite", HashingEmbedder())
    index = open_index(root / "index", HashingEmbedder().name)
    settings = RetrievalSettings()
    regions = RegionDirectory.load(settings.region_codes)
    return HybridRetriever(index, HashingEmbedder(), KoreanTokenizer(), settings, None, regions)


def test_one_hit_per_policy(retriever: HybridRetriever) -> None:
    hits = retriever.search("기초연금 어르신 신청 주민센터", k=10)
    assert hits[0].title == "기초연금제도"
    assert len({h.policy_id for h in hits}) == len(hits)


def test_region_filter_keeps_own_city_and_national(retriever: HybridRetriever) -> None:
    gwangyang = {
        h.policy_id
        for h in retriever.search("출생 축하 지원", k=10, where=SearchFilter(sido="전라남도", district="광양시"))
    }
    assert "gy-birth" in gwangyang and "goyang-birth" not in gwangyang
    goyang = {
        h.policy_id
        for h in retriever.search("출생 축하 지원", k=10, where=SearchFilter(sido="경기도", district="고양시"))
    }
    assert "goyang-birth" in goyang and "gy-birth" not in goyang


def test_life_stage_and_target_group_filters(retriever: HybridRetriever) -> None:
    hits = retriever.search("지원", k=10, where=SearchFilter(life_stage="old_age"))
    assert [h.policy_id for h in hits] == ["nat-pension"]
    hits = retriever.search("출생", k=10, where=SearchFilter(target_group="multi_child", all_regions=True))
    assert [h.policy_id for h in hits] == ["goyang-birth"]


@pytest.mark.parametrize("query", ["", "   ", "가" * (RetrievalSettings().max_query_chars + 1)])
def test_bad_queries(retriever: HybridRetriever, query: str) -> None:
    with pytest.raises(QueryError):
        retriever.search(query)


def test_hits_carry_both_ranks(retriever: HybridRetriever) -> None:
    hit = retriever.search("아동수당", k=1)[0]
    assert hit.title == "아동수당" and hit.dense_rank is not None and hit.keyword_rank == 1


def test_keyword_tokens_split_korean_compounds() -> None:
    tokens = KoreanTokenizer().tokens("기초연금을 신청하려면")
    assert {"기초", "연금", "신청"} <= set(tokens) and "을" not in tokens


def test_without_a_region_only_national_policies_unless_the_question_names_a_place(
    retriever: HybridRetriever,
) -> None:
    assert {h.policy_id for h in retriever.search("출생 지원", k=10)} <= {"nat-pension", "nat-child"}
    named = [h.policy_id for h in retriever.search("광양시 출생 지원", k=10)]
    assert "gy-birth" in named and "goyang-birth" not in named
    english = [h.policy_id for h in retriever.search("birth support in Goyang", k=10)]
    assert "goyang-birth" in english and "gy-birth" not in english
    everywhere = {h.policy_id for h in retriever.search("출생 지원", k=10, where=SearchFilter(all_regions=True))}
    assert {"gy-birth", "goyang-birth"} <= everywhere


def test_english_questions_use_english_summaries(tmp_path_factory: pytest.TempPathFactory) -> None:
    from tests.conftest import policy_md

    root = tmp_path_factory.mktemp("kb-en")
    text = policy_md("nat-pension", "기초연금제도", "## 대상\n\n만 65세 이상 어르신\n").replace(
        "title: 기초연금제도\n",
        "title: 기초연금제도\ntitle_en: Basic Pension\nsummary_en: Monthly pension for seniors.\n",
    )
    (root / "a.md").write_text(text, encoding="utf-8")
    (root / "b.md").write_text(policy_md("nat-child", "아동수당", "## 대상\n\n만 8세 미만 아동\n"), encoding="utf-8")
    ingest([root], root / "index", root / "cache.sqlite", HashingEmbedder())
    index = open_index(root / "index", HashingEmbedder().name)
    assert {c.lang for c in index.chunks if c.policy_id == "nat-pension"} == {"ko", "en"}
    retriever = HybridRetriever(index, HashingEmbedder(), KoreanTokenizer(), RetrievalSettings())
    english = retriever.rankings("monthly pension for seniors")
    assert english.english and all(index.by_id[i].lang == "en" for i, _ in english.english)
    assert retriever.rankings("기초연금 신청").english == []  # Korean questions skip that ranking
    hit = retriever.search("monthly pension for seniors", k=1)[0]
    assert (hit.title, hit.title_en) == ("기초연금제도", "Basic Pension")


def test_searches_side_by_side_find_what_each_finds_alone(retriever: HybridRetriever) -> None:
    questions = ["기초연금 신청", "아동수당 얼마", "장애인 활동지원", "청년 월세", "긴급복지 생계지원", "한부모 양육비"]
    alone = [[h.policy_id for h in retriever.search(q)] for q in questions]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda q: [h.policy_id for h in retriever.search(q)], questions * 4))
    assert together == alone * 4
