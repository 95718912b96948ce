"""Which fact a question asks for (amount, who, how to apply, whom to call, documents, period), in the words
citizens use in Korean and English, and what a sentence answering it looks like.

The extractive answerer puts the sentence that answers the asked aspect first; the patterns are classes of
wording ("얼마", "뭐 챙겨가야", "어디로 전화", "how much"), each tested in tests/test_aspects.py.
"""

from __future__ import annotations

import re

from counselor.chat.sources import Aspect

_I = re.IGNORECASE
# How citizens ask for each aspect.
ASKS: dict[Aspect, re.Pattern[str]] = {
    Aspect.DOCUMENTS: re.compile(
        r"서류|챙겨|가져가|가지고\s*가|준비물|뭘?\s*준비|무엇을\s*준비|구비|제출|증명서|\bdocuments?\b|\bpaperwork\b"
        r"|\bpapers\b|\bbring\b|\bwhat\s+do\s+i\s+need\s+to\s+(bring|submit|prepare)",
        _I,
    ),
    Aspect.CONTACT: re.compile(
        r"문의|전화|연락|번호|콜센터|상담\s*(센터|전화)|누구(한테|에게)\s*물어|웹\s*사이트|누리집|홈페이지|사이트|주소"
        r"|\bcall\b|\bphone\b|\bcontact\b|\bwebsite\b|\bsite\b"
        r"|\bnumber\b|\bhotline\b|\bwho\s+(do|can|should)\s+i\s+ask",
        _I,
    ),
    Aspect.CONTENT: re.compile(
        r"얼마|금액|몇\s*(%|퍼센트|프로)|지원\s*(내용|율|비율|한도)|한도|최대|무엇을\s*(받|지원)|뭘\s*(받|지원)"
        r"|뭐(가|를)?\s*(받|지원|나와|해\s*줘)|혜택|나와요|나오나요|주나요|줘요|\bhow\s+much\b|\bamount\b"
        r"|\bwhat\s+(do|can|will)\s+(i|we)\s+get\b|\bbenefits?\b|\bcover(ed|s)?\b",
        _I,
    ),
    Aspect.TARGET: re.compile(
        r"대상|누가|누구|자격|조건|기준|해당(되|이|하)|몇\s*살|나이|연령|\bwho\b|\beligib|\bqualif|\bhow\s+old\b"
        r"|\bage\b",
        _I,
    ),
    Aspect.PERIOD: re.compile(
        r"언제|기간|기한|마감|주기|몇\s*(개월|년|달|회|번|일)|며칠|\bwhen\b|\bhow\s+long\b|\bdeadline\b|\bperiod\b"
        r"|\bhow\s+often\b",
        _I,
    ),
    Aspect.METHOD: re.compile(
        r"신청|어디(서|에서|로|에)|어떻게\s*(받|하|신청|해야|이용)|방법|절차|접수|\bapply\b|\bapplication\b"
        r"|\bhow\s+(do|can|should)\s+(i|we)\b|\bwhere\b|\bsign\s+up\b",
        _I,
    ),
}
# When several match, the most specific leads: "어디로 전화" asks for a number, "뭐 챙겨가야 신청" for papers.
PRIORITY = (Aspect.DOCUMENTS, Aspect.CONTACT, Aspect.CONTENT, Aspect.TARGET, Aspect.PERIOD, Aspect.METHOD)
# What a sentence answering each aspect carries.
EVIDENCE: dict[Aspect, re.Pattern[str]] = {
    Aspect.DOCUMENTS: re.compile(r"서류|신분증|증명서|통장|사본|신청서|확인서|등본|진단서|소견서|계약서"),
    Aspect.CONTACT: re.compile(
        r"☎|\d{2,4}-\d{3,4}(-\d{4})?|\(\d{3,}[\d~-]*\)|\b1\d{3}\b|www\.|\.go\.kr|\.or\.kr|콜센터|상담센터|상담실"
    ),
    Aspect.CONTENT: re.compile(r"\d[\d,.]*\s*(만\s*)?(천\s*)?원|\d+(\.\d+)?\s*%|지원|지급|제공|감면|면제"),
    Aspect.TARGET: re.compile(r"만\s*\d+\s*세|\d+\s*세|중위소득|수급자|차상위|이하|이상|미만|대상|가구"),
    Aspect.PERIOD: re.compile(r"매년|매월|\d+\s*(월|일|개월|년|회)|기간|까지|이내|부터"),
    Aspect.METHOD: re.compile(r"신청|방문|접수|온라인|주민센터|행정복지센터|누리집|시군구청|→"),
}
DETAILS = (Aspect.TARGET, Aspect.CONTENT, Aspect.METHOD, Aspect.CONTACT)


def asked_aspects(question: str) -> tuple[Aspect, ...]:
    """The aspects a question asks about, the leading one first; () when it asks about the program as a whole."""
    return tuple(a for a in PRIORITY if ASKS[a].search(question))


def primary_aspect(question: str) -> Aspect | None:
    asked = asked_aspects(question)
    return asked[0] if asked else None
