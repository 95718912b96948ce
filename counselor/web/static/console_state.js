// @ts-check
// What the console's modules share: the session, the socket, the tickets it knows, and the service's words.
export const state = {
  token: sessionStorage.getItem("token"),
  me: sessionStorage.getItem("me"),
  role: sessionStorage.getItem("role") || "counselor",
  ws: null,
  current: null,          // the ticket id of the open case
  tickets: new Map(),     // id -> card, as the server last sent it
  // What the caseworker did while the socket was down (a server restarting): kept, and sent in order once it
  // is back, so a reply typed then is not lost. Only frames never handed to an open socket wait here.
  outbox: [],
  loggingOut: false,
  vocabulary: { kinds: {}, outcomes: {}, facts: {} },
};

export const $ = id => document.getElementById(id);

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function setLinkState(up) {
  $("link").textContent = up ? ""
    : `다시 연결하는 중…${state.outbox.length ? ` (보낼 것 ${state.outbox.length}개는 연결되면 보냅니다)` : ""}`;
}

export function act(frame) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(frame));
  else { state.outbox.push(frame); setLinkState(false); }
}

export async function api(path) {
  // A read over HTTP with the session's token; null when it fails (the socket carries on regardless).
  try {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${state.token}` } });
    return response.ok ? await response.json() : null;
  } catch (_) { return null; }
}

export function waiting(card) {
  const created = new Date(card.ticket.created_at).getTime();
  const end = card.ticket.claimed_at ? new Date(card.ticket.claimed_at).getTime() : Date.now();
  const s = Math.max(0, Math.round((end - created) / 1000));
  return { seconds: s, text: `${Math.floor(s / 60)}분 ${s % 60}초` };
}
