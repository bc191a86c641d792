#!/usr/bin/env bash
# Load test of `qtrader serve` (docs/serve.md): N sessions (default 20)
# submitted at once to a server with --max-running 2. Waits for all of them,
# checks none is lost and each ends completed, and prints the wall time and
# the server's resident memory (VmRSS, and VmHWM: its peak) before, during
# and after. Usage: bench/serve_load.sh [SESSIONS]   (after ./setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-20}
qtrader=build/apps/qtrader
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/qtrader-serve-load-XXXXXX")
"$qtrader" serve --port 0 --max-running 2 --results "$work/results" \
  --system tests/fixtures/cli/system.yaml > "$work/out" 2> "$work/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.05; done
port=$(sed -n 's|.*http://[^:]*:\([0-9]*\)/.*|\1|p' "$work/out")
python3 - "$port" "$sessions" "$server" tests/fixtures/serve/orcl_sma.yaml <<'PY'
import json, sys, time, urllib.request
port, n, pid, backtest = sys.argv[1], int(sys.argv[2]), sys.argv[3], open(sys.argv[4]).read()
base = f"http://127.0.0.1:{port}"
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def call(path, body=None):
    req = urllib.request.Request(base + path, data=body, method="POST" if body is not None else "GET",
                                 headers={"Content-Type": "application/json"})
    return json.load(opener.open(req))
def rss():
    fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
    return fields["VmRSS"].strip(), fields["VmHWM"].strip()
print("server before: VmRSS %s, VmHWM %s" % rss())
t0 = time.time()
ids = [call("/api/backtest/start", json.dumps({"backtest": backtest}).encode())["session_id"] for _ in range(n)]
most_running = 0
while True:
    sessions = call("/api/backtest/sessions")
    most_running = max(most_running, sum(s["status"] == "running" for s in sessions))
    if all(s["status"] in ("completed", "failed", "stopped") for s in sessions): break
    time.sleep(0.05)
wall = time.time() - t0
print("server after:  VmRSS %s, VmHWM %s" % rss())
statuses = [s["status"] for s in sessions]
pnl = {s["final_pnl"] for s in sessions}
print(f"{n} sessions in {wall:.2f} s: {statuses.count('completed')} completed, at most {most_running} running at once, "
      f"final_pnl values {sorted(pnl)}")
assert [s["session_id"] for s in sessions] == ids, "a session was lost"
assert statuses.count("completed") == n, "not all completed"
assert most_running <= 2
PY
