// @ts-check
// The citizen's chat. Keeps the session token and the last message seen, reconnects by itself and resumes.
// The fact and reason labels are LABELS (labels.js, generated from counselor/labels.py, which the console's share).
"use strict";
const T = {
  ko: { title: "복지 상담", label: "질문", placeholder: "궁금한 복지 제도를 물어보세요", send: "보내기",
        person: "상담사 연결", close: "닫기", personText: "상담원 연결해 주세요", connecting: "연결 중입니다…",
        waiting: "상담사 연결을 기다리고 있어요.", queue: n => ` 대기 순서: ${n}번째`, talking: n => `상담사 ${n}님과 대화 중입니다.`,
        bot: "상담봇", me: "나", counselor: n => `상담사 ${n}`, joined: n => `상담사 ${n}님이 대화에 들어왔어요.`,
        returned: "상담봇이 다시 답변해 드려요.", resolved: "상담이 종료되었어요.", sources: "출처", related: "함께 볼 제도:", switchTo: "English",
        switchLabel: "Switch to English", error: "오류", sourcePage: "제도 페이지에서 보기", catalogue: "제도 찾기", profileTitle: "상담에 쓰는 내 정보",
        profileHint: "대화에서 알려 주신 정보예요. 틀린 것은 지우고 다시 말씀해 주세요.", erase: "내 정보 모두 지우기",
        remove: "지우기", erased: "내 정보를 모두 지웠어요.", requeued: "다른 상담사를 연결해 드릴게요. 잠시 기다려 주세요.",
        helpedQ: "이 답변이 도움이 됐나요?", helped: "도움이 됐어요", notHelped: "아니에요", whyQ: "어떤 점이 아쉬웠나요? (선택)",
        reasons: LABELS.ko.reasons,
        thanks: "의견 고마워요.", satisfactionQ: "상담사와의 대화는 어떠셨나요?",
        ratings: ["매우 불만족", "불만족", "보통", "만족", "매우 만족"],
        facts: LABELS.ko.facts },
  en: { title: "Welfare counseling", label: "Question", placeholder: "Ask about welfare support", send: "Send",
        person: "Talk to a person", close: "Close", personText: "I'd like to talk to a real person", connecting: "Connecting…",
        waiting: "Waiting for a caseworker.", queue: n => ` You are number ${n} in the queue.`, talking: n => `You are talking with caseworker ${n}.`,
        bot: "Counselor bot", me: "Me", counselor: n => `Caseworker ${n}`, joined: n => `Caseworker ${n} joined the chat.`,
        returned: "The bot is answering again.", resolved: "The case is closed.", sources: "Sources", related: "Also see:", switchTo: "한국어",
        switchLabel: "한국어로 바꾸기", error: "Error", sourcePage: "Open the program's page", catalogue: "Find programs", profileTitle: "What I've told the counselor",
        profileHint: "Facts from our conversation. Remove anything wrong and tell me again.", erase: "Erase all my information",
        remove: "Remove", erased: "Your information was erased.", requeued: "We are connecting you to another caseworker. Please wait.",
        helpedQ: "Did this answer help?", helped: "It helped", notHelped: "It didn't", whyQ: "What was missing? (optional)",
        reasons: LABELS.en.reasons,
        thanks: "Thank you for telling us.", satisfactionQ: "How was your chat with the caseworker?",
        ratings: ["Very unsatisfied", "Unsatisfied", "Neutral", "Satisfied", "Very satisfied"],
        facts: LABELS.en.facts },
};
let lang = localStorage.getItem("lang") || "ko";
let ws = null, retry = 0, pending = null;
// Messages sent but not acknowledged, by client_id. A socket that drops may have lost one: each is sent again,
// with the same client_id, once the next session begins. The server stores a client_id once and answers a
// repeat with the stored answer, so a message it did get is not answered twice.
/** @type {Map<string, {text: string, li: HTMLElement}>} */
const outbox = new Map();
// The catalogue's "이 제도에 대해 물어보기" opens /?ask=<question>&region=<sido district>: asked once, on connecting.
const opened = new URLSearchParams(location.search);
let asked = opened.get("ask"), region = opened.get("region");
const log = document.getElementById("log"), state = document.getElementById("state");
const t = () => T[lang];

function applyLanguage() {
  document.documentElement.lang = lang;
  /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-i18n]")).forEach(el => { el.textContent = t()[el.dataset.i18n]; });
  /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("[data-i18n-placeholder]")).forEach(el => { el.placeholder = t()[el.dataset.i18nPlaceholder]; });
  const button = document.getElementById("lang");
  button.textContent = t().switchTo; button.setAttribute("aria-label", t().switchLabel);
  document.title = t().title;
}

// The answer's light formatting ("**bold**", "- " list lines, blank-line paragraphs) becomes DOM nodes built
// with textContent only: the text is never parsed as HTML, so nothing in a policy or a question can inject markup.
function appendInline(parent, text) {
  const parts = text.split(/\*\*(.+?)\*\*/);
  parts.forEach((part, i) => {
    if (!part) return;
    if (i % 2) { const b = document.createElement("strong"); b.textContent = part; parent.append(b); }
    else parent.append(part.replaceAll("**", ""));
  });
}

function formatted(text) {
  const out = document.createDocumentFragment();
  let list = null, para = null;
  for (const line of text.split("\n")) {
    const item = line.match(/^\s*[-•]\s+(.*)$/);
    if (item) {
      para = null;
      if (!list) { list = document.createElement("ul"); out.append(list); }
      const li = document.createElement("li"); appendInline(li, item[1]); list.append(li);
    } else if (!line.trim()) {
      list = null; para = null;
    } else {
      list = null;
      if (para) para.append(document.createElement("br"));
      else { para = document.createElement("p"); out.append(para); }
      appendInline(para, line);
    }
  }
  return out;
}

function bubble(kind, who, text, id) {
  const li = document.createElement("li");
  li.className = `msg ${kind}`;
  if (id) li.dataset.id = id;
  if (who) { const s = document.createElement("span"); s.className = "who"; s.textContent = who; li.append(s); }
  const body = document.createElement("div"); body.className = "body"; body.textContent = text; li.append(body);
  log.append(li); li.scrollIntoView({ block: "end" });
  return li;
}

function showAnswer(frame) {
  if (document.querySelector(`[data-id="${frame.message_id}"]:not(.streaming)`)) return;
  const li = pending && pending.dataset.id === frame.message_id ? pending : bubble("bot", t().bot, "", frame.message_id);
  pending = null;
  li.classList.remove("streaming");
  li.querySelector(".body").replaceChildren(formatted(frame.text));  // the answer frame is authoritative
  li.classList.toggle("crisis", frame.status === "crisis");
  li.dataset.status = frame.status;
  if (frame.citations && frame.citations.length) {
    const list = document.createElement("ol"); list.className = "sources"; list.setAttribute("aria-label", t().sources);
    for (const c of frame.citations) {
      const item = document.createElement("li"); item.value = c.number;
      item.append(sourceLink(c.policy_id, c.title)); list.append(item);
    }
    li.append(list);
  }
  if (frame.related && frame.related.length) {
    const more = document.createElement("p"); more.className = "sources"; more.textContent = `${t().related} `;
    frame.related.forEach((r, i) => {
      more.append(sourceLink(r.policy_id, lang === "en" && r.title_en ? r.title_en : r.title), i < frame.related.length - 1 ? ", " : "");
    });
    li.append(more);
  }
  if (frame.status === "escalated" || frame.status === "crisis") {
    state.textContent = t().waiting + (frame.queue_position ? t().queue(frame.queue_position) : "");
  }
  if (RATEABLE.includes(frame.status) && !li.querySelector(".rate")) answerRating(li, frame.message_id, null);
}

function sourceLink(policyId, title) {
  // A real link to the policy's page in the catalogue (shareable, opens in a new tab); a plain click shows the
  // text here instead, so the conversation stays on screen.
  const a = document.createElement("a"); a.href = `/policies/${encodeURIComponent(policyId)}`; a.textContent = title;
  a.addEventListener("click", event => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault(); openSource(policyId);
  });
  return a;
}

async function openSource(policyId) {
  const response = await fetch(`/api/policies/${encodeURIComponent(policyId)}`);
  if (!response.ok) return;
  const policy = await response.json();
  document.getElementById("source-title").textContent = policy.title;
  document.getElementById("source-text").textContent = policy.sections.map(s => `${s.heading}\n${s.text}`).join("\n\n");
  /** @type {HTMLAnchorElement} */ (document.getElementById("source-page")).href = `/policies/${encodeURIComponent(policyId)}`;
  /** @type {HTMLDialogElement} */ (document.getElementById("source")).showModal();
}

function describe(name, value) {
  if (name === "children") return value.map(c => c.age_years ?? (c.age_months != null ? `${c.age_months}m` : "?")).join(", ");
  if (name === "income_band") return `${Math.round(value[0] * 100)}–${Math.round(value[1] * 100)}%`;
  if (Array.isArray(value)) return value.join(", ");
  return value === true ? "✓" : value === false ? "✗" : String(value);
}

function showProfile(frame) {
  const panel = document.getElementById("profile"), list = document.getElementById("facts");
  list.replaceChildren();
  if (frame.erased) bubble("event", "", t().erased);
  const names = Object.keys(frame.facts);
  panel.hidden = names.length === 0;
  names.forEach(name => {
    const li = document.createElement("li");
    li.textContent = `${t().facts[name] || name}: ${describe(name, frame.facts[name])} `;
    const remove = document.createElement("button");
    remove.type = "button"; remove.className = "link"; remove.textContent = t().remove;
    remove.setAttribute("aria-label", `${t().remove} ${t().facts[name] || name}`);
    remove.addEventListener("click", () => ws && ws.send(JSON.stringify({ type: "profile", action: "remove", names: [name] })));
    li.append(remove); list.append(li);
  });
}

function onFrame(frame) {
  if (frame.type !== "session" && frame.message_id) localStorage.setItem("after", frame.message_id);
  switch (frame.type) {
    case "session":
      localStorage.setItem("token", frame.token); retry = 0;
      if (!frame.resumed) { log.replaceChildren(); localStorage.removeItem("after"); }
      ws.send(JSON.stringify({ type: "profile", action: "get" }));
      resend();
      if (asked) { const text = asked; asked = null; history.replaceState(null, "", "/"); send(text); }
      state.textContent = frame.handoff === "claimed" ? t().talking(frame.counselor)
        : frame.handoff === "waiting" ? t().waiting + (frame.queue_position ? t().queue(frame.queue_position) : "") : "";
      break;
    case "ack": {
      const sent = frame.client_id ? outbox.get(frame.client_id) : undefined;
      if (sent) outbox.delete(frame.client_id);
      if (!document.querySelector(`[data-id="${frame.message_id}"]`)) {
        const mine = sent ? sent.li : /** @type {HTMLElement | null} */ (document.querySelector("li.msg.citizen.unsent"));
        if (mine) { mine.classList.remove("unsent"); mine.dataset.id = frame.message_id; }
        else bubble("citizen", t().me, frame.text, frame.message_id);
      } else if (sent && !sent.li.dataset.id) {
        sent.li.remove();  // the replay already showed this message: its resent copy would show it twice
      }
      break;
    }
    case "token":
      if (!pending) { pending = bubble("bot streaming", t().bot, "", frame.message_id); }
      pending.querySelector(".body").textContent += frame.text; break;
    case "answer": showAnswer(frame); break;
    case "profile": showProfile(frame); break;
    case "counselor_joined":
      bubble("event", "", t().joined(frame.counselor), frame.message_id); state.textContent = t().talking(frame.counselor); break;
    case "counselor_message": {
      if (document.querySelector(`[data-id="${frame.message_id}"]`)) break;
      const li = bubble("counselor", t().counselor(frame.counselor), frame.text, frame.message_id);
      if (frame.links && frame.links.length) {
        const more = document.createElement("p"); more.className = "sources";
        frame.links.forEach((l, i) => more.append(sourceLink(l.policy_id, l.title), i < frame.links.length - 1 ? ", " : ""));
        li.append(more);
      }
      break;
    }
    case "requeued": bubble("event", "", t().requeued, frame.message_id); state.textContent = t().waiting; break;
    case "returned_to_bot": case "resolved":
      if (document.querySelector(`[data-id="${frame.message_id}"]`)) break;
      bubble("event", "", frame.type === "resolved" ? t().resolved : t().returned, frame.message_id); state.textContent = "";
      satisfactionQuestion(frame.message_id, null);
      break;
    case "feedback_saved": showSaved(frame); break;
    case "error": bubble("event", "", `${t().error}: ${frame.message}`);
      if (frame.code === "bad_token") { localStorage.removeItem("token"); localStorage.removeItem("after"); }
      break;
  }
}

function connect() {
  state.textContent = t().connecting;
  // A reloaded page has nothing on screen: replay the whole conversation; a dropped socket only what it missed.
  const token = localStorage.getItem("token"), after = log.children.length ? localStorage.getItem("after") : null;
  const params = new URLSearchParams();
  if (token && after) params.set("after", after);
  if (region) { params.set("region", region); region = null; }
  const query = params.toString() ? `?${params}` : "";
  // The token rides in the subprotocol header, never in the URL (which access logs write down).
  const protocols = token ? ["counselor", `token.${token}`] : ["counselor"];
  ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/chat${query}`, protocols);
  ws.onmessage = event => onFrame(JSON.parse(event.data));
  ws.onclose = () => { ws = null; retry = Math.min(retry + 1, 6); setTimeout(connect, 250 * 2 ** retry); };
}

/** @param {string} clientId @param {string} text */
function transmit(clientId, text) { ws.send(JSON.stringify({ type: "message", text, client_id: clientId })); }

/** @param {string} text */
function send(text) {
  if (!text.trim() || !ws || ws.readyState !== WebSocket.OPEN) return false;
  const li = bubble("citizen unsent", t().me, text);
  const clientId = crypto.randomUUID();
  outbox.set(clientId, { text, li });
  transmit(clientId, text);
  return li;
}

function resend() {
  for (const [clientId, { text, li }] of outbox) {
    if (!li.isConnected) log.append(li);  // a new conversation emptied the log; the message is still the citizen's
    transmit(clientId, text);
  }
}

document.getElementById("compose").addEventListener("submit", event => {
  event.preventDefault();
  const box = /** @type {HTMLTextAreaElement} */ (document.getElementById("text"));
  if (send(box.value)) box.value = "";
});
document.getElementById("text").addEventListener("keydown", event => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); /** @type {HTMLFormElement} */ (document.getElementById("compose")).requestSubmit(); }
});
document.getElementById("person").addEventListener("click", () => send(t().personText));
document.getElementById("erase").addEventListener("click", () => ws && ws.send(JSON.stringify({ type: "profile", action: "erase" })));
document.getElementById("lang").addEventListener("click", () => {
  lang = lang === "ko" ? "en" : "ko"; localStorage.setItem("lang", lang); applyLanguage();
});
applyLanguage();
connect();
