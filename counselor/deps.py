"""The typed dependencies object: everything a command or request needs, built once from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from counselor.retrieval.embedders import Embedder, create_embedder
from counselor.retrieval.expansion import QueryExpander
from counselor.retrieval.hybrid import HybridRetriever
from counselor.retrieval.index import LoadedIndex, open_index
from counselor.retrieval.keyword import KoreanTokenizer
from counselor.retrieval.regions import RegionDirectory
from counselor.settings import Settings, get_settings


@dataclass
class Deps:
    settings: Settings
    _index: LoadedIndex | None = field(default=None, repr=False)

    @cached_property
    def embedder(self) -> Embedder:
        return create_embedder(self.settings.embedder, self.settings.embed_threads)

    @cached_property
    def tokenizer(self) -> KoreanTokenizer:
        return KoreanTokenizer()

    @property
    def index(self) -> LoadedIndex:
        if self._index is None:
            self._index = open_index(self.settings.index_dir, self.embedder.name)
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


def build_deps(settings: Settings | None = None) -> Deps:
    return Deps(settings=settings or get_settings())
