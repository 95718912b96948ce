// The caseworker's console: the live queue, a case's brief and transcript, claim / reply / return / resolve.
"use strict";
let token = sessionStorage.getItem("token"), me = sessionStorage.getItem("me"), ws = null, current = null;
const tickets = new Map();
// What the caseworker did while the socket was down (a server restarting): kept, and sent in order once it is
// back, so a reply typed then is not lost. Only frames never handed to an open socket wait here.
const outbox = [];
const REASONS = { crisis: "위기", distress: "정서적 어려움", person_requested: "상담사 요청", own_case: "본인 사례 확인", several_problems: "복합 어려움", low_confidence: "확신 낮음", no_match: "해당 제도 없음",
                  ungrounded_answer: "답변 검증 실패", answerer_failed: "답변 오류", pipeline_error: "시스템 오류" };
// The crisis kind travels as the ticket's detail (a code); caseworkers read it in Korean.
const KINDS = { suicide_self_harm: "자살·자해 위험", violence_abuse: "폭력·학대", child_in_danger: "아동 위험",
                basic_needs_today: "오늘의 생계" };
const EVENTS = { counselor_joined: "상담사 참여", returned_to_bot: "상담봇에 돌려줌", resolved: "종결" };
const ROLES = { citizen: "시민", bot: "상담봇", counselor: "상담사", system: "안내", event: "기록" };

function waiting(card) {
  const created = new Date(card.ticket.created_at).getTime();
  const end = card.ticket.claimed_at ? new Date(card.ticket.claimed_at).getTime() : Date.now();
  const s = Math.max(0, Math.round((end - created) / 1000));
  return `${Math.floor(s / 60)}분 ${s % 60}초`;
}

function renderQueue() {
  const body = document.getElementById("queue");
  body.replaceChildren();
  const cards = [...tickets.values()].sort((a, b) => a.ticket.priority - b.ticket.priority || a.ticket.id - b.ticket.id);
  for (const card of cards) {
    const row = document.createElement("tr");
    row.tabIndex = 0; row.dataset.ticket = card.ticket.id;
    row.className = (card.ticket.priority === 0 ? "crisis " : "") + (card.over_sla ? "over" : "");
    row.setAttribute("aria-selected", String(current === card.ticket.id));
    const cells = [card.ticket.priority === 0 ? "위기" : "일반", (REASONS[card.ticket.reason] || card.ticket.reason) + (KINDS[card.ticket.detail] ? ` · ${KINDS[card.ticket.detail]}` : ""),
                   waiting(card) + (card.over_sla ? " (초과)" : ""), card.ticket.state === "waiting" ? "대기" : `담당: ${card.ticket.claimed_by}`];
    cells.forEach((text, i) => { const td = document.createElement("td"); td.textContent = text; if (i === 2) td.className = "wait"; row.append(td); });
    row.addEventListener("click", () => open(card.ticket.id));
    row.addEventListener("keydown", e => { if (e.key === "Enter") open(card.ticket.id); });
    body.append(row);
  }
}

function renderCase(frame) {
  current = frame.card.ticket.id; tickets.set(current, frame.card);
  const t = frame.card.ticket, brief = document.getElementById("brief");
  document.getElementById("case").hidden = false;
  document.getElementById("case-title").textContent = `상담 건 #${t.id}`;
  brief.replaceChildren();
  const facts = [["사유", `${REASONS[t.reason] || t.reason} ${KINDS[t.detail] || t.detail || ""}`], ["질문", t.brief.question || ""],
                 ["후보 제도", (t.brief.candidates || []).map(c => c.title).join(", ")], ["상담봇 답변", t.brief.answer || ""],
                 ["상태", t.state === "waiting" ? "대기" : `${t.state} (${t.claimed_by || ""})`]];
  for (const [k, v] of facts) { const dt = document.createElement("dt"); dt.textContent = k; const dd = document.createElement("dd"); dd.textContent = v; brief.append(dt, dd); }
  const list = document.getElementById("transcript"); list.replaceChildren();
  frame.transcript.forEach(addMessage);
  const mine = t.state === "claimed" && t.claimed_by === me;
  document.getElementById("claim").disabled = t.state !== "waiting";
  document.getElementById("return").disabled = !mine;
  document.querySelectorAll("#reply button, #resolve button").forEach(b => { b.disabled = !mine; });
  renderQueue();
}

function addMessage(m) {
  const list = document.getElementById("transcript");
  if (list.querySelector(`[data-id="${m.id}"]`)) return;  // our own reply arrives as "sent" and as a case message
  const li = document.createElement("li");
  li.dataset.id = m.id;
  li.className = `msg ${m.role === "system" ? "bot" : m.role}`;
  const who = document.createElement("span"); who.className = "who"; who.textContent = ROLES[m.role] || m.role;
  const text = m.role === "event" ? `${EVENTS[m.payload.event] || m.payload.event} (${m.payload.counselor || ""})` : m.text;
  li.append(who, document.createTextNode(text));
  list.append(li);
}

function act(frame) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  else { outbox.push(frame); showLink(false); }
}
function showLink(up) {
  document.getElementById("link").textContent = up ? ""
    : `다시 연결하는 중…${outbox.length ? ` (보낼 것 ${outbox.length}개는 연결되면 보냅니다)` : ""}`;
}
function open(id) { act({ type: "open", ticket_id: id }); }

function onFrame(frame) {
  switch (frame.type) {
    case "queue": tickets.clear(); frame.tickets.forEach(c => tickets.set(c.ticket.id, c)); renderQueue(); break;
    case "ticket": {
      const isNew = !tickets.has(frame.ticket.id);
      if (["resolved", "returned"].includes(frame.ticket.state)) tickets.delete(frame.ticket.id); else tickets.set(frame.ticket.id, frame);
      if (isNew && frame.ticket.state === "waiting") {
        document.getElementById("announce").textContent = `새 상담 요청: ${REASONS[frame.ticket.reason] || frame.ticket.reason}`;
        document.title = "(새 요청) 상담사 콘솔";
      }
      renderQueue(); break;
    }
    case "ticket_removed":
      tickets.delete(frame.ticket_id);
      if (frame.ticket_id === current) { current = null; document.getElementById("case").hidden = true; }
      renderQueue(); break;
    case "case": renderCase(frame); break;
    case "case_message": if (frame.ticket_id === current) addMessage(frame.message); break;
    case "sent": addMessage(frame.message); break;
    case "error": document.getElementById("announce").textContent = frame.message; alert(frame.message); break;
  }
}

function connect() {
  // The token rides in the subprotocol header, never in the URL (which access logs write down).
  ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/counselor`, ["counselor", `token.${token}`]);
  ws.onopen = () => {
    // A new socket watches no case: open the one on screen again (fresh transcript), then send what waited.
    if (current !== null && !outbox.some(f => f.type === "open")) ws.send(JSON.stringify({ type: "open", ticket_id: current }));
    while (outbox.length) ws.send(JSON.stringify(outbox.shift()));
    showLink(true);
  };
  ws.onmessage = e => onFrame(JSON.parse(e.data));
  ws.onclose = e => {
    if (e.code === 4401) { sessionStorage.clear(); location.reload(); return; }
    showLink(false); setTimeout(connect, 1000);
  };
}

function start() {
  document.getElementById("login").hidden = true;
  document.getElementById("console").hidden = false;
  document.getElementById("me").textContent = me;
  connect();
  setInterval(renderQueue, 1000);
}

document.getElementById("login").addEventListener("submit", async e => {
  e.preventDefault();
  const response = await fetch("/api/counselor/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: document.getElementById("name").value, password: document.getElementById("password").value }) });
  if (!response.ok) { document.getElementById("login-error").textContent = "이름 또는 비밀번호가 맞지 않습니다."; return; }
  const body = await response.json();
  token = body.token; me = body.name;
  sessionStorage.setItem("token", token); sessionStorage.setItem("me", me);
  start();
});
document.getElementById("claim").addEventListener("click", () => act({ type: "claim", ticket_id: current }));
document.getElementById("return").addEventListener("click", () => act({ type: "return", ticket_id: current }));
document.getElementById("reply").addEventListener("submit", e => {
  e.preventDefault(); const box = document.getElementById("reply-text");
  act({ type: "send", ticket_id: current, text: box.value }); box.value = "";
});
document.getElementById("resolve").addEventListener("submit", e => {
  e.preventDefault();
  act({ type: "resolve", ticket_id: current, note: document.getElementById("note").value,
        tags: document.getElementById("tags").value.split(",").map(s => s.trim()).filter(Boolean) });
});
if (token) start();
