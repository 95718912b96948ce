// @ts-check
// The caseworker's console: login and logout, the socket, and what each frame does. The queue (rows, filters,
// alerts) is in console_queue.js, the case (brief, notes, ready replies, transfer) in console_case.js.
import { state, act, api, setLinkState, $ } from "./console_state.js";
import { applyCard, removeTicket, replaceQueue, setupQueue, alertOverdue, refreshWaits } from "./console_queue.js";
import { renderCase, closeCase, addMessage, addNote, setupCase } from "./console_case.js";

function onFrame(frame) {
  switch (frame.type) {
    case "queue": replaceQueue(frame.tickets); break;
    case "ticket": applyCard(frame); break;
    case "ticket_removed":
      removeTicket(frame.ticket_id);
      if (frame.ticket_id === state.current) closeCase();
      break;
    case "crisis_overdue": alertOverdue(frame); break;
    case "case": renderCase(frame); break;
    case "case_message": if (frame.ticket_id === state.current) addMessage(frame.message); break;
    case "case_note": case "noted": if (frame.ticket_id === state.current) addNote(frame.note); break;
    case "sent": addMessage(frame.message); break;
    case "transferred":
      $("announce").textContent = `상담 #${frame.ticket_id}을(를) ${frame.to}님에게 넘겼어요.`;
      removeTicket(frame.ticket_id);
      if (frame.ticket_id === state.current) closeCase();
      break;
    case "error": $("announce").textContent = frame.message; alert(frame.message); break;
  }
}

function connect() {
  // The token rides in the subprotocol header, never in the URL (which access logs write down).
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/counselor`,
                           ["counselor", `token.${state.token}`]);
  state.ws = ws;
  ws.onopen = () => {
    // A new socket watches no case: open the one on screen again (fresh transcript), then send what waited.
    if (state.current !== null && !state.outbox.some(f => f.type === "open")) {
      ws.send(JSON.stringify({ type: "open", ticket_id: state.current }));
    }
    while (state.outbox.length) ws.send(JSON.stringify(state.outbox.shift()));
    setLinkState(true);
  };
  ws.onmessage = e => onFrame(JSON.parse(e.data));
  ws.onclose = e => {
    if (e.code === 4401 || state.loggingOut) { sessionStorage.clear(); location.reload(); return; }
    setLinkState(false); setTimeout(connect, 1000);
  };
}

async function start() {
  $("login-view").hidden = true;
  $("console").hidden = false;
  $("me").textContent = `${state.me}${state.role === "supervisor" ? " (관리자)" : ""}`;
  $("logout").hidden = false;
  $("sound-toggle").hidden = false;
  $("dashboard-link").hidden = state.role !== "supervisor";
  const words = await api("/api/vocabulary");
  if (words) state.vocabulary = words;
  setupQueue();
  setupCase();
  connect();
  setInterval(refreshWaits, 1000);
}

function askToNotifyOnce() {
  // Asked once per browser, from the login click (browsers only ask from a user's gesture).
  if (!("Notification" in window) || Notification.permission !== "default" || localStorage.getItem("notify-asked")) return;
  localStorage.setItem("notify-asked", "1");
  Notification.requestPermission();
}

$("login").addEventListener("submit", async e => {
  e.preventDefault();
  askToNotifyOnce();
  const response = await fetch("/api/counselor/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: /** @type {HTMLInputElement} */ ($("name")).value, password: /** @type {HTMLInputElement} */ ($("password")).value }) });
  if (!response.ok) {
    $("login-error").textContent = response.status === 429 ? "잠시 뒤에 다시 시도해 주세요." : "이름 또는 비밀번호가 맞지 않습니다.";
    return;
  }
  const body = await response.json();
  Object.assign(state, { token: body.token, me: body.name, role: body.role });
  sessionStorage.setItem("token", state.token); sessionStorage.setItem("me", state.me); sessionStorage.setItem("role", state.role);
  start();
});

$("logout").addEventListener("click", async () => {
  // The session ends on the server (its sockets close there too); then this page forgets it.
  state.loggingOut = true;
  await fetch("/api/counselor/logout", { method: "POST", headers: { Authorization: `Bearer ${state.token}` } });
  if (state.ws) state.ws.close();
  sessionStorage.clear();
  location.reload();
});

/** @type {HTMLInputElement} */ ($("sound")).checked = localStorage.getItem("sound") === "on";
$("sound").addEventListener("change", e => localStorage.setItem("sound", /** @type {HTMLInputElement} */ (e.target).checked ? "on" : "off"));
if (state.token) start();
export { act };
