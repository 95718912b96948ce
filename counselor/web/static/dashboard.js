// @ts-check
// The supervisors' dashboard: figures from /api/dashboard, plots drawn here as inline SVG (no library, no CDN),
// and the CSV export. The session is the console's (this tab's sessionStorage).
const token = sessionStorage.getItem("token"), $ = id => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
// Colour-blind-safe palette (Okabe-Ito), dark enough on white for the bars' outlines.
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7A5C00", "#000000", "#8C1C13", "#4B4B9E", "#5F6B00"];

function node(tag, attrs = {}, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

function plot(id, width, height, label, summary) {
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-t ${id}-d`, class: "chart" });
  svg.append(node("title", { id: `${id}-t` }, label), node("desc", { id: `${id}-d` }, summary));
  $(id).replaceChildren(svg);
  return svg;
}

function seconds(s) {
  if (s === null || s === undefined) return "없음";
  return s >= 60 ? `${Math.floor(s / 60)}분 ${Math.round(s % 60)}초` : `${Math.round(s)}초`;
}

function tiles(d) {
  const dl = $("tiles"); dl.replaceChildren();
  const items = [["대기 중", `${d.waiting}건`], ["그중 위기", `${d.crisis_waiting}건`], ["상담 중", `${d.claimed}건`],
                 ["오늘 접수", `${d.arrived_today}건`], ["오늘 종결", `${d.resolved_today}건`],
                 ["첫 응답까지 (오늘 중앙값)", seconds(d.median_first_reply_s)], ["첫 응답까지 (7일 중앙값)", seconds(d.median_first_reply_s_7d)],
                 [`SLA(${d.sla_minutes}분) 초과 (오늘)`, `${d.sla_breaches_today}건`]];
  for (const [k, v] of items) { const div = document.createElement("div"); div.className = "tile"; const dt = document.createElement("dt"); dt.textContent = k; const dd = document.createElement("dd"); dd.textContent = v; div.append(dt, dd); dl.append(div); }
}

function reasons(d) {
  const kinds = [...new Set(d.reasons.flatMap(r => Object.keys(r.counts)))].sort();
  const W = 640, H = 240, left = 36, bottom = 28, top = 10;
  const totals = d.reasons.map(r => Object.values(r.counts).reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const summary = d.reasons.map((r, i) => `${r.day}: ${totals[i]}건` + (totals[i] ? ` (${Object.entries(r.counts).map(([k, v]) => `${d.kind_labels[k] || k} ${v}`).join(", ")})` : "")).join("; ");
  const svg = plot("reasons-plot", W, H, "지난 7일 날짜별 상담 요청 사유 (쌓은 막대)", summary);
  const band = (W - left) / d.reasons.length, scale = (H - top - bottom) / max;
  for (let y = 0; y <= max; y += Math.max(1, Math.ceil(max / 4))) {
    const py = H - bottom - y * scale;
    svg.append(node("line", { x1: left, x2: W, y1: py, y2: py, stroke: "#c9d2dc" }), node("text", { x: left - 6, y: py + 4, "text-anchor": "end", "font-size": 11, fill: "#1b1f24" }, y));
  }
  d.reasons.forEach((r, i) => {
    let y = H - bottom;
    const x = left + i * band + band * 0.15;
    kinds.forEach((k, ki) => {
      const v = r.counts[k] || 0; if (!v) return;
      const h = v * scale; y -= h;
      const bar = node("rect", { x, y, width: band * 0.7, height: h, fill: PALETTE[ki % PALETTE.length], stroke: "#fff" });
      bar.append(node("title", {}, `${r.day} ${d.kind_labels[k] || k}: ${v}건`));
      svg.append(bar);
    });
    svg.append(node("text", { x: x + band * 0.35, y: H - 8, "text-anchor": "middle", "font-size": 11, fill: "#1b1f24" }, r.day.slice(5)));
  });
  const legend = $("reasons-legend"); legend.replaceChildren();
  kinds.forEach((k, ki) => {
    const li = document.createElement("li");
    const swatch = node("svg", { width: 12, height: 12, "aria-hidden": "true" }); swatch.append(node("rect", { width: 12, height: 12, fill: PALETTE[ki % PALETTE.length] }));
    li.append(swatch, ` ${d.kind_labels[k] || k}`);
    legend.append(li);
  });
}

function hours(d) {
  const W = 480, H = 180, left = 28, bottom = 22, max = Math.max(1, ...d.arrivals_by_hour);
  const busy = d.arrivals_by_hour.map((n, h) => [h, n]).filter(([, n]) => n).map(([h, n]) => `${h}시 ${n}건`).join(", ") || "접수 없음";
  const svg = plot("hours-plot", W, H, "오늘 시간대별 접수 건수", busy);
  const band = (W - left) / 24, scale = (H - bottom - 10) / max;
  d.arrivals_by_hour.forEach((n, h) => {
    if (n) svg.append(node("rect", { x: left + h * band + 1, y: H - bottom - n * scale, width: band - 2, height: n * scale, fill: "#0b5cab" }));
    if (h % 3 === 0) svg.append(node("text", { x: left + h * band + band / 2, y: H - 6, "text-anchor": "middle", "font-size": 10, fill: "#1b1f24" }, h));
  });
  svg.append(node("text", { x: left - 4, y: 14, "text-anchor": "end", "font-size": 10, fill: "#1b1f24" }, max));
}

function load(d) {
  const W = 480, rowH = 26, H = Math.max(1, d.load.length) * rowH + 10, left = 90;
  const max = Math.max(1, ...d.load.map(l => l.holding + l.resolved_today));
  const svg = plot("load-plot", W, H, "상담사별 지금 맡은 상담과 오늘 종결", d.load.map(l => `${l.name}: 맡은 ${l.holding}, 종결 ${l.resolved_today}`).join("; ") || "상담사 없음");
  const scale = (W - left - 40) / max;
  d.load.forEach((l, i) => {
    const y = 5 + i * rowH;
    svg.append(node("text", { x: left - 6, y: y + 16, "text-anchor": "end", "font-size": 12, fill: "#1b1f24" }, l.name));
    svg.append(node("rect", { x: left, y: y + 4, width: l.holding * scale, height: 16, fill: "#0b5cab" }));
    svg.append(node("rect", { x: left + l.holding * scale, y: y + 4, width: l.resolved_today * scale, height: 16, fill: "#009E73" }));
    svg.append(node("text", { x: left + (l.holding + l.resolved_today) * scale + 4, y: y + 16, "font-size": 11, fill: "#1b1f24" }, `${l.holding} / ${l.resolved_today}`));
  });
  const body = /** @type {HTMLTableElement} */ ($("load-table")).tBodies[0]; body.replaceChildren();
  d.load.forEach(l => { const tr = body.insertRow(); [l.name, l.holding, l.resolved_today, l.replied_today].forEach(v => { tr.insertCell().textContent = String(v); }); });
}

async function refresh() {
  const response = await fetch("/api/dashboard", { headers: { Authorization: `Bearer ${token}` } });
  if (response.status === 401) { $("problem").textContent = "콘솔에서 먼저 로그인해 주세요."; return false; }
  if (response.status === 403) { $("problem").textContent = "대시보드는 관리자만 볼 수 있어요."; return false; }
  if (!response.ok) { $("problem").textContent = "지금은 불러올 수 없어요. 잠시 뒤에 다시 시도해 주세요."; return true; }
  const d = await response.json();
  $("problem").textContent = "";
  tiles(d); reasons(d); hours(d); load(d);
  if (!/** @type {HTMLInputElement} */ ($("date-from")).value) { /** @type {HTMLInputElement} */ ($("date-from")).value = d.today; /** @type {HTMLInputElement} */ ($("date-to")).value = d.today; }
  $("updated").textContent = `${new Date(d.generated_at).toLocaleTimeString("ko-KR")} 기준 (30초마다 새로 고침)`;
  return true;
}

$("export").addEventListener("submit", async e => {
  e.preventDefault();
  const from = /** @type {HTMLInputElement} */ ($("date-from")).value, to = /** @type {HTMLInputElement} */ ($("date-to")).value;
  const response = await fetch(`/api/reports/tickets.csv?date_from=${from}&date_to=${to}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) { $("export-state").textContent = "기간을 확인해 주세요 (최대 366일, 시작일이 먼저)."; return; }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement("a"); a.href = url; a.download = `tickets-${from}-${to}.csv`;
  document.body.append(a); a.click(); a.remove(); URL.revokeObjectURL(url);
  $("export-state").textContent = "내려받았어요.";
});

$("me").textContent = sessionStorage.getItem("me") || "";
if (!token) $("problem").textContent = "콘솔에서 먼저 로그인해 주세요.";
else refresh().then(again => { if (again) setInterval(refresh, 30000); });
