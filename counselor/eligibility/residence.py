"""Where the citizen lives, as a fact: a place said with living words ("순천 사는데", "광양에서 낳았어요", "we live
in Yeosu", "a single mom in Goyang"), not a place that is only part of a program's name ("광양시 기본출생수당",
"Goyang's birth grant"): that one says which program, not where the citizen lives.

Places are the region directory's districts, also by their short names (광양 for 광양시) and their romanised
names (korean-romanizer: Yeosu, Suncheon), and the best-known areas inside a city (일산 is in 고양시). A short
name counts only next to living words, so "고양이" (a cat) or "예산" (a budget) is never a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from counselor.retrieval.regions import ENGLISH_PLACES, RegionDirectory

# Areas inside a city that people name instead of the city (일반구, new towns).
AREAS: dict[str, str] = {
    "일산": "고양시", "일산동구": "고양시", "일산서구": "고양시", "덕양구": "고양시", "덕양": "고양시",
    "분당": "성남시", "분당구": "성남시", "수정구": "성남시", "중원구": "성남시", "판교": "성남시",
    "수지": "용인시", "수지구": "용인시", "기흥": "용인시", "기흥구": "용인시", "처인구": "용인시",
    "영통": "수원시", "영통구": "수원시", "권선구": "수원시", "팔달구": "수원시", "장안구": "수원시",
    "단원구": "안산시", "상록구": "안산시", "만안구": "안양시", "동안구": "안양시", "평촌": "안양시",
    "동탄": "화성시", "중마동": "광양시", "광양읍": "광양시", "마산": "창원시", "진해": "창원시",
    "완산구": "전주시", "덕진구": "전주시", "상당구": "청주시", "흥덕구": "청주시", "서원구": "청주시",
}  # fmt: skip
# After a short Korean name: where one lives or did something ("여수 사는데", "광양에서", "고양시에 살아요").
_LIVING_KO = (
    r"(?=\s*(?:에서|에\s*(?:살|사|거주|있)"
    r"|(?:\s*[가-힣]{1,4}동)?\s*(?:살|사는|사세|사시|사십|삽니|거주|주민|시민|군민|구민)))"
)
# A correction names the right place as a copula: "고양이 아니라 광양이에요".
_CORRECTED_KO = r"(?=\s*(?:이에요|예요|이요|요|입니다)\b)"
_LIVING_EN = r"\b(?:live[sd]?|living|reside[sd]?|residing|moved|based|resident)\s+(?:in|to)\s+(?:the\s+)?"


@dataclass(frozen=True)
class _Name:
    sido: str
    district: str | None


class Residence:
    """Reads the citizen's place of residence from a message, against one region directory."""

    def __init__(self, directory: RegionDirectory) -> None:
        self.directory = directory

    @cached_property
    def _names(self) -> tuple[dict[str, _Name], dict[str, _Name]]:
        """(Korean names, romanised names) of every district that names one place only."""
        from korean_romanizer.romanizer import Romanizer

        owners: dict[str, set[tuple[str, str | None]]] = {}
        for sido, districts in self.directory.districts.items():
            for district in districts:
                stem = re.sub(r"(?:특별자치시|시|군|구)$", "", district)
                for name in {district, stem} if len(stem) >= 2 else {district}:
                    owners.setdefault(name, set()).add((sido, district))
        for alias, sido in self.directory.aliases.items():
            owners.setdefault(alias, set()).add((sido, None))
        for area, city in AREAS.items():
            sidos = [s for s, ds in self.directory.districts.items() if city in ds]
            if len(sidos) == 1:
                owners.setdefault(area, set()).add((sidos[0], city))
        korean = {name: _Name(*next(iter(o))) for name, o in owners.items() if len(o) == 1}
        english = {k: _Name(*v) for k, v in ENGLISH_PLACES.items()}
        for name, place in korean.items():
            if place.district is not None and not name.endswith(("시", "군", "구")):
                english.setdefault(Romanizer(name).romanize().lower(), place)
        return korean, english

    @cached_property
    def _patterns(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        korean, english = self._names
        names = "|".join(map(re.escape, sorted(korean, key=len, reverse=True)))
        en = "|".join(map(re.escape, sorted(english, key=len, reverse=True)))
        living = re.compile(rf"(?<![가-힣])({names}){_LIVING_KO}")
        corrected = re.compile(rf"(?:[가-힣]{{2,6}}\s*(?:이|가)?\s*)?아니(?:라|고)\s*,?\s*({names}){_CORRECTED_KO}")
        living_en = re.compile(
            rf"(?:{_LIVING_EN}|\b(?:in|from)\s+)({en})\b(?!'s)(?!\s+(?:city's|city\s+program))", re.I
        )
        return living, corrected, living_en

    def of(self, text: str) -> tuple[str, str | None, tuple[int, int]] | None:
        """(시도, 시군구 or None, the span of the words) where the words say the citizen lives; the last place
        said wins (a correction comes after what it corrects)."""
        korean, english = self._names
        living, corrected, living_en = self._patterns
        if m := corrected.search(text):
            place = korean[m.group(1)]
            return place.sido, place.district, m.span()  # "고양이 아니라 광양": both places are the fact's words
        found = [(m.span(1), korean[m.group(1)]) for m in living.finditer(text)]
        found += [(m.span(1), english[m.group(1).lower()]) for m in living_en.finditer(text)]
        if not found:
            return None
        span, place = max(found, key=lambda f: f[0][0])
        return place.sido, place.district, span
