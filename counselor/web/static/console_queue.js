// @ts-check
// The queue: one row per ticket, updated in place (a row keeps its element, so keyboard focus stays on it while
// tickets arrive, change and leave), filters by kind, region and holder, and the alerts a crisis raises.
import { state, $, el, act, waiting } from "./console_state.js";

const rows = new Map();  // ticket id -> <tr>
const TITLE = "상담사 콘솔";
const LANGUAGES = { ko: "한국어", en: "영어" };
let alerted = null;      // the ticket the banner is about
let urgentAlert = false; // a crisis's banner goes once someone takes the crisis

function order(a, b) { return a.ticket.priority - b.ticket.priority || a.ticket.id - b.ticket.id; }

function holder(card) { return card.ticket.state === "waiting" ? "대기" : `담당: ${card.ticket.claimed_by}`; }

function shown(card) {
  const kind = /** @type {HTMLSelectElement} */ ($("filter-kind")).value, region = /** @type {HTMLSelectElement} */ ($("filter-region")).value, who = /** @type {HTMLSelectElement} */ ($("filter-holder")).value;
  if (kind && card.kind !== kind) return false;
  if (region && !(card.region || "").startsWith(region)) return false;
  if (who === "waiting") return card.ticket.state === "waiting";
  if (who === "mine") return card.ticket.claimed_by === state.me;
  if (who) return card.ticket.claimed_by === who;
  return true;
}

function slaClass(card) {
  const sla = (state.vocabulary.sla_minutes || 5) * 60, s = waiting(card).seconds;
  if (card.ticket.state !== "waiting") return "wait";
  return s > sla ? "wait over" : s > sla / 2 ? "wait near" : "wait ok";
}

function waitText(card) {
  const s = waiting(card), over = card.ticket.state === "waiting" && s.seconds > (state.vocabulary.sla_minutes || 5) * 60;
  return s.text + (over ? " (SLA 초과)" : "");
}

function makeRow(id) {
  const row = el("tr");
  row.tabIndex = 0; row.dataset.ticket = id;
  for (let i = 0; i < 6; i++) row.append(el("td"));
  row.addEventListener("click", () => openCase(id));
  row.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openCase(id); } });
  return row;
}

function fill(row, card) {
  const t = card.ticket, cells = row.children;
  const texts = [t.priority === 0 ? "위기" : "일반", card.kind_label, card.preview || "(질문 없음)",
                 [card.region || "지역 모름", LANGUAGES[card.language] || card.language].join(" · "), waitText(card), holder(card)];
  texts.forEach((text, i) => { if (cells[i].textContent !== text) cells[i].textContent = text; });
  cells[2].className = "preview"; cells[2].title = card.preview || "";
  cells[4].className = slaClass(card);
  row.className = t.priority === 0 ? "crisis" : "";
  row.setAttribute("aria-selected", String(state.current === t.id));
  row.setAttribute("aria-label", `${texts[0]} ${texts[1]}: ${texts[2]}, ${texts[3]}, ${texts[4]}, ${texts[5]}`);
  row.hidden = !shown(card);
}

export function render() {
  const body = $("queue");
  const cards = [...state.tickets.values()].sort(order);
  for (const [id, row] of rows) if (!state.tickets.has(id)) { row.remove(); rows.delete(id); }
  const focused = /** @type {HTMLElement | null} */ (document.activeElement);
  let before = body.firstElementChild;
  for (const card of cards) {
    let row = rows.get(card.ticket.id);
    if (!row) { row = makeRow(card.ticket.id); rows.set(card.ticket.id, row); }
    fill(row, card);
    if (row !== before) body.insertBefore(row, before);  // moves only what is out of place
    else before = before.nextElementSibling;
  }
  if (focused && focused !== document.activeElement && body.contains(focused)) focused.focus();
  const visible = cards.filter(shown).length;
  $("queue-count").textContent = `${visible}건`;
  $("queue-empty").hidden = visible > 0;
  refreshFilters();
}

export function refreshWaits() {
  for (const [id, row] of rows) {
    const card = state.tickets.get(id);
    if (!card) continue;
    const cell = row.children[4], text = waitText(card);
    if (cell.textContent !== text) cell.textContent = text;
    cell.className = slaClass(card);
  }
}

function options(select, values, keep) {
  const current = select.value, have = [...select.options].slice(keep).map(o => o.value);
  if (have.join("\n") === values.map(v => v[0]).join("\n")) return;
  while (select.options.length > keep) select.remove(keep);
  for (const [value, label] of values) select.append(new Option(label, value));
  select.value = [...select.options].some(o => o.value === current) ? current : "";
}

function refreshFilters() {
  const cards = [...state.tickets.values()];
  const regions = [...new Set(cards.map(c => (c.region || "").split(" ")[0]).filter(Boolean))].sort();
  options($("filter-region"), regions.map(r => [r, r]), 1);
  const names = [...new Set(cards.map(c => c.ticket.claimed_by).filter(n => n && n !== state.me))].sort();
  options($("filter-holder"), names.map(n => [n, n]), 3);
}

export function replaceQueue(cards) {
  state.tickets.clear();
  cards.forEach(c => state.tickets.set(c.ticket.id, c));
  render();
}

export function applyCard(card) {
  const id = card.ticket.id, before = state.tickets.get(id);
  if (["resolved", "returned"].includes(card.ticket.state)) state.tickets.delete(id); else state.tickets.set(id, card);
  const waitingNow = card.ticket.state === "waiting";
  if (alerted === id && urgentAlert && !waitingNow) dismiss();  // someone took the crisis
  if (waitingNow && card.ticket.priority === 0 && (!before || before.ticket.priority !== 0 || before.ticket.state !== "waiting")) {
    raise(`위기 상담 요청 #${id}: ${card.kind_label} — ${card.preview || "질문 없음"}`, id, true);
  } else if (waitingNow && !before) {
    $("announce").textContent = `새 상담 요청: ${card.kind_label} — ${card.preview}`;
  } else if (card.ticket.state === "claimed" && card.ticket.claimed_by === state.me
             && (!before || (before.ticket.claimed_by && before.ticket.claimed_by !== state.me))) {
    // Handed over by a colleague (a claim of one's own comes from a waiting ticket, and raises nothing).
    raise(`상담 #${id}을(를) 넘겨받았어요: ${card.kind_label} — ${card.preview}`, id, false);
  }
  render();
}

export function removeTicket(id) {
  state.tickets.delete(id);
  if (alerted === id) dismiss();
  render();
}

export function alertOverdue(frame) {
  state.tickets.set(frame.ticket.id, frame);
  const minutes = Math.round(frame.minutes * 60) >= 60 ? `${Math.round(frame.minutes)}분` : `${Math.round(frame.minutes * 60)}초`;
  raise(`${minutes} 넘게 아무도 맡지 않은 위기 상담 #${frame.ticket.id}: ${frame.kind_label} — ${frame.preview}`, frame.ticket.id, true);
  render();
}

function raise(text, id, urgent) {
  // Seen (banner, tab title), heard (an optional tone) and, with the page in the background, a notification.
  alerted = id; urgentAlert = urgent;
  const banner = $("alert");
  banner.hidden = false; banner.classList.toggle("urgent", urgent);
  banner.dataset.ticket = id; banner.dataset.at = String(Date.now());
  $("alert-text").textContent = text;
  document.title = `${urgent ? "(위기) " : "(알림) "}${TITLE}`;
  if (urgent && /** @type {HTMLInputElement} */ ($("sound")).checked) beep();
  if ("Notification" in window && Notification.permission === "granted") {
    try { new Notification(urgent ? "위기 상담 요청" : "상담 알림", { body: text, tag: `ticket-${id}` }); } catch (_) { /* not here */ }
  }
}

function dismiss() {
  alerted = null;
  $("alert").hidden = true;
  document.title = TITLE;
}

function beep() {
  try {
    const audio = new AudioContext(), gain = audio.createGain();
    gain.connect(audio.destination); gain.gain.value = 0.15;
    [0, 0.35, 0.7].forEach(start => {
      const tone = audio.createOscillator();
      tone.frequency.value = 880; tone.connect(gain);
      tone.start(audio.currentTime + start); tone.stop(audio.currentTime + start + 0.2);
    });
  } catch (_) { /* no audio device */ }
}

export function openCase(id) { act({ type: "open", ticket_id: id }); }

export function setupQueue() {
  options($("filter-kind"), Object.entries(state.vocabulary.kinds), 1);
  ["filter-kind", "filter-region", "filter-holder"].forEach(id => $(id).addEventListener("change", render));
  $("alert-open").addEventListener("click", () => { if (alerted !== null) openCase(alerted); dismiss(); });
  $("alert-dismiss").addEventListener("click", dismiss);
}
