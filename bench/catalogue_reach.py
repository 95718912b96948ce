"""Whether the catalogue's search box finds the policy a question is about, on our questions and on others'.

    python -m bench.catalogue_reach [--welssisko PATH/TO/welssisko-train] [--limit N]

Each question goes to /api/policies?q=... (the chat's hybrid retriever, then the catalogue's filters) with the
question's region when it has one, else every region (the catalogue without a region lists them all). A hit
on the first page is the expected policy among the 20 shown; ``in_results`` among all the search returns (50).
Own set: evals/datasets/dev.jsonl and holdout.jsonl (expected policies by title). External: WelSSISKo's
questions about the booklet's services (written by others; read from the path given, never copied), the service
being its context's ``title_2024``; questions whose context has no 2024 title are left out, as its README says.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from bench._results import record
from counselor.deps import build_deps
from counselor.web.app import create_app

Question = tuple[str, set[str], str | None, str | None]  # text, expected titles, sido, district


def own(path: Path) -> Iterator[Question]:
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if not case.get("expected_policies"):
            continue
        sido, _, district = (case.get("region") or "").partition(" ")
        yield case["question"], set(case["expected_policies"]), sido or None, district or None


def welssisko(folder: Path) -> Iterator[Question]:
    data = json.loads((folder / "train.json").read_text(encoding="utf-8"))["data"]
    titles = {c["context_index"]: c["title_2024"] for c in json.loads((folder / "contexts.json").read_text())}
    for index, context in enumerate(data):
        if titles.get(index):
            for qa in context["qas"]:
                yield qa["question"], {titles[index]}, None, None


def reach(client: TestClient, questions: list[Question]) -> dict[str, float]:
    first = found = 0
    for text, expected, sido, district in questions:
        params = {"q": text[:2000], "page_size": "50", **({"sido": sido} if sido else {})}
        if sido and district:
            params["district"] = district
        response = client.get("/api/policies", params=params)
        titles = [item["title"] for item in response.json().get("items", [])] if response.status_code == 200 else []
        ranks = [i for i, title in enumerate(titles) if title in expected]
        first += bool(ranks and ranks[0] < 20)
        found += bool(ranks)
    n = max(len(questions), 1)
    return {"questions": len(questions), "first_page": round(first / n, 3), "in_results": round(found / n, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--welssisko", type=Path, help="the welssisko-train folder (left out when not given)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many questions per set, spread (0: all)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    deps = build_deps()
    client = TestClient(create_app(deps.settings, deps))
    sets: dict[str, list[Question]] = {
        "dev (own)": list(own(Path("evals/datasets/dev.jsonl"))),
        "holdout (own)": list(own(Path("evals/datasets/holdout.jsonl"))),
    }
    if args.welssisko is not None and (args.welssisko / "train.json").exists():
        sets["welssisko (external)"] = list(welssisko(args.welssisko))
    if args.limit:
        # Every k-th question, so a sample spans all the services rather than the first few.
        sets = {name: qs[:: max(1, len(qs) // args.limit)][: args.limit] for name, qs in sets.items()}
    figures = {name: reach(client, qs) for name, qs in sets.items()}
    record("catalogue_reach", {"query_engine": deps.query_engine, "sets": figures})  # after: the graph is built lazily


if __name__ == "__main__":
    main()
