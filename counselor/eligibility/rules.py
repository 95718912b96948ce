"""The wording the fact reader recognises, Korean and English. Numbers are digits by now (numerals.py turned
"열다섯 살" into "15 살"), so each rule reads digits; a rule names the fact, not one utterance.
"""

from __future__ import annotations

import re

from counselor.eligibility.people import EN_KIN, KO_KIN, NOT_AGE

_CHILD_KO = (
    r"(?:세쌍둥이|쌍둥이|아이|아기|(?<!장)애기|(?<![장사연])애|아들|딸|자녀|첫째|둘째|셋째|넷째|막내|막둥이|손자|손녀|손주|큰애"
    r"|작은애|갓난아기|신생아)"
)
CHILD_KO = _CHILD_KO
_CHILD_EN = r"(?:son|daughter|kid|child|baby|boy|girl|toddler|grandson|granddaughter|infant|newborn|twins)"
KO_NUM = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4, "다섯": 5, "여섯": 6}
EN_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a": 1, "an": 1}
_UNIT = r"(살|세|개월|달|주|일)"

CHILD_AGE_KO = [
    re.compile(
        rf"(?:생후\s*)?(\d{{1,3}})\s*{_UNIT}\s*(?:짜리|된|인|되는|밖에\s*안\s*된)?\s*(?:장애\s*(?:가|이)?\s*있는\s*|아픈\s*)?(?:우리\s*)?{_CHILD_KO}"
    ),
    re.compile(
        rf"{_CHILD_KO}(?:가|이|는|은|도)?\s*(?:지금|이제|올해|현재)?\s*(?:생후\s*)?(?:만\s*)?(\d{{1,3}})\s*{_UNIT}(?!\s*전)"
    ),
    # "아들이 초등학생인데 10살이에요": the child is the sentence's subject, its age comes a clause later.
    re.compile(
        rf"{_CHILD_KO}(?:가|이|는|은)\s+(?:(?!저|제가|나는|내가|엄마|아빠|남편|아내)[^.?!\d]){{1,16}}?(\d{{1,2}})\s*(살|세|개월)"
    ),
    # "중학생 딸 15 디딤씨앗통장", "아들 18 고3인데", "딸이 중2 15살인데": two digits right after the child word, a
    # school year between at most, are the child's age (a count of children is one digit: "애 2").
    re.compile(
        rf"{_CHILD_KO}(?:가|이|는|은)?\s*(?:(?:초|중|고)\s*\d\s*)?(?<![\d.,])(\d{{2}})(?![\d.,])(?!\s*(?:{NOT_AGE}))()"
    ),
]
CHILD_AGE_EN = [
    re.compile(rf"\b(\d{{1,2}})[- ](year|month|week)s?[- ]old\s+(?:baby\s+)?{_CHILD_EN}", re.IGNORECASE),
    # "my only kid is 19", "our youngest son just turned 13": a word for which child, and "turned" for "is".
    re.compile(
        rf"\b(?:my|our|the)\s+(?:(?:only|eldest|oldest|youngest|older|younger|little|first|second|third)\s+)?"
        rf"{_CHILD_EN}\s+(?:is|just\s+turned|turned|has\s+turned)\s+(?:only\s+|now\s+|just\s+)?(\d{{1,2}})"
        rf"(?:\s+(year|month|week)s?)?",
        re.I,
    ),
    re.compile(rf"\b{_CHILD_EN}\s+(?:aged|of)\s+(\d{{1,2}})(?:\s+(year|month|week)s?)?", re.IGNORECASE),
    re.compile(
        r"\b(?:my|our)\s+(\d{1,2})[- ](year|month|week)s?[- ]old\b(?!\s+(?:mother|father|mom|dad|husband|wife))", re.I
    ),
    # "a single mom with a 3-year-old", "I have a 4-year-old and a baby": the age as the noun, not "I'm a
    # 35-year-old man" (no one's own age, and no word for a person after it).
    re.compile(
        r"(?<!I'm\s)(?<!I\sam\s)\b(?:a|an)\s+(\d{1,2})[- ](year|month|week)s?[- ]old\b"
        r"(?!-|\s+(?!(?:and|who|that|at|in|with|so|but|or)\b)[A-Za-z])",
        re.I,
    ),
    # "Can my son still get 아동수당? He's 9.": the pronoun after the child is the child.
    re.compile(
        rf"\b(?:my|our|one|1|a)\s+{_CHILD_EN}\b[^.?!]{{0,60}}?[.?!]?\s*(?:he|she)(?:'s|\s+is)\s+(?:now\s+|only\s+|just\s+)?"
        rf"(\d{{1,2}})(?:\s+(year|month|week)s?)?",
        re.IGNORECASE,
    ),
]
SELF_AGE_KO = re.compile(
    r"(?:만\s*)?(\d{1,3})\s*(?:살|세)(?!\s*(?:짜리|된|인)?\s*" + _CHILD_KO + r")"
    r"|(?:올해|나이(?:는|가)|연세(?:는|가)|(?<![가-힣])저는?|제가|(?<![가-힣])전|나는|(?<![가-힣])나)\s*(?:만\s*)?(\d{1,3})"
    r"(?=\s*(?:이에요|이고|입니다|이요|인데|이세요|이십니다|세|살))"
    # "저 서른여섯 직장인이고", "저 스물다섯 여자고": two digits after the pronoun, then a word that is no unit
    # and says nothing of money ("제가 50 벌어요" is an income).
    rf"|(?:(?<![가-힣])저는?|제가|(?<![가-힣])나는?)\s*(?:만\s*)?(\d{{2}})(?![\d.,])"
    rf"(?=\s+(?!(?:{NOT_AGE}|벌|받|정도|쯤|씩|나와|나오|들어|이상|이하|밖에)))"
    # "스물셋 싱글맘이에요", "광양 사는 서른넷 여자예요": a grown-up's age said before what the citizen is.
    r"|(?<![\d.,])(?<!월)(?<!월 )([1-9]\d)\s*(?=(?:직장인|회사원|대학생|대학원생|취준생|청년|여자|남자|여성|남성"
    r"|싱글맘|싱글대디|미혼모|미혼부|한부모|주부|엄마|아빠|자영업자|프리랜서|백수|알바생|노인|할머니|할아버지|장애인|경증|중증)(?:이|예|입|인|고|이고|[.,\s]|$))"
    # "여든셋이세요", "75이신데": an honorific copula after a bare number is the age of the person spoken of.
    r"|(?<![\d.,])(\d{2,3})(?=\s*(?:이세요|이신데|이시고|이십니다|이셔서|되셨|되세요|되시는))"
    # After a number word that ends in a vowel the copula has no 이 ("일흔하나시고" → "71시고"); from 25 up, so
    # that a time ("10시고", "12시인데") is never an age.
    r"|(?<![\d.,])(2[5-9]|[3-9]\d|1[01]\d)(?=(?:시고|신데|십니다|셔서|시구요|시거든요))"
)
SELF_AGE_EN = [
    re.compile(
        r"\bI(?:'m|\s+am)\s+(?:a\s+|now\s+|already\s+)?(\d{1,3})(?!\d|[,.]\d|\s*(?:weeks?|months?|kids?|children|%))\b",
        re.IGNORECASE,
    ),
    re.compile(r"\bI(?:'m|\s+am)\s+(?:a\s+)?(\d{1,3})[- ]years?[- ]old\b(?!\s+" + _CHILD_EN + ")", re.IGNORECASE),
    re.compile(r"\bat\s+(?:the\s+)?age\s+of\s+(\d{1,3})\b", re.IGNORECASE),
    re.compile(r"\bI\s+turned\s+(\d{1,3})\b", re.IGNORECASE),
]
KIN_BEFORE = re.compile(rf"(?:{KO_KIN})|\b(?:{EN_KIN})\b", re.IGNORECASE)
COUNT_KO = re.compile(
    rf"(?:{_CHILD_KO})\s*(?:가|이|는|은)?\s*(한|하나|두|둘|세(?!요)|셋|네(?!요)|넷|다섯|\d(?=\s*명))(?!\s*돌)\s*(?:명|을|를)?(?![가-힣]*살)"
    rf"|(한|두|세|네|다섯)\s*(?:명의)?\s*(?:아이|자녀|아들|딸|애)|(\d)(?:\s+|\s*명의?\s*)(?:아이|자녀|아들|딸|애)"
)
COUNT_EN = re.compile(
    r"\b(one|two|three|four|five|a|an|\d)\s+(?:small\s+|young\s+|little\s+)?(?:kids|children|sons|daughters|child|kid)\b"
    r"|\b(?:mother|mom|father|dad|parent)\s+of\s+(one|two|three|four|five|\d)\b",
    re.IGNORECASE,
)
NO_CHILDREN = re.compile(
    r"(아이|자녀|(?<![장사연])애)(가|는)?\s*없|\bno\s+(kids|children)\b|\bchildless\b", re.IGNORECASE
)
ALONE = re.compile(
    r"혼자\s*(살|사|지내)|독거|1\s*인\s*가구|홀로\s*(살|사)|\blives?\s+(?:all\s+)?(alone|by\s+(?:my|him|her)self)\b"
    r"|\bliving\s+alone\b",
    re.IGNORECASE,
)
SINGLE_PARENT = re.compile(
    r"한부모|싱글\s*(맘|대디|파파)|미혼\s*(모|부)|혼자(?:서)?\s*(?:[가-힣]+\s*){0,3}?(키우|키워|기르|길러)"
    r"|이혼하고\s*(?:[가-힣]+\s*){0,3}?(?:아이|애|아들|딸|자녀)"
    r"|\b(?:single|unmarried|lone)\s+(mother|mom|mum|father|dad|parent)\b|\braising\s+(him|her|them|my\s+\w+)\s+alone\b",
    re.IGNORECASE,
)
COUPLE = re.compile(
    r"부부|맞벌이|남편(이)?(랑|과|하고)|아내(랑|와|하고)|와이프(랑|와|하고)|\bmy\s+(husband|wife)\s+and\s+I\b|\bwe\s+both\s+work\b"
    r"|\bI\s+and\s+my\s+(husband|wife)\b|\bmarried\b|\bwe\s+are\s+a\s+couple\b|\b(?:she|he)\s+and\s+my\s+(?:father|mother)\b",
    re.IGNORECASE,
)
GRANDPARENT = re.compile(r"손자|손녀|손주|조손|\bgrand(son|daughter|child|children)\b", re.IGNORECASE)
MULTIPLE = re.compile(r"쌍둥이|세쌍둥이|다태아|\btwins\b|\btriplets\b", re.IGNORECASE)
SIZE_KO = re.compile(
    r"(\d{1,2})\s*인\s*가구|가족이\s*(\d{1,2})\s*명|(\d{1,2})\s*(?:명|식구)\s*(?:이|가)?\s*(?:살|사|가족|가구|식구)"
    r"|(\d{1,2})\s*식구|(한|두|세|네|다섯|여섯)\s*식구|(둘|셋|넷|다섯)이서?\s*(?:살|사)"
    r"|식구(?:는|가)\s*(?:모두\s*|다\s*)?(\d{1,2}|둘|셋|넷|다섯|여섯)(?:\s*명)?(?:이|예|이에|입니)"
)
SIZE_EN = re.compile(
    r"\bfamily\s+of\s+(\w+)\b|\b(\d{1,2})[- ](?:person|member|people)\s+household\b|\bhousehold\s+of\s+(\d{1,2})\b"
    r"|\b(\d{1,2})\s+(?:people|of\s+us)\s+(?:in\s+total|altogether|at\s+home|in\s+the\s+(?:house|family))\b"
    r"|\bjust\s+the\s+(two|three|\d)\s+of\s+us\b|\bjust\s+us\s+(two|three|\d)\b"
    r"|(?:,|\bwe(?:'re|\s+are))\s*(\d{1,2})\s+(?:people|of\s+us)\b"
    r"|\bthere\s+are\s+(two|three|four|five|six|\d)\s+of\s+us\b",
    re.IGNORECASE,
)
SEVERE = re.compile(
    r"중증\s*장애|중증(?:이|이에요|이고|입니다|인데)|장애\s*(정도가?\s*)?심한|심한\s*장애|장애\s*(정도가?\s*)?심해|[123]\s*급\s*장애|장애인?\s*중증"
    r"|장애(?:가|는)?\s*(?:있(?:고|는데|어요)?)?\s*(?:예전|옛날|과거|이전|원래)?\s*(?:기준\s*(?:으로)?\s*)?[123]\s*급"
    r"|\bsevere(ly)?\s+(?:\w+\s+)?disab|\bserious\s+(?:\w+\s+)?disab|\bgrade\s*[123]\s+disab|\bdisability\s+grade\s*[123]\b",
    re.IGNORECASE,
)
MILD = re.compile(
    r"경증\s*장애|경증(?:이|이에요|이고|입니다|인데)|장애\s*(정도가?\s*)?심하지\s*않|심하지\s*않은\s*장애|[456]\s*급\s*장애|장애인?\s*경증"
    r"|장애(?:가|는)?\s*(?:있(?:고|는데|어요)?)?\s*(?:예전|옛날|과거|이전|원래)?\s*(?:기준\s*(?:으로)?\s*)?[456]\s*급"
    r"|\bmild(ly)?\s+(?:\w+\s+)?disab|\bgrade\s*[456]\s+disab|\bdisability\s+grade\s*[456]\b",
    re.IGNORECASE,
)
DISABLED = re.compile(
    r"장애인|장애아동|장애아|장애\s*(?:가|이)?\s*있|장애\s*등록|장애를\s*가진|장애\s*판정|휠체어|지체\s*장애|시각\s*장애|청각\s*장애|발달\s*장애"
    r"|지적\s*장애|뇌병변|자폐"
    r"|\bdisabled\b|\bdisability\b|\bwheelchair\b",
    re.IGNORECASE,
)
VETERAN = re.compile(
    r"국가\s*유공자|보훈\s*대상|참전\s*유공|참전\s*용사|참전\s*군인|참전했|참전하|6\s*[·.ㆍ]?\s*25\s*(?:전쟁)?\s*참전|월남전|베트남전"
    r"|상이군경|무공훈장|\bveterans?\b|\b(?:korean|vietnam)\s+war\b"
    # 국가유공자 in the English the ministry uses: "a person of national merit", "national merit recipient".
    r"|\bnational[- ]merit\b|\bpersons?\s+of\s+merit\b",
    re.IGNORECASE,
)
PREGNANT = re.compile(
    r"임신\s*(했|중|\d+\s*주|\d+\s*개월|\s*초기|\s*말기)|임산부|임신부|뱃속|출산\s*예정|예정일|\bpregnant\b"
    r"|\bexpecting\s+(a\s+baby|twins|our|my)\b|\bdue\s+(?:next|this|in)\b|\bbaby\s+is\s+due\b",
    re.IGNORECASE,
)
NOT_PREGNANT = re.compile(r"임신\s*(준비|하고\s*싶|계획)|\btrying\s+to\s+get\s+pregnant\b", re.IGNORECASE)
CRISIS = re.compile(
    r"실직|직장을\s*잃|일자리를\s*잃|해고|권고사직|폐업|가게(?:를|가)?\s*(?:닫|문을\s*닫|망)|사업(?:이|을)?\s*(?:망|실패|접)"
    r"|(?:남편|아내|가장|주소득자)(?:이|가)?\s*(?:갑자기\s*)?(?:돌아가|사망|숨지|가출|행방불명|구속|수감)"
    r"|화재|불이\s*(?:나|났)|집이\s*(?:불|타)|가정\s*폭력|학대|폭행을?\s*당|중한\s*질병|큰\s*병|암\s*(?:진단|판정)|크게\s*다쳐"
    r"|(?:가장|주소득자|남편|아내)(?:인|이|가)?\s*(?:[가-힣]+\s*){0,2}?(?:쓰러지|쓰러졌|쓰러져|입원|크게\s*다치|사고)"
    r"|(?:데리고|집을|집에서)\s*(?:나왔|쫓겨)|쫓겨났"
    r"|\blost\s+(?:my|his|her|our)\s+job\b|\blaid\s+off\b|\bgot\s+fired\b|\bbusiness\s+(?:closed|failed)\b"
    r"|\b(?:house|home)\s+(?:fire|burned)\b|\bdomestic\s+violence\b|\b(?:husband|wife)\s+(?:died|passed\s+away)\b"
    r"|\bdiagnosed\s+with\s+cancer\b",
    re.IGNORECASE,
)
# A benefit is received only when the words say so ("주거급여 받는 가구", "생계급여 수급자"); "주거급여 되나요?"
# asks about it.
_RECEIVING = (
    r"\s*(?:을|를|도|만)?\s*(?:받고|받아요|받는|받습니다|받으시고|받으십니다|받으세요|받으셔|받으시는|받은\s*지|받음|수급|나와요|나오고"
    r"|대상자|가구|가정)"
)
# "We're on 생계급여", "I receive housing benefit"; "can I get the housing benefit?" asks about it.
_ON_EN = r"\b(?:on|receive|receives|receiving|recipients?\s+of|(?:am|are|is)\s+on)\s+(?:the\s+)?"


def _benefit(korean: str, english: str) -> re.Pattern[str]:
    """A benefit said as received: "생계급여 받는 가구", "we're on 생계급여", "I receive housing benefit"."""
    return re.compile(rf"{korean}{_RECEIVING}|{_ON_EN}(?:{english}|{korean})", re.IGNORECASE)


RECIPIENTS = [
    (_benefit(r"생계\s*급여", r"livelihood\s+(?:benefits?|aid|allowance)"), "livelihood"),
    (_benefit(r"의료\s*급여", r"medical\s+(?:aid|benefits?|assistance)"), "medical"),
    (_benefit(r"주거\s*급여", r"housing\s+(?:benefits?|allowance|aid)"), "housing"),
    (_benefit(r"교육\s*급여", r"education(?:al)?\s+benefits?"), "education"),
    (
        re.compile(
            r"차상위(?:계층|가구|가정|이|예|에요|입니다|라|인데|이고|이며|이세요|이신데|이시고"
            r"|(?=\s*[.,!)]|\s*$|\s+(?:family|household|status)))"
            r"|\bnear[- ]poverty\b",
            re.I,
        ),
        "near_poverty",
    ),
    (
        re.compile(
            r"기초\s*연금\s*(을|를|도|만)?\s*(받고|받아요|받는|받습니다|받으시고|받으십니다|받으세요|받으시는|수급\s*중|수급자|포함|까지|이랑|하고\s*합쳐)"
            r"|\b(?:am|are|is)\s+on\s+(?:the\s+)?basic\s+pension"
            r"|basic\s+pension\s+recipient|(?<!can\s)(?<!could\s)(?<!will\s)(?<!would\s)(?<!to\s)"
            r"\b(?:(?:I|we|they)\s+(?:receive|get|am\s+on|are\s+on)|(?:she|he)\s+(?:receives|gets|is\s+on))"
            r"\s+the\s+basic\s+pension",
            re.I,
        ),
        "basic_pension",
    ),
]
GENERIC_RECIPIENT = re.compile(
    r"기초\s*(생활)?\s*수급자|기초\s*생활\s*수급\s*(?:가정|가구|중)|(?<!수급자가\s)수급자(?:예요|이에요|입니다|이고|인데|라)"
    r"|수급\s*가정|\bbasic\s+livelihood\s+(?:benefit\s+)?recipient",
    re.IGNORECASE,
)
# A spouse named as part of the household ("남편은 일흔셋", "my wife is 64", "남편 혼자 버는데"): a couple,
# unless the words say the marriage ended.
SPOUSE = re.compile(r"남편|아내|와이프|집사람|\bmy\s+(?:husband|wife)\b|\bour\s+marriage\b", re.IGNORECASE)
NO_SPOUSE = re.compile(
    r"이혼|사별|별거|돌아가|사망|전\s*남편|전\s*아내|\bdivorc|\bwidow|\blate\s+(?:husband|wife)\b|\bex-",
    re.IGNORECASE,
)
# A child of the citizen's spoken of without a number ("우리 애가", "my son"): one child, age unknown.
ONE_CHILD = re.compile(
    r"(?:우리|저희|제|내)?\s*(?:아이(?!돌봄)|아기|(?<![장사연])애(?:가|는|를|도)|아들|딸|첫째|둘째|셋째|막내)(?!들)"
    r"|\b(?:my|our)\s+(?:son|daughter|child|kid|baby)\b",
    re.IGNORECASE,
)
# "아들이 만 스물네 살이고 …": a grown child spoken of is the person asked about, not a child in the household.
ADULT_CHILD = re.compile(
    r"(아들|딸)(?:이|은|는|가)?\s*(?:올해|지금|현재|이제)?\s*(?:만\s*)?(\d{2})\s*(?:살|세)"
    r"|\bmy\s+(son|daughter)\s+is\s+(\d{2})\b(?!\s*(?:months?|weeks?|days?))",
    re.IGNORECASE,
)
ADULT_AGE = 18
