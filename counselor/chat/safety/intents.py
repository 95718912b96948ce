"""Rules for what a message is, before retrieval: a request for a person, an injection attempt, off-topic,
or too vague to search. Each is a short list of patterns that reviewers can read and extend."""

from __future__ import annotations

import re

_PERSON = re.compile(
    r"(상담원|상담사|상담\s*선생님|사람|직원|담당자|공무원|복지사).{0,8}(연결|바꿔|통화|얘기|이야기|대화|불러|원해|해\s*주세요|부탁)"
    r"|^\s*(상담원|상담사|사람|담당자)\s*(요|이요|님)?\s*[.!?]*\s*$"
    r"|\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+)?(real\s+|actual\s+)?"
    r"(person|human|someone|somebody|caseworker|case\s+worker|agent|counsell?or|social\s+worker|staff)"
    r"|\breal\s+person\b|\bhuman\s+(agent|being)\b|\b(connect|transfer)\s+me\b|\boperator\b|\brepresentative\b",
    re.IGNORECASE,
)
_INJECTION = re.compile(
    r"ignore\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|your)\s+(instructions|rules|prompts?)"
    r"|disregard\s+(the\s+|your\s+)?(previous\s+|above\s+)?(instructions|rules)|system\s+prompt|developer\s+mode"
    r"|\bjailbreak|\byou\s+are\s+now\b|\bact\s+as\s+(?!a\s+citizen)|\bDAN\b|pretend\s+(to\s+be|you\s+are)"
    r"|(이전|위의?|앞의?|기존)\s*(의\s*)?(지시|명령|규칙|지침).{0,6}(무시|잊)|시스템\s*프롬프트|프롬프트를?\s*(보여|알려|출력)"
    r"|개발자\s*모드|탈옥|너는\s*이제|넌\s*이제|규칙이\s*없는|역할을?\s*(바꿔|바꾸|변경)|규칙을?\s*(무시|어기)",
    re.IGNORECASE,
)
_OFF_TOPIC = re.compile(
    r"날씨|기온|일기\s*예보|미세\s*먼지|주식|주가|코인|비트코인|환율|레시피|요리법|맛집|축구|야구|농구|영화\s*추천|노래\s*추천"
    r"|로또|게임|연예인|드라마|여행지|관광|운세|별자리|수학\s*문제|코딩|번역해"
    r"|\bweather\b|\bforecast\b|\bstocks?\b|\bshares?\s+price|\bbitcoin\b|\bcrypto|\bexchange\s+rate\b|\brecipes?\b"
    r"|\bcook(ing)?\b|\brestaurant|\bfootball\b|\bsoccer\b|\bbaseball\b|\bmovie|\bsongs?\b|\blottery\b|\bgames?\b"
    r"|\bcelebrit|\bhoroscope|\btourist|\bvacation\b|\bjoke\b|\bpoem\b|\btranslate\b|\bcapital\s+of\b",
    re.IGNORECASE,
)
_WELFARE = re.compile(
    r"지원|복지|수당|급여|연금|신청|바우처|혜택|보조|감면|할인|대출|장학|의료비|병원비|치료비|보험|장애|임신|출산|육아|양육|돌봄|보육"
    r"|아이|아기|자녀|아동|노인|어르신|청년|한부모|다문화|실직|실업|취업|일자리|월세|전세|주거|(?<!맛)집(?!중)|임대|생계|저소득|차상위|수급"
    r"|기초|긴급|상담|센터|주민센터|행정복지|보훈|국가유공|난임|산후|기저귀|분유|교육비|학비|요금|난방|에너지|장례|입양|위기"
    r"|\b(benefit|support|allowance|pension|welfare|voucher|subsid|grant|aid|assistance|apply|eligib|disab|pregnan"
    r"|child|baby|kid|elderly|senior|single\s+(mother|father|parent)|unemploy|job|rent|housing|income|loan|care"
    r"|medical|hospital|insurance|scholarship|tuition|veteran|low[- ]income|poverty|help|daycare|energy|heating)",
    re.IGNORECASE,
)
_GENERIC = re.compile(
    r"궁금한?\s*(게|것이|점이)?|문의\s*(드립니다|드려요|합니다|해요)|뭐가|뭐든|있으면|있을까요|게\s|"
    r"지원|혜택|복지|도움|도와\s*주?세요|받을\s*수\s*있(나요|어요|는|을까요)?|뭐|무엇|어떤|있나요|있어요|알려\s*주세요|궁금|문의|제가|저는|나|좀"
    r"|\b(what|can|could|i|get|help|me|please|support|benefits?|any|is|there|for|do|you|have|tell|about|a|question|\?)\b",
    re.IGNORECASE,
)


# The citizen's own case: a decision, a payment, an application. The knowledge cannot answer these; a
# caseworker who can look the case up can.
_OWN_CASE = re.compile(
    r"(신청|접수)(한|했던|했는데)?\s*.{0,12}(결과|언제\s*나와|됐는지|되었는지|처리\s*(됐|되었|상황))"
    r"|(왜|갑자기).{0,20}(줄었|줄어|끊겼|끊겨|끊기|중단됐|탈락|안\s*들어|못\s*받게|깎)"
    r"|(이번|지난)\s*달.{0,15}(안\s*들어|안\s*나왔|입금(이)?\s*안|못\s*받았)"
    r"|탈락\s*통보|이의\s*신청\s*(하고|할래|하려)|환수\s*(통지|고지|하라|된다)|심사가?\s*어디까지|진행\s*상황"
    r"|입금일이?\s*지났|아직\s*안\s*들어|신청서를?\s*잃어|신청을?\s*거절|잘못\s*처리"
    r"|(이번\s*달|지난\s*달|달)부터\s*(안|못)\s*(나오|들어|받)|(안|못)\s*나오는데|입금이?\s*안\s*(됐|되었|돼)"
    r"|돌려\s*(내|달라|주라)|반환하라|토해\s*내|부정\s*수급이?라"
    r"|(심사|판정|결정)\s*결과에?\s*(동의|납득|불만|이의)|더\s*(이상|는)\s*(대상이\s*아니|받을\s*수\s*없)"
    r"|\bmy\s+(\w+\s+){0,3}(application|claim|case|payment|benefits?|allowance|pension)\b.{0,40}"
    r"(rejected|denied|refused|cut|stopped|reduced|late|received|status|arrive|did\s*n[o']t|didn't)"
    r"|\bwhy\s+(was|did|has|is)\s+my\b|\bappeal\s+(the|a|this|my)\s+(decision|rejection)|\b(repay|pay\s+back)\s+my\b"
    r"|must\s+repay|\bwhen\s+will\s+i\s+hear\b|\bstatus\s+of\s+my\b|\bcheck\s+(whether|if)\s+my\b"
    r"|\b(sent|submitted|handed\s+in)\s+my\s+(documents|papers|forms?|application)|has\s+anyone\s+(looked|checked)"
    r"|\bno\s+longer\s+(qualify|eligible|get)|\bchallenge\s+(that|the\s+decision|it|this)\b|nobody\s+told\s+me",
    re.IGNORECASE,
)
# Kinds of trouble; a message naming three or more at once needs a caseworker's plan, not one program's text.
_TROUBLES = {
    "work": r"실직|해고|잘렸|잘려|일자리(도|를)?\s*(잃|없)|폐업|실업|일을?\s*(그만|못\s*하|못\s*구)|일도\s*못|권고사직"
    r"|lost\s+(my|his|her)\s+job|laid\s+off|unemployed|shop\s+closed|no\s+income",
    "housing": r"월세|전세|집세|보증금|쫓겨|나가라|살\s*집|집이\s*없|\brent\b|evict|homeless|no\s+home",
    "health": r"아파|아프|몸이?도?\s*안\s*좋|쓰러지|"
    r"병원|수술|입원|치료비|간병|치매|질환|\bsick\b|\bill\b|hospital|surgery|caring\s+for",
    "debt": r"빚|대출|채무|연체|밀렸|밀려|debt|\bloan\b|behind\s+on|can't\s+pay",
    "family": r"이혼|집을\s*나갔|별거|돌아가시|사별|divorce|husband\s+left|wife\s+left|passed\s+away",
}


# A question, not a statement: a message that only states facts ("월 150만원 벌어요") has none of these.
_QUESTION = re.compile(
    r"\?|나요|까요|는지|니까|얼마|어디|어떻게|언제|뭐|무엇|누가|있어요|있나|되나|돼요|받을|할\s*수"
    r"|\b(what|how|where|when|who|which|can|could|is|are|do|does|will|would|should)\b",
    re.IGNORECASE,
)
# "받을 수 있나요?", "am I eligible": the citizen asks whether they qualify.
# Whether a program applies ("받을 수 있나요", "저도 될까요", "신청 가능한가요", "can my mom get ..."), not how
# much or how it goes ("금액이 어떻게 되나요", "얼마나 되나요").
_ELIGIBILITY_QUESTION = re.compile(
    r"받을\s*수|받으실\s*수|받을까|대상(이|인가|인지|이에요|이 ?되)|자격|해당(되|이|하)|신청할\s*수|신청\s*(되|가능)"
    r"|(?<!어떻게\s)(?<!어떻게)(?<!얼마나\s)(?<!얼마나)(될까|되나요|되나여|돼요\?|되요\?|되는지)"
    r"|가능(한가요|할까요|한지|하나요|해요\?)"
    r"|\beligib|\bqualif|\b(can|could|may)\s+(i|we|she|he|they|my\s+\w+)\s+(still\s+)?(get|apply|receive|join|use)\b",
    re.IGNORECASE,
)


_SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+|(?<=[다요줘해라])[.!]?\s+(?=\S)")


def without_injection(text: str) -> str:
    """The question with the sentences that try to change the rules taken out, so they cannot steer what is
    searched; the whole text when nothing else is left."""
    kept = [part for part in _SENTENCE.split(text) if part.strip() and not _INJECTION.search(part)]
    return " ".join(kept).strip() or text


def about_own_case(text: str) -> bool:
    return bool(_OWN_CASE.search(text))


def troubles(text: str) -> list[str]:
    """The kinds of trouble a message names (work, housing, health, debt, family)."""
    return [kind for kind, pattern in _TROUBLES.items() if re.search(pattern, text, re.IGNORECASE)]


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text))


# A question as a sentence says it, not by a word inside it ("my son is 4" holds "is", "…받아요" holds 받):
# a question mark, a question's ending, a question word, or an English sentence opened the way questions are.
_ASKS = re.compile(
    r"\?|나요|까요|는지|니까|\b(?:what|how|where|when|who|which|why)\b"
    r"|(?:^|[.!]\s+)(?:can|could|is|are|do|does|will|would|should|am)\b",
    re.IGNORECASE,
)


def asks_something(text: str) -> bool:
    return bool(_ASKS.search(text))


# Whether one can go on receiving what one has ("계속 받을 수 있나요", "can we still get it"): the program said as
# received is then the one asked about.
_KEEP = re.compile(r"계속|아직|여전히|언제까지|그대로|\b(?:still|keep|continue|anymore|any\s+longer)\b", re.IGNORECASE)


def asks_to_keep(text: str) -> bool:
    return bool(_KEEP.search(text)) and asks_whether_eligible(text)


def asks_whether_eligible(text: str) -> bool:
    return bool(_ELIGIBILITY_QUESTION.search(text))


# Short messages that only greet, thank or take leave; the model knows more ways, this is for rules alone.
_SMALL_TALK = re.compile(
    r"^\W*(안녕(하세요|하십니까)?|반갑(습니다|네요)|감사(합니다|해요|드려요)?|고마(워요|워|웠어요)|고맙습니다|수고(하세요|하셨어요)"
    r"|잘\s*있어요|좋은\s*하루|네|넵|예|알겠(어요|습니다)|ㅇㅋ|오케이|ㅎㅇ|ㅋ+|ㅎ+|hi|hello|hey|thanks?(\s+you)?(\s+so\s+much)?"
    r"|thank\s+you|bye|goodbye|ok(ay)?|got\s+it|good\s+(morning|evening|night))[\s\W]*$",
    re.IGNORECASE,
)


def small_talk(text: str) -> bool:
    return bool(_SMALL_TALK.match(text))


def asks_for_person(text: str) -> bool:
    return bool(_PERSON.search(text))


# Where to call asked for ("담당 부서 전화번호 알려줘요", "Who can I call with questions?"), not a call asked for
# ("Can a social worker call me back?", "전화상담 되요? 타자치기 힘들어서", "담당자한테 넘겨주시고 전화주세요").
_NUMBER_ASKED = re.compile(
    r"번호|연락처|어디(?:로|에)\s*(?:전화|연락|문의)|\b(?:phone\s+)?number\b"
    r"|\bwho\s+(?:do|can|should)\s+i\s+(?:call|contact|ask)\b|\bwhere\s+(?:do|can|should)\s+i\s+call\b",
    re.IGNORECASE,
)
_CALL_ME = re.compile(
    r"연결|\bconnect|\btransfer|전화\s*(?:주|해\s*주|줘)|전화\s*상담\s*(?:되|돼|가능)"
    r"|\bcall\s+me\b|\bcall\s+\w+\s+back\b|\bme\s+back\b",
    re.IGNORECASE,
)


def asks_for_contact(text: str) -> bool:
    """Where or what number to call, not a call or a transfer: the program's 문의 line answers it."""
    return _NUMBER_ASKED.search(text) is not None and _CALL_ME.search(text) is None


def looks_like_injection(text: str) -> bool:
    return bool(_INJECTION.search(text))


def off_topic(text: str) -> bool:
    """An off-topic subject with no welfare word at all ("비 오면 주식 어때요?"). "날씨가 추워 난방비 지원"
    is on topic: the welfare word wins."""
    return bool(_OFF_TOPIC.search(text)) and not _WELFARE.search(text)


def has_welfare_words(text: str) -> bool:
    return bool(_WELFARE.search(text))


def too_vague(text: str) -> bool:
    """Nothing but generic words ("지원 받을 수 있나요?", "help"): there is nothing to search for yet."""
    rest = _GENERIC.sub(" ", text)
    rest = re.sub(r"[^\w가-힣]|[0-9_]", " ", rest)
    hangul = len(re.findall(r"[가-힣]", rest))
    latin_words = len(re.findall(r"[A-Za-z]{3,}", rest))
    return hangul < 2 and latin_words < 1
