// @ts-check
// The open case: its brief (candidate policies with links, the facts the citizen stated with their words, the
// computed verdicts), the transcript, private notes, ready replies, transfer and resolution.
import { state, $, el, act, api } from "./console_state.js";
import { render } from "./console_queue.js";

const EVENTS = { counselor_joined: "상담사 참여", returned_to_bot: "상담봇에 돌려줌", requeued: "대기열로 돌려보냄", resolved: "종결" };
const ROLES = { citizen: "시민", bot: "상담봇", counselor: "상담사", system: "안내", event: "기록" };
const STATES = { waiting: "대기", claimed: "상담 중", resolved: "종결", returned: "상담봇에 돌려줌" };
const VERDICTS = { eligible: "해당", likely: "해당 가능성 높음", not_eligible: "해당 안 됨", unknown: "정보가 더 필요함" };
const OUTCOMES = { met: "충족", not_met: "미충족", unknown: "확인 필요" };
const WHY = { retrieved: "검색", cited: "상담봇 답변", verdict: "자격 판정", searched: "시민의 말로 검색" };
let replies = new Map(), links = [];

function policyLink(id, title) {
  const a = el("a", title); a.href = `/policies/${encodeURIComponent(id)}`; a.target = "_blank"; a.rel = "noopener";
  return a;
}

function list(id, items, empty) {
  const ul = $(id); ul.replaceChildren();
  if (!items.length) ul.append(el("li", empty, "hint"));
  items.forEach(item => ul.append(item));
}

function renderBrief(card, brief) {
  const t = card.ticket, dl = $("brief"); dl.replaceChildren();
  const rows = [["종류", `${card.kind_label}${t.priority === 0 ? " (위기)" : ""}`], ["질문", t.brief.question || ""],
                ["지역·언어", `${card.region || "지역 모름"} · ${card.language === "en" ? "영어" : "한국어"}`],
                ["상담봇 답변", t.brief.answer || ""], ["상태", `${STATES[t.state] || t.state}${t.claimed_by ? ` (${t.claimed_by})` : ""}`]];
  for (const [k, v] of rows) dl.append(el("dt", k), el("dd", v));
  const b = brief || { candidates: [], facts: [], eligibility: [] };
  list("candidates", b.candidates.map(c => {
    const li = el("li"); li.append(policyLink(c.policy_id, c.title), el("span", ` (${WHY[c.why] || c.why})`, "hint"));
    return li;
  }), "아직 없음");
  list("facts", b.facts.map(f => {
    const li = el("li", `${f.person ? `${f.person} · ` : ""}${f.label}: ${f.value}`);
    if (f.words) li.append(el("q", f.words, "words"));
    return li;
  }), "아직 말한 사실이 없어요");
  list("verdicts", b.eligibility.map(v => {
    const li = el("li"); li.append(policyLink(v.policy_id, v.title), el("strong", ` ${VERDICTS[v.verdict] || v.verdict}`));
    if (v.discovered) li.append(el("span", " (시민 정보로 찾음)", "hint"));
    const criteria = el("ul");
    v.criteria.forEach(c => criteria.append(el("li", `${state.vocabulary.facts[c.fact] || c.fact}: ${OUTCOMES[c.outcome] || c.outcome} — ${c.source}`)));
    li.append(criteria);
    return li;
  }), "판정할 제도가 없어요");
}

export function renderCase(frame) {
  const card = frame.card, t = card.ticket, changed = state.current !== t.id;
  state.current = t.id;
  if (["waiting", "claimed"].includes(t.state)) state.tickets.set(t.id, card);  // a closed case leaves the queue
  $("case").hidden = false;
  $("case-title").textContent = `상담 건 #${t.id}`;
  renderBrief(card, frame.brief);
  $("transcript").replaceChildren();
  frame.transcript.forEach(addMessage);
  $("notes").replaceChildren();
  (frame.notes || []).forEach(addNote);
  const mine = t.state === "claimed" && t.claimed_by === state.me;
  const holds = mine || (t.state === "claimed" && state.role === "supervisor");
  /** @type {HTMLButtonElement} */ ($("claim")).disabled = t.state !== "waiting";
  /** @type {HTMLButtonElement} */ ($("return")).disabled = !holds;
  /** @type {NodeListOf<HTMLButtonElement | HTMLSelectElement>} */ (document.querySelectorAll("#reply button, #reply select")).forEach(b => { b.disabled = !mine; });
  /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll("#transfer button, #resolve button")).forEach(b => { b.disabled = !holds; });
  if (changed) { links = []; showLinks(); /** @type {HTMLTextAreaElement} */ ($("reply-text")).value = ""; }
  if (mine) loadReplies(t.id);
  loadColleagues();
  render();
}

export function closeCase() {
  state.current = null;
  $("case").hidden = true;
  render();
}

export function addMessage(m) {
  const list = $("transcript");
  if (list.querySelector(`[data-id="${m.id}"]`)) return;  // our own reply arrives as "sent" and as a case message
  const li = el("li"); li.dataset.id = m.id;
  li.className = `msg ${m.role === "system" ? "bot" : m.role}`;
  const text = m.role === "event" ? `${EVENTS[m.payload.event] || m.payload.event} (${m.payload.counselor || ""})` : m.text;
  li.append(el("span", ROLES[m.role] || m.role, "who"), document.createTextNode(text));
  for (const link of m.payload.links || []) { li.append(" "); li.append(policyLink(link.policy_id, link.title)); }
  list.append(li);
}

export function addNote(n) {
  const list = $("notes");
  if (list.querySelector(`[data-note="${n.id}"]`)) return;
  const li = el("li", null, `note ${n.kind}`); li.dataset.note = n.id;
  const when = new Date(n.created_at).toLocaleTimeString("ko-KR", { hour: "2-digit", minute: "2-digit" });
  li.append(el("span", `${n.author} · ${when}${n.kind === "transfer" ? " · 넘기며 남김" : ""}`, "who"), document.createTextNode(n.text));
  list.append(li);
}

async function loadReplies(id) {
  const found = await api(`/api/tickets/${id}/replies`);
  if (!found || state.current !== id) return;
  replies = new Map(found.map(r => [r.id, r]));
  const select = /** @type {HTMLSelectElement} */ ($("template"));
  while (select.options.length > 1) select.remove(1);
  found.forEach(r => select.append(new Option(r.title, r.id)));
}

async function loadColleagues() {
  const found = await api("/api/counselors");
  if (!found) return;
  const select = /** @type {HTMLSelectElement} */ ($("transfer-to")), current = select.value;
  while (select.options.length > 1) select.remove(1);
  found.filter(c => c.name !== state.me).forEach(c => select.append(new Option(`${c.name} (맡은 상담 ${c.holding}건)`, c.name)));
  select.value = [...select.options].some(o => o.value === current) ? current : "";
}

function showLinks() {
  const ul = $("links"); ul.replaceChildren();
  links.forEach((link, i) => {
    const li = el("li", `🔗 ${link.title} `);
    const remove = el("button", "빼기", "link"); remove.type = "button";
    remove.setAttribute("aria-label", `${link.title} 링크 빼기`);
    remove.addEventListener("click", () => { links.splice(i, 1); showLinks(); });
    li.append(remove); ul.append(li);
  });
}

export function setupCase() {
  options($("outcome"), Object.entries(state.vocabulary.outcomes));
  $("claim").addEventListener("click", () => act({ type: "claim", ticket_id: state.current }));
  $("return").addEventListener("click", () => act({ type: "return", ticket_id: state.current }));
  $("template").addEventListener("change", e => {
    const reply = replies.get(/** @type {HTMLSelectElement} */ (e.target).value);
    if (!reply) return;
    /** @type {HTMLTextAreaElement} */ ($("reply-text")).value = reply.text; links = [...reply.links]; showLinks();
    $("reply-text").focus();
  });
  $("reply").addEventListener("submit", e => {
    e.preventDefault();
    const template = /** @type {HTMLSelectElement} */ ($("template")).value || null;
    act({ type: "send", ticket_id: state.current, text: /** @type {HTMLTextAreaElement} */ ($("reply-text")).value, template, policies: links.map(l => l.policy_id) });
    /** @type {HTMLTextAreaElement} */ ($("reply-text")).value = ""; /** @type {HTMLSelectElement} */ ($("template")).value = ""; links = []; showLinks();
  });
  $("note-form").addEventListener("submit", e => {
    e.preventDefault();
    act({ type: "note", ticket_id: state.current, text: /** @type {HTMLTextAreaElement} */ ($("note-text")).value }); /** @type {HTMLTextAreaElement} */ ($("note-text")).value = "";
  });
  $("transfer").addEventListener("submit", e => {
    e.preventDefault();
    act({ type: "transfer", ticket_id: state.current, to: /** @type {HTMLSelectElement} */ ($("transfer-to")).value || null, note: /** @type {HTMLInputElement} */ ($("transfer-note")).value });
    /** @type {HTMLInputElement} */ ($("transfer-note")).value = "";
  });
  $("resolve").addEventListener("submit", e => {
    e.preventDefault();
    act({ type: "resolve", ticket_id: state.current, note: /** @type {HTMLInputElement} */ ($("note")).value, outcome: /** @type {HTMLSelectElement} */ ($("outcome")).value || null,
          tags: /** @type {HTMLInputElement} */ ($("tags")).value.split(",").map(s => s.trim()).filter(Boolean) });
  });
}

function options(select, entries) {
  select.replaceChildren(new Option("고르기", ""));
  entries.forEach(([value, label]) => select.append(new Option(label, value)));
}
