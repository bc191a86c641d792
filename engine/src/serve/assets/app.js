// The sessions list: loaded once, then kept current by the WebSocket.
"use strict";
const rows = new Map();
function row(id) {
  if (!rows.has(id)) {
    const tr = document.createElement("tr");
    tr.innerHTML = "<td></td><td></td><td><progress max='100' value='0'></progress></td><td></td><td></td>";
    tr.cells[0].textContent = id;
    document.querySelector("#sessions tbody").appendChild(tr);
    rows.set(id, tr);
  }
  return rows.get(id);
}
function show(s) {
  const tr = row(s.session_id);
  if (s.status) tr.cells[1].textContent = s.status;
  if (s.progress_pct !== undefined) tr.cells[2].firstChild.value = s.progress_pct;
  const pnl = s.final_pnl ?? s.current_pnl;
  if (pnl !== undefined && pnl !== null) tr.cells[3].textContent = pnl.toFixed(2);
  if (s.total_trades !== undefined && s.total_trades !== null) tr.cells[4].textContent = s.total_trades;
}
fetch("/api/backtest/sessions").then(r => r.json()).then(list => list.forEach(show));
const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  const status = { "backtest.progress": "running", "backtest.completed": "completed",
                   "backtest.failed": "failed", "backtest.stopped": "stopped" }[m.type];
  show(Object.assign({ status }, m.data, m.type === "backtest.completed" ? { progress_pct: 100 } : {}));
};
