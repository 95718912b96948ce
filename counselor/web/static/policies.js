// @ts-check
// /policies: filters by stage of life, target group and region (chosen once, kept), search, pagination.
"use strict";
const STATE_KEYS = ["stage", "group", "q", "page"];
const state = Object.fromEntries(STATE_KEYS.map(k => [k, new URLSearchParams(location.search).get(k) || ""]));
const saved = JSON.parse(localStorage.getItem("region") || "{}");
const params0 = new URLSearchParams(location.search);
state.sido = params0.get("sido") ?? saved.sido ?? "";
state.district = params0.get("district") ?? saved.district ?? "";
let last = null;

function query() {
  const p = new URLSearchParams();
  for (const k of ["stage", "group", "sido", "district", "q", "page"]) if (state[k]) p.set(k, state[k]);
  return p;
}

function chip(facet, key) {
  const b = el("button"); b.type = "button";
  b.setAttribute("aria-pressed", String(state[key] === facet.value));
  b.append(lang === "en" ? facet.label_en : facet.label, el("span", `(${facet.count})`, "count"));
  b.addEventListener("click", () => { state[key] = state[key] === facet.value ? "" : facet.value; state.page = ""; load(); });
  return b;
}

function fillSelect(select, options, current, allKey) {
  select.replaceChildren(el("option", ct()[allKey]));
  select.firstChild.value = "";
  for (const o of options) {
    const opt = el("option", `${o.value} (${o.count})`); opt.value = o.value; opt.selected = o.value === current;
    select.append(opt);
  }
  if (current && !options.some(o => o.value === current)) {  // kept from before: still offer it
    const opt = el("option", current); opt.value = current; opt.selected = true; select.append(opt);
  }
}

function card(item) {
  const li = el("li");
  const h = el("h2"); const a = el("a", title(item)); a.href = `/policies/${encodeURIComponent(item.policy_id)}`;
  h.append(a); li.append(h);
  const meta = el("p"); meta.append(el("span", regionLabel(item), "badge"));
  if (item.verdict) meta.append(el("span", ct().verdicts[item.verdict], `badge ${item.verdict}`));
  li.append(meta);
  const gives = el("p");
  if (item.amount) gives.append(el("span", item.amount, "amount"), " · ");
  gives.append(lang === "en" && item.summary_en ? item.summary_en : item.gives);
  li.append(gives);
  if (item.who && !(lang === "en" && item.summary_en)) li.append(el("span", item.who, "who"));
  return li;
}

function render() {
  applyCatalogueLanguage();
  if (!last) return;
  const f = last.facets;
  document.getElementById("stages").replaceChildren(...f.stages.map(s => chip(s, "stage")));
  document.getElementById("groups").replaceChildren(...f.groups.filter(g => g.count || state.group === g.value).map(g => chip(g, "group")));
  fillSelect(document.getElementById("sido"), f.sidos, state.sido, "allSido");
  const district = /** @type {HTMLSelectElement} */ (document.getElementById("district"));
  fillSelect(district, f.districts, state.district, "allDistrict");
  district.disabled = !state.sido;
  /** @type {HTMLInputElement} */ (document.getElementById("q")).value = state.q;
  document.getElementById("summary").textContent = last.total ? ct().found(last.total, last.query) : ct().none;
  document.getElementById("results").replaceChildren(...last.items.map(card));
  document.getElementById("pageinfo").textContent = ct().page(last.page, last.pages);
  /** @type {HTMLButtonElement} */ (document.getElementById("prev")).disabled = last.page <= 1;
  /** @type {HTMLButtonElement} */ (document.getElementById("next")).disabled = last.page >= last.pages;
}

async function load() {
  const p = query();
  history.replaceState(null, "", `/policies${p.toString() ? "?" + p : ""}`);
  localStorage.setItem("region", JSON.stringify({ sido: state.sido, district: state.district }));
  document.getElementById("results").setAttribute("aria-busy", "true");
  try { last = await fetchJSON(`/api/policies?${p}`); }
  catch (e) { last = null; document.getElementById("summary").textContent = ct().error; }
  document.getElementById("results").removeAttribute("aria-busy");
  render();
}

document.getElementById("filters").addEventListener("submit", e => {
  e.preventDefault(); state.q = /** @type {HTMLInputElement} */ (document.getElementById("q")).value.trim(); state.page = ""; load();
});
document.getElementById("sido").addEventListener("change", e => { state.sido = /** @type {HTMLSelectElement} */ (e.target).value; state.district = ""; state.page = ""; load(); });
document.getElementById("district").addEventListener("change", e => { state.district = /** @type {HTMLSelectElement} */ (e.target).value; state.page = ""; load(); });
document.getElementById("prev").addEventListener("click", () => { state.page = String(Math.max(1, (last?.page || 2) - 1)); load(); });
document.getElementById("next").addEventListener("click", () => { state.page = String((last?.page || 0) + 1); load(); });
onLanguageSwitch(render);
applyCatalogueLanguage();
load();
