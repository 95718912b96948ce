// @ts-check
// The citizen's chat, its ratings: loaded before chat.js, whose socket (ws), words (t) and log these use.
"use strict";
// Feedback: each answer the bot gave can be rated helpful or not (and why); a chat a caseworker ended gets one
// satisfaction question. Ratings are stored with what they rate; a reloaded page is told them again.
const RATEABLE = ["answered", "needs_more_info", "out_of_scope"];

function rateButton(label, pressed, onClick) {
  const b = document.createElement("button"); b.type = "button"; b.textContent = label;
  b.setAttribute("aria-pressed", String(pressed)); b.addEventListener("click", onClick);
  return b;
}

function sendRating(frame) { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame)); }

function answerRating(li, messageId, saved) {
  let box = li.querySelector(".rate");
  if (!box) { box = document.createElement("div"); box.className = "rate"; box.setAttribute("role", "group"); li.append(box); }
  box.setAttribute("aria-label", t().helpedQ);
  box.replaceChildren(document.createTextNode(t().helpedQ + " "));
  const helpful = saved ? saved.helpful : null;
  box.append(rateButton(t().helped, helpful === true, () => sendRating({ type: "feedback", message_id: messageId, helpful: true })),
             rateButton(t().notHelped, helpful === false, () => sendRating({ type: "feedback", message_id: messageId, helpful: false })));
  if (helpful === false) {
    const why = document.createElement("div"); why.className = "rate"; why.setAttribute("role", "group"); why.setAttribute("aria-label", t().whyQ);
    why.append(document.createTextNode(t().whyQ + " "));
    for (const [code, label] of Object.entries(t().reasons)) {
      why.append(rateButton(label, saved.reason === code,
        () => sendRating({ type: "feedback", message_id: messageId, helpful: false, reason: code })));
    }
    box.append(why);
  }
  if (saved) { const thanks = document.createElement("span"); thanks.className = "thanks"; thanks.textContent = t().thanks; box.append(thanks); }
}

function satisfactionQuestion(messageId, saved) {
  let li = /** @type {HTMLElement | null} */ (document.querySelector(`li.satisfaction[data-for="${messageId}"]`));
  if (!li) {
    li = document.createElement("li"); li.className = "msg ask satisfaction"; li.dataset.for = messageId;
    const after = document.querySelector(`[data-id="${messageId}"]`);
    if (after) after.after(li); else log.append(li);
  }
  const box = document.createElement("div"); box.className = "rate"; box.setAttribute("role", "group"); box.setAttribute("aria-label", t().satisfactionQ);
  box.append(document.createTextNode(t().satisfactionQ + " "));
  t().ratings.forEach((label, i) => {
    const b = rateButton(`${i + 1}`, saved && saved.rating === i + 1, () => sendRating({ type: "satisfaction", message_id: messageId, rating: i + 1 }));
    b.setAttribute("aria-label", `${i + 1}: ${label}`); b.title = label; box.append(b);
  });
  if (saved) { const thanks = document.createElement("span"); thanks.className = "thanks"; thanks.textContent = t().thanks; box.append(thanks); }
  li.replaceChildren(box);
}

function showSaved(frame) {
  if (frame.rating) { satisfactionQuestion(frame.message_id, frame); return; }
  const li = document.querySelector(`li.msg.bot[data-id="${frame.message_id}"]`);
  if (li) answerRating(li, frame.message_id, frame);
}
