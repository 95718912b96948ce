"""``counselor router``: train the router's model, and see how one message is routed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from counselor.cli.console import fail, out
from counselor.deps import build_deps
from counselor.errors import CounselorError
from counselor.settings import get_settings

router_app = typer.Typer(help="The message router: what a message is (docs/chat.md, Routing).", no_args_is_help=True)


@router_app.command("train")
def train_cmd(
    corpus: Annotated[
        list[Path] | None,
        typer.Option(help="labelled utterances; repeat for several (default: each head's corpus in train.py)"),
    ] = None,
    head: Annotated[str, typer.Option(help="main (<embedder>.npz), kinds (<embedder>.kinds.npz) or both")] = "both",
    c: Annotated[float, typer.Option(help="inverse regularisation of the logistic regression")] = 32.0,
    seed: Annotated[int, typer.Option()] = 13,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="folder to write the model files to (default: settings)")
    ] = None,
) -> None:
    """Fit the router's heads on their corpora and the booklet's FAQ questions; print 5-fold cross-validation
    figures of each."""
    from counselor.chat.routing.router import KINDS_SUFFIX
    from counselor.chat.routing.train import CORPUS, KINDS_CORPUS, train
    from counselor.chat.routing.train import corpus as load_corpus

    heads = {"main": (CORPUS, ""), "kinds": (KINDS_CORPUS, KINDS_SUFFIX)}
    if head not in (*heads, "both"):
        fail(f"--head is main, kinds or both, not {head!r}")
    settings = get_settings()
    deps = build_deps(settings)
    vectors: dict[str, np.ndarray] = {}

    def embed(text: str) -> np.ndarray:
        # Both heads read the main corpus: each text is encoded once (the question cache is far smaller).
        if text not in vectors:
            vectors[text] = deps.router.embed(text)
        return vectors[text]

    for name, (default, suffix) in heads.items():
        if head not in (name, "both"):
            continue
        try:
            utterances = load_corpus(corpus or default, settings.knowledge_dirs)
            model, report = train(
                utterances,
                embed,  # exactly as a turn embeds a message (the retriever's dense query)
                deps.embedder.name,
                settings.router,
                c=c,
                seed=seed,
            )
        except (CounselorError, OSError, ValueError) as exc:
            fail(str(exc))
        path = (out_dir or settings.router.model_dir) / f"{deps.embedder.name}{suffix}.npz"
        model.save(path)
        out.print(json.dumps({"head": name, "model": str(path), **report.model_dump()}, ensure_ascii=False, indent=1))


@router_app.command("route")
def route_cmd(
    text: str,
    after: Annotated[
        str | None, typer.Option("--after", help="the policy the previous answer was about (a conversation)")
    ] = None,
) -> None:
    """How one message is routed: the route, what decided it and the likeliest classes."""
    deps = build_deps(get_settings())
    try:
        decision = deps.router.decide(text, after)
    except CounselorError as exc:
        fail(str(exc))
    top = sorted(decision.probabilities.items(), key=lambda item: -item[1])[:4]
    out.print(
        json.dumps(
            {
                "route": decision.route.value,
                "decided_by": decision.decided_by,
                "crisis": decision.crisis.value if decision.crisis else None,
                "topic": decision.topic.value if decision.topic else None,
                "top": {r.value: round(p, 3) for r, p in top},
                "router": deps.router.status,
            },
            ensure_ascii=False,
        )
    )
