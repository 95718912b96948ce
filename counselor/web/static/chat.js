// The citizen's chat. Keeps the session token and the last message seen, reconnects by itself and resumes.
"use strict";
const T = {
  ko: { title: "복지 상담", label: "질문", placeholder: "궁금한 복지 제도를 물어보세요", send: "보내기",
        person: "상담사 연결", close: "닫기", personText: "상담원 연결해 주세요", connecting: "연결 중입니다…",
        waiting: "상담사 연결을 기다리고 있어요.", queue: n => ` 대기 순서: ${n}번째`, talking: n => `상담사 ${n}님과 대화 중입니다.`,
        bot: "상담봇", me: "나", counselor: n => `상담사 ${n}`, joined: n => `상담사 ${n}님이 대화에 들어왔어요.`,
        returned: "상담봇이 다시 답변해 드려요.", resolved: "상담이 종료되었어요.", sources: "출처", related: "함께 볼 제도:", switchTo: "English",
        switchLabel: "Switch to English", error: "오류" },
  en: { title: "Welfare counseling", label: "Question", placeholder: "Ask about welfare support", send: "Send",
        person: "Talk to a person", close: "Close", personText: "I'd like to talk to a real person", connecting: "Connecting…",
        waiting: "Waiting for a caseworker.", queue: n => ` You are number ${n} in the queue.`, talking: n => `You are talking with caseworker ${n}.`,
        bot: "Counselor bot", me: "Me", counselor: n => `Caseworker ${n}`, joined: n => `Caseworker ${n} joined the chat.`,
        returned: "The bot is answering again.", resolved: "The case is closed.", sources: "Sources", related: "Also see:", switchTo: "한국어",
        switchLabel: "한국어로 바꾸기", error: "Error" },
};
let lang = localStorage.getItem("lang") || "ko";
let ws = null, retry = 0, pending = null;
const log = document.getElementById("log"), state = document.getElementById("state");
const t = () => T[lang];

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach(el => { el.textContent = t()[el.dataset.i18n]; });
  document.querySelectorAll("[data-i18n-placeholder]").forEach(el => { el.placeholder = t()[el.dataset.i18nPlaceholder]; });
  const button = document.getElementById("lang");
  button.textContent = t().switchTo; button.setAttribute("aria-label", t().switchLabel);
  document.title = t().title;
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
  li.querySelector(".body").textContent = frame.text;  // the answer frame is authoritative
  li.classList.toggle("crisis", frame.status === "crisis");
  li.dataset.status = frame.status;
  if (frame.citations && frame.citations.length) {
    const list = document.createElement("ol"); list.className = "sources"; list.setAttribute("aria-label", t().sources);
    for (const c of frame.citations) {
      const item = document.createElement("li"); item.value = c.number;
      const open = document.createElement("button"); open.type = "button"; open.textContent = c.title;
      open.addEventListener("click", () => openSource(c.policy_id));
      item.append(open); list.append(item);
    }
    li.append(list);
  }
  if (frame.related && frame.related.length) {
    const more = document.createElement("p"); more.className = "sources"; more.textContent = `${t().related} `;
    frame.related.forEach((r, i) => {
      const open = document.createElement("button"); open.type = "button";
      open.textContent = lang === "en" && r.title_en ? r.title_en : r.title;
      open.addEventListener("click", () => openSource(r.policy_id));
      more.append(open, i < frame.related.length - 1 ? ", " : "");
    });
    li.append(more);
  }
  if (frame.status === "escalated" || frame.status === "crisis") {
    state.textContent = t().waiting + (frame.queue_position ? t().queue(frame.queue_position) : "");
  }
}

async function openSource(policyId) {
  const response = await fetch(`/api/policies/${encodeURIComponent(policyId)}`);
  if (!response.ok) return;
  const policy = await response.json();
  document.getElementById("source-title").textContent = policy.title;
  document.getElementById("source-text").textContent = policy.sections.map(s => `${s.heading}\n${s.text}`).join("\n\n");
  document.getElementById("source").showModal();
}

function onFrame(frame) {
  if (frame.type !== "session" && frame.message_id) localStorage.setItem("after", frame.message_id);
  switch (frame.type) {
    case "session":
      localStorage.setItem("token", frame.token); retry = 0;
      if (!frame.resumed) { log.replaceChildren(); localStorage.removeItem("after"); }
      state.textContent = frame.handoff === "claimed" ? t().talking(frame.counselor)
        : frame.handoff === "waiting" ? t().waiting + (frame.queue_position ? t().queue(frame.queue_position) : "") : "";
      break;
    case "ack":
      if (!document.querySelector(`[data-id="${frame.message_id}"]`)) {
        const mine = document.querySelector("li.msg.citizen.unsent");
        if (mine) { mine.classList.remove("unsent"); mine.dataset.id = frame.message_id; }
        else bubble("citizen", t().me, frame.text, frame.message_id);
      }
      break;
    case "token":
      if (!pending) { pending = bubble("bot streaming", t().bot, "", frame.message_id); }
      pending.querySelector(".body").textContent += frame.text; break;
    case "answer": showAnswer(frame); break;
    case "counselor_joined":
      bubble("event", "", t().joined(frame.counselor), frame.message_id); state.textContent = t().talking(frame.counselor); break;
    case "counselor_message": bubble("counselor", t().counselor(frame.counselor), frame.text, frame.message_id); break;
    case "returned_to_bot": bubble("event", "", t().returned, frame.message_id); state.textContent = ""; break;
    case "resolved": bubble("event", "", t().resolved, frame.message_id); state.textContent = ""; break;
    case "error": bubble("event", "", `${t().error}: ${frame.message}`);
      if (frame.code === "bad_token") { localStorage.removeItem("token"); localStorage.removeItem("after"); }
      break;
  }
}

function connect() {
  state.textContent = t().connecting;
  // A reloaded page has nothing on screen: replay the whole conversation; a dropped socket only what it missed.
  const token = localStorage.getItem("token"), after = log.children.length ? localStorage.getItem("after") : null;
  const query = token ? `?token=${encodeURIComponent(token)}` + (after ? `&after=${encodeURIComponent(after)}` : "") : "";
  ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/chat${query}`);
  ws.onmessage = event => onFrame(JSON.parse(event.data));
  ws.onclose = () => { ws = null; retry = Math.min(retry + 1, 6); setTimeout(connect, 250 * 2 ** retry); };
}

function send(text) {
  if (!text.trim() || !ws || ws.readyState !== WebSocket.OPEN) return false;
  const li = bubble("citizen unsent", t().me, text);
  ws.send(JSON.stringify({ type: "message", text, client_id: crypto.randomUUID() }));
  return li;
}

document.getElementById("compose").addEventListener("submit", event => {
  event.preventDefault();
  const box = document.getElementById("text");
  if (send(box.value)) box.value = "";
});
document.getElementById("text").addEventListener("keydown", event => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); document.getElementById("compose").requestSubmit(); }
});
document.getElementById("person").addEventListener("click", () => send(t().personText));
document.getElementById("lang").addEventListener("click", () => {
  lang = lang === "ko" ? "en" : "ko"; localStorage.setItem("lang", lang); applyLanguage();
});
applyLanguage();
connect();
