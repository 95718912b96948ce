// @ts-check
// /policies/{id}: the policy's own text, its source, the citizen's eligibility, and a way to ask the chat.
"use strict";
const policyId = decodeURIComponent(location.pathname.split("/").pop());
let policy = null;

function textBlock(text) {
  // Lines starting with "- " are the booklet's lists; the rest stays as written. Only text nodes are made.
  const box = el("div"); let list = null;
  for (const line of text.split("\n")) {
    if (/^\s*-\s+/.test(line)) {
      if (!list) { list = el("ul"); box.append(list); }
      list.append(el("li", line.replace(/^\s*-\s+/, "")));
    } else if (line.trim()) { list = null; box.append(el("p", line, "text")); }
  }
  return box;
}

function safeLink(url) {
  try { const u = new URL(url.startsWith("http") ? url : `https://${url}`); return ["http:", "https:"].includes(u.protocol) ? u.href : null; }
  catch { return null; }
}

function render() {
  applyCatalogueLanguage(policy ? title(policy) : undefined);
  if (!policy) return;
  document.getElementById("title").textContent = title(policy);
  document.getElementById("region").textContent = regionLabel(policy);
  const sections = document.getElementById("sections"); sections.replaceChildren();
  for (const s of policy.sections) {
    if (s.kind === "english" && lang !== "en") continue;
    const part = el("section"); part.dataset.kind = s.kind;
    part.append(el("h2", s.heading), textBlock(s.text)); sections.append(part);
  }
  const ask = /** @type {HTMLAnchorElement} */ (document.getElementById("ask"));
  const region = JSON.parse(localStorage.getItem("region") || "{}");
  const place = [region.sido, region.district].filter(Boolean).join(" ");
  const p = new URLSearchParams({ ask: lang === "en" ? policy.ask_en : policy.ask, policy: policy.policy_id });
  if (place) p.set("region", place);
  ask.href = `/?${p}`;
  const source = document.getElementById("source"); source.replaceChildren();
  source.append(`${ct().source}: ${policy.source || policy.source_path}`);
  if (policy.source_page) source.append(` · ${ct().page_(policy.source_page)}`);
  if (policy.edition) source.append(` · ${policy.edition} ${ct().edition}`);
  const link = policy.url && safeLink(policy.url);
  if (link) { const a = el("a", ct().link); a.href = link; a.rel = "noopener noreferrer"; source.append(" · ", a); }
  const box = document.getElementById("eligibility");
  box.hidden = !policy.eligibility;
  if (policy.eligibility) {
    const e = policy.eligibility;
    document.getElementById("verdict").replaceChildren(el("span", ct().verdicts[e.verdict], `badge ${e.verdict}`));
    document.getElementById("criteria").replaceChildren(...e.criteria.map(c => el("li", c.source, c.outcome)));
    if (e.missing.length) document.getElementById("verdict").append(" ", `${ct().missing} ${e.missing.join(", ")}`);
  }
}

async function load() {
  try { policy = await fetchJSON(`/api/policies/${encodeURIComponent(policyId)}`); }
  catch (e) {
    const error = document.getElementById("error"); error.textContent = ct().error; error.hidden = false;
    document.getElementById("policy").hidden = true; applyCatalogueLanguage(); return;
  }
  document.getElementById("policy").removeAttribute("aria-busy");
  render();
}

onLanguageSwitch(render);
applyCatalogueLanguage();
load();
