// @ts-check
// Shared by the catalogue's two pages: words in both languages, the language switch, the chat's token.
// Everything the server sends is put on the page with textContent, never as HTML.
"use strict";
const CT = {
  ko: { title: "복지 제도 찾기", chat: "상담하기", sido: "시·도", district: "시·군·구", allSido: "전국 (모든 지역)",
        allDistrict: "시·도 전체", search: "검색", searchHint: "예: 출산 지원금, 기초연금", searchButton: "찾기",
        stages: "생애주기", groups: "대상", prev: "이전", next: "다음", back: "← 제도 목록",
        ask: "이 제도에 대해 물어보기", eligibility: "내 정보로 본 자격", switchTo: "English", switchLabel: "Switch to English",
        found: (n, q) => (q ? `'${q}' 검색 결과 ` : "") + `${n.toLocaleString("ko-KR")}개 제도`, page: (p, n) => `${p} / ${n}쪽`,
        national: "전국", none: "조건에 맞는 제도가 없어요.", error: "제도를 불러오지 못했어요. 잠시 후 다시 시도해 주세요.",
        source: "출처", edition: "기준", page_: p => `${p}쪽`, link: "원문 보기", filterBy: "필터",
        verdicts: { eligible: "받을 수 있어요", likely: "받을 가능성이 높아요", not_eligible: "조건에 맞지 않아요", unknown: "더 알아봐야 해요" },
        missing: "더 알려 주시면 판단할 수 있어요:" },
  en: { title: "Find welfare programs", chat: "Ask the counselor", sido: "Province", district: "City or district",
        allSido: "Whole country (all regions)", allDistrict: "Whole province", search: "Search",
        searchHint: "e.g. birth grant, basic pension", searchButton: "Search", stages: "Stage of life", groups: "Who",
        prev: "Previous", next: "Next", back: "← All programs", ask: "Ask about this program",
        eligibility: "Your eligibility, from what you told the counselor", switchTo: "한국어", switchLabel: "한국어로 바꾸기",
        found: (n, q) => `${n.toLocaleString("en-US")} programs` + (q ? ` for '${q}'` : ""), page: (p, n) => `page ${p} of ${n}`,
        national: "Nationwide", none: "No program matches these filters.", error: "Could not load the programs. Please try again.",
        source: "Source", edition: "as of", page_: p => `p. ${p}`, link: "Original", filterBy: "Filter",
        verdicts: { eligible: "You can get it", likely: "You are likely eligible", not_eligible: "Not eligible", unknown: "More is needed" },
        missing: "Tell the counselor these to settle it:" },
};
let lang = localStorage.getItem("lang") || "ko";
const ct = () => CT[lang];

function applyCatalogueLanguage(title) {
  document.documentElement.lang = lang;
  /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-i18n]")).forEach(el => { el.textContent = ct()[el.dataset.i18n]; });
  /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("[data-i18n-placeholder]")).forEach(el => { el.placeholder = ct()[el.dataset.i18nPlaceholder]; });
  const button = document.getElementById("lang");
  button.textContent = ct().switchTo; button.setAttribute("aria-label", ct().switchLabel);
  document.title = title || ct().title;
}

function onLanguageSwitch(render) {
  document.getElementById("lang").addEventListener("click", () => {
    lang = lang === "ko" ? "en" : "ko"; localStorage.setItem("lang", lang); render();
  });
}

async function fetchJSON(url) {
  // The chat's session token (chat.js keeps it) lets the server compute eligibility for the citizen's profile.
  const token = localStorage.getItem("token");
  const response = await fetch(url, { headers: token ? { "X-Session-Token": token } : {} });
  if (!response.ok) throw new Error(`${response.status}`);
  return response.json();
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text != null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function regionLabel(policy) { return policy.region === "전국" ? ct().national : policy.region; }
function title(policy) { return lang === "en" && policy.title_en ? policy.title_en : policy.title; }
