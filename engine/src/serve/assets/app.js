// The web app of `qtrader serve` (docs/serve.md): the sessions list (#/),
// the new-backtest form (#/new) and a live session page (#/session/ID), all
// fed by the HTTP API and the /ws messages. No framework, no network beyond
// the server itself.
"use strict";

const token = new URLSearchParams(location.search).get("token");
const headers = token ? { Authorization: "Bearer " + token } : {};
const view = document.getElementById("view");
const listeners = new Set();  // the current page's handler of /ws messages

function api(path, options = {}) {
  return fetch(path, Object.assign({}, options, { headers: Object.assign({}, headers, options.headers || {}) }))
    .then(r => r.json().then(body => (r.ok ? body : Promise.reject(body))));
}
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
function money(x) { return x === null || x === undefined ? "" : Number(x).toFixed(2); }
function statusCell(status) { return el("span", { class: "status-" + status, "data-status": status }, status); }

// ---- the WebSocket ----------------------------------------------------------------
function connect() {
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws" +
                           (token ? "?token=" + encodeURIComponent(token) : ""));
  const badge = document.getElementById("connection");
  ws.onopen = () => { badge.textContent = "live"; };
  ws.onclose = () => { badge.textContent = "disconnected, retrying…"; setTimeout(connect, 1000); };
  ws.onmessage = (e) => {
    const message = JSON.parse(e.data);
    for (const f of listeners) f(message);
  };
}

const statusOf = { "backtest.progress": "running", "backtest.completed": "completed",
                   "backtest.failed": "failed", "backtest.stopped": "stopped" };

// ---- #/ : the sessions ------------------------------------------------------------
function sessionsPage() {
  const body = el("tbody");
  const compare = el("button", { id: "compare", disabled: "" }, "Compare the two ticked");
  view.replaceChildren(el("h1", {}, "Sessions"),
    el("table", { id: "sessions" },
       el("thead", {}, el("tr", {}, ...["", "session", "status", "progress", "P&L", "trades", "win rate", "started"]
                                      .map(h => el("th", {}, h)))),
       body),
    el("p", {}, compare));
  const ticked = () => [...body.querySelectorAll("input:checked")].map(c => c.value);
  body.addEventListener("change", () => { compare.disabled = ticked().length !== 2; });
  compare.addEventListener("click", () => { const [a, b] = ticked(); location.hash = "#/compare/" + a + "/" + b; });
  const rows = new Map();
  function show(s) {
    let tr = rows.get(s.session_id);
    if (!tr) {
      tr = el("tr", { "data-session": s.session_id },
              el("td", {}, el("input", { type: "checkbox", value: s.session_id })),
              el("td", {}, el("a", { href: "#/session/" + s.session_id }, s.session_id)), el("td"),
              el("td", {}, el("progress", { max: "100", value: "0" })), el("td", { class: "num" }),
              el("td", { class: "num" }), el("td", { class: "num" }), el("td"));
      body.prepend(tr);
      rows.set(s.session_id, tr);
    }
    if (s.status) tr.cells[2].replaceChildren(statusCell(s.status));
    if (s.progress_pct !== undefined) tr.cells[3].firstChild.value = s.progress_pct;
    const pnl = s.final_pnl ?? s.current_pnl;
    if (pnl !== undefined) tr.cells[4].textContent = money(pnl);
    if (s.total_trades !== undefined && s.total_trades !== null) tr.cells[5].textContent = s.total_trades;
    if (s.win_rate !== undefined && s.win_rate !== null) tr.cells[6].textContent = (100 * s.win_rate).toFixed(1) + "%";
    if (s.started_at) tr.cells[7].textContent = s.started_at;
  }
  api("/api/backtest/sessions").then(list => list.forEach(show));
  listeners.add((m) => show(Object.assign({ status: statusOf[m.type] }, m.data,
                                          m.type === "backtest.completed" ? { progress_pct: 100 } : {})));
}

// ---- #/new : the form built from /api/strategies ------------------------------------
function newPage() {
  const form = el("form", { id: "new-backtest" });
  const error = el("div", { class: "error", id: "start-error" });
  view.replaceChildren(el("h1", {}, "New backtest"), form, error);
  Promise.all([api("/api/strategies"), api("/api/data/sources")]).then(([scripts, sources]) => {
    const strategies = scripts.filter(s => s.kind === "strategy" && !s.load_error);
    const policies = scripts.filter(s => s.kind === "risk_policy" && !s.load_error);
    const options = (list) => list.map(s => el("option", { value: s.name }, s.name));
    const strategy = el("select", { name: "strategy", id: "strategy" }, ...options(strategies));
    const policy = el("select", { name: "risk_policy", id: "risk_policy" }, ...options(policies));
    const source = el("select", { name: "source", id: "source" },
                      ...sources.map(s => el("option", { value: s.name }, s.name)));
    const symbols = el("input", { name: "symbols", id: "symbols", value: "" });
    const params = el("div", { id: "params" });
    const field = (label, input) => el("div", { class: "row" }, el("label", {}, label), input);
    function showParams() {
      const s = strategies.find(x => x.name === strategy.value);
      params.replaceChildren(...(s ? s.params : []).map(p => {
        const attrs = { name: "param." + p.name, "data-type": p.type };
        if (p.type === "number" || p.type === "integer") {
          attrs.type = "number";
          attrs.step = p.type === "integer" ? "1" : "any";
          if (p.min !== null) attrs.min = p.min;
          if (p.max !== null) attrs.max = p.max;
        }
        attrs.value = typeof p.default === "object" ? JSON.stringify(p.default) : String(p.default);
        return field(p.name + " (" + p.type + ")", el("input", attrs));
      }));
    }
    function showSymbols() {
      const s = sources.find(x => x.name === source.value);
      symbols.value = s && s.symbols.length ? s.symbols[0] : "";
    }
    strategy.addEventListener("change", showParams);
    source.addEventListener("change", showSymbols);
    form.append(
      el("fieldset", {}, el("legend", {}, "Scripts"), field("strategy", strategy), field("risk policy", policy), params),
      el("fieldset", {}, el("legend", {}, "Data"), field("source", source), field("symbols (comma-separated)", symbols),
         field("start date", el("input", { type: "date", name: "start_date", id: "start_date", value: "2010-01-01" })),
         field("end date", el("input", { type: "date", name: "end_date", id: "end_date", value: "2012-12-31" })),
         field("initial equity", el("input", { type: "number", name: "initial_equity", value: "100000" })),
         field("acceleration", el("input", { type: "number", name: "acceleration_factor", id: "acceleration_factor",
                                             value: "0", min: "0", step: "any" }))),
      el("button", { type: "submit", id: "start" }, "Start"));
    showParams();
    showSymbols();
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const universe = String(data.get("symbols")).split(",").map(s => s.trim()).filter(Boolean);
      const overrides = {};
      for (const input of params.querySelectorAll("input")) {
        const type = input.dataset.type;
        overrides[input.name.slice(6)] = type === "number" || type === "integer" ? Number(input.value) : input.value;
      }
      const backtest = {
        start_date: data.get("start_date"), end_date: data.get("end_date"),
        initial_equity: Number(data.get("initial_equity")),
        data: { sources: [{ name: data.get("source"), universe }] },
        strategies: [{ strategy_id: data.get("strategy"), universe }],
        risk_policy: { name: data.get("risk_policy") },
      };
      api("/api/backtest/start", { method: "POST", headers: { "Content-Type": "application/json" },
                                   body: JSON.stringify({ backtest, params: overrides,
                                                          acceleration_factor: Number(data.get("acceleration_factor")) }) })
        .then(r => { location.hash = "#/session/" + r.session_id; })
        .catch(err => { error.textContent = err.error + (err.field ? " (" + err.field + ")" : ""); });
    });
  });
}

// ---- #/session/ID : one session, live ---------------------------------------------
function sessionPage(id) {
  const progress = el("progress", { id: "progress", max: "100", value: "0" });
  const status = el("span", { id: "status" });
  const figures = el("div", { class: "figures" }, el("span", {}, "P&L ", el("b", { id: "pnl" })),
                     el("span", {}, "equity ", el("b", { id: "equity-value" })),
                     el("span", {}, "open positions ", el("b", { id: "positions" })),
                     el("span", {}, "at ", el("b", { id: "timestamp" })),
                     el("span", {}, "trades ", el("b", { id: "trades" })));
  const stop = el("button", { id: "stop" }, "Stop");
  const error = el("div", { class: "error", id: "error" });
  const report = el("a", { id: "report", href: "/api/backtest/sessions/" + id + "/report" + (token ? "?token=" + token : ""),
                           target: "_blank", hidden: "" }, "Open the report");
  const chartBox = el("div", { id: "equity" });
  view.replaceChildren(el("h1", {}, "Session " + id), el("p", {}, status, " ", progress, " ", stop, " ", report),
                       figures, chartBox, error);
  const chart = LightweightCharts.createChart(chartBox, { autoSize: true, timeScale: { timeVisible: true } });
  const series = chart.addSeries(LightweightCharts.AreaSeries, { lineColor: "#2563eb", topColor: "rgba(37,99,235,0.3)",
                                                                 bottomColor: "rgba(37,99,235,0.02)" });
  let points = 0, lastTime = -Infinity;
  const seen = new Set();
  // Dates or "YYYY-MM-DD HH:MM:SS" (UTC) as chart seconds.
  function chartTime(timestamp) {
    return Math.floor(Date.parse(timestamp.length === 10 ? timestamp + "T00:00:00Z" : timestamp.replace(" ", "T") + "Z") / 1000);
  }
  function addPoint(timestamp, equity) {
    const t = chartTime(timestamp);
    // One point per timestamp, in time order.
    if (!Number.isFinite(t) || seen.has(t) || t < lastTime) return;
    lastTime = t;
    seen.add(t);
    series.update({ time: t, value: equity });
    chartBox.dataset.points = String(++points);
  }
  function show(s) {
    if (s.status) status.replaceChildren(statusCell(s.status));
    if (s.progress_pct !== undefined) progress.value = s.progress_pct;
    if (s.current_pnl !== undefined) document.getElementById("pnl").textContent = money(s.current_pnl);
    if (s.equity !== undefined) document.getElementById("equity-value").textContent = money(s.equity);
    if (s.open_positions !== undefined) document.getElementById("positions").textContent = s.open_positions;
    if (s.current_timestamp) document.getElementById("timestamp").textContent = s.current_timestamp;
    if (s.total_trades !== undefined && s.total_trades !== null) document.getElementById("trades").textContent = s.total_trades;
    const ended = ["completed", "failed", "stopped"].includes(s.status);
    if (ended) stop.disabled = true;
    if (s.status === "completed" || s.status === "stopped") report.hidden = false;
    if (s.error_message || s.error) error.textContent = s.error_message || s.error;
  }
  function loadCurve() {
    api("/api/backtest/sessions/" + id + "/equity").then(csv => {
      const ts = csv.columns.indexOf("timestamp") >= 0 ? csv.columns.indexOf("timestamp") : 0;
      const eq = csv.columns.indexOf("equity");
      if (eq < 0) return;
      // The whole curve replaces the points progress gave (the chart only appends newer ones).
      seen.clear();
      points = 0;
      const data = [];
      for (const row of csv.rows) {
        const t = chartTime(String(row[ts]));
        if (!Number.isFinite(t) || seen.has(t)) continue;
        seen.add(t);
        data.push({ time: t, value: row[eq] });
      }
      series.setData(data);
      chartBox.dataset.points = String(points = data.length);
      chart.timeScale().fitContent();
    }).catch(() => {});
  }
  api("/api/backtest/sessions/" + id).then(s => {
    show(s);
    if (["completed", "stopped"].includes(s.status)) loadCurve();
  }).catch(err => { error.textContent = err.error; });
  stop.addEventListener("click", () => api("/api/backtest/sessions/" + id + "/stop", { method: "POST" })
    .catch(err => { error.textContent = err.error; }));
  listeners.add((m) => {
    if (m.data.session_id !== id) return;
    const s = Object.assign({ status: statusOf[m.type] }, m.data);
    if (m.type === "backtest.progress") {
      addPoint(m.data.current_timestamp, m.data.equity);
      chart.timeScale().fitContent();
    }
    if (m.type === "backtest.completed") {
      s.progress_pct = 100;
      s.current_pnl = m.data.final_pnl;
      loadCurve();
    }
    show(s);
  });
}

// ---- #/compare/A/B : two sessions side by side ------------------------------------
const compared = [
  ["final equity", p => money(p.final_equity)], ["total return", p => pct(p.total_return)],
  ["CAGR", p => pct(p.cagr)], ["Sharpe", p => num(p.sharpe)], ["Sortino", p => num(p.sortino)],
  ["max drawdown", p => pct(p.max_drawdown && p.max_drawdown.depth)], ["trades", p => p.trades],
  ["win rate", p => pct(p.win_rate)], ["profit factor", p => num(p.profit_factor)],
  ["commission", p => money(p.commission)], ["exposure", p => pct(p.exposure)],
];
function pct(x) { return x === null || x === undefined ? "" : (100 * x).toFixed(2) + "%"; }
function num(x) { return x === null || x === undefined ? "" : Number(x).toFixed(3); }
function comparePage(a, b) {
  const table = el("table", { id: "comparison" });
  const chartBox = el("div", { id: "equity" });
  const error = el("div", { class: "error", id: "error" });
  view.replaceChildren(el("h1", {}, "Compare " + a + " and " + b), table, chartBox, error);
  const chart = LightweightCharts.createChart(chartBox, { autoSize: true });
  const colors = ["#2563eb", "#d97706"];
  Promise.all([a, b].map(id => Promise.all([api("/api/backtest/sessions/" + id + "/metrics"),
                                            api("/api/backtest/sessions/" + id + "/equity")])))
    .then(results => {
      table.append(el("thead", {}, el("tr", {}, el("th", {}, "metric"),
                                      ...[a, b].map((id, i) => el("th", { style: "color:" + colors[i] }, id)))));
      const body = el("tbody");
      for (const [label, value] of compared)
        body.append(el("tr", {}, el("td", {}, label),
                       ...results.map(([m]) => el("td", { class: "num" }, value(m.portfolio)))));
      table.append(body);
      results.forEach(([, csv], i) => {
        const ts = Math.max(0, csv.columns.indexOf("timestamp")), eq = csv.columns.indexOf("equity");
        const series = chart.addSeries(LightweightCharts.LineSeries, { color: colors[i], lineWidth: 2 });
        const seen = new Set(), data = [];
        for (const row of csv.rows) {
          const t = String(row[ts]), s = Math.floor(Date.parse(t.length === 10 ? t + "T00:00:00Z" : t.replace(" ", "T") + "Z") / 1000);
          if (Number.isFinite(s) && !seen.has(s)) { seen.add(s); data.push({ time: s, value: row[eq] }); }
        }
        series.setData(data);
      });
      chart.timeScale().fitContent();
    })
    .catch(err => { error.textContent = (err && err.error) || String(err); });
}

// ---- routing ----------------------------------------------------------------------
function route() {
  listeners.clear();
  const hash = location.hash || "#/";
  const session = hash.match(/^#\/session\/(s\d{6})$/);
  const pair = hash.match(/^#\/compare\/(s\d{6})\/(s\d{6})$/);
  if (session) sessionPage(session[1]);
  else if (pair) comparePage(pair[1], pair[2]);
  else if (hash === "#/new") newPage();
  else sessionsPage();
}
window.addEventListener("hashchange", route);
connect();
route();
