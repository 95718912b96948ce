"""Korean provinces (시도) and districts (시군구): normalising what a citizen types and spotting places in a
question, so "광양시 출산지원금" searches Gwangyang's programs even before the citizen's region is known."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from counselor.errors import ConfigError

# Romanised names people write in English questions. Provinces, plus the cities this product started in.
ENGLISH_PLACES: dict[str, tuple[str, str | None]] = {
    "seoul": ("서울특별시", None),
    "busan": ("부산광역시", None),
    "daegu": ("대구광역시", None),
    "incheon": ("인천광역시", None),
    "gwangju": ("광주광역시", None),
    "daejeon": ("대전광역시", None),
    "ulsan": ("울산광역시", None),
    "sejong": ("세종특별자치시", None),
    "gyeonggi": ("경기도", None),
    "gangwon": ("강원특별자치도", None),
    "jeju": ("제주특별자치도", None),
    "gwangyang": ("전라남도", "광양시"),
    "goyang": ("경기도", "고양시"),
}
# A short province name counts only as a whole word or before a particle: 서울에, 전남의, 경기도.
_AFTER_SHORT = r"(?=$|[\s,.?!·/)]|에|의|도\b|는|서|시\b|지역|쪽)"


@dataclass(frozen=True)
class Place:
    sido: str
    district: str | None = None


class RegionDirectory:
    def __init__(self, districts: dict[str, list[str]], aliases: dict[str, str]) -> None:
        self.districts = districts
        self.aliases = {**aliases, **{s: s for s in districts}}
        owners: dict[str, list[str]] = {}
        for sido, names in districts.items():
            for name in names:
                owners.setdefault(name, []).append(sido)
        self._unique = {name: sidos[0] for name, sidos in owners.items() if len(sidos) == 1}
        names = sorted(self._unique, key=len, reverse=True)
        self._district_re = re.compile("|".join(map(re.escape, names)))
        longs = sorted((a for a in self.aliases if len(a) > 2), key=len, reverse=True)
        shorts = sorted((a for a in self.aliases if len(a) <= 2), key=len, reverse=True)
        self._sido_re = re.compile("|".join([*map(re.escape, longs), *(re.escape(s) + _AFTER_SHORT for s in shorts)]))
        self._english_re = re.compile(r"\b(" + "|".join(ENGLISH_PLACES) + r")\b", re.IGNORECASE)

    @classmethod
    def load(cls, path: Path) -> RegionDirectory:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls({s["name"]: list(s["districts"]) for s in data["sido"]}, dict(data.get("aliases", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"region codes {path}: {exc}") from exc

    def parse(self, text: str) -> Place:
        """'전남 광양시' / '전라남도' / '광양시' -> a Place; raises ValueError for what it does not know."""
        parts = text.split()
        if len(parts) == 1 and parts[0] in self._unique:
            return Place(self._unique[parts[0]], parts[0])
        if not parts or len(parts) > 2 or parts[0] not in self.aliases:
            raise ValueError(f"unknown region {text!r}: use '시도' or '시도 시군구', e.g. '전라남도 광양시'")
        sido = self.aliases[parts[0]]
        if len(parts) == 2 and parts[1] not in self.districts[sido]:
            raise ValueError(f"{parts[1]!r} is not a district of {sido}")
        return Place(sido, parts[1] if len(parts) == 2 else None)

    def place_of(self, text: str) -> tuple[str, str | None] | None:
        """The place as (시도, 시군구 or None), for the citizen's profile."""
        place = self.detect(text)
        return (place.sido, place.district) if place else None

    def detect(self, question: str) -> Place | None:
        """The place a question names, if it names exactly one."""
        english = self._english_re.search(question)
        if english:
            sido, district = ENGLISH_PLACES[english.group(1).lower()]
            return Place(sido, district)
        found = self._district_re.search(question)
        if found:
            return Place(self._unique[found.group(0)], found.group(0))
        match = self._sido_re.search(question)
        if match is None:
            return None
        sido = self.aliases[match.group(0)]
        # Names shared by several provinces (중구, 서구, ...) count once the province is known.
        named = [d for d in self.districts[sido] if d in question[match.end() :]]
        return Place(sido, max(named, key=len) if named else None)
