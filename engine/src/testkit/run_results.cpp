#include "testkit/run_results.hpp"
#include "store/run_database.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

namespace qtrader::testkit {

namespace {

ParamValue number(double x) {
  ParamValue v;
  v.kind = ParamValue::Kind::Number;
  v.number = x;
  v.is_integer = std::isfinite(x) && x == std::floor(x);
  return v;
}

ParamValue string(std::string s) {
  ParamValue v;
  v.kind = ParamValue::Kind::String;
  v.text = std::move(s);
  return v;
}

ParamValue list() {
  ParamValue v;
  v.kind = ParamValue::Kind::List;
  return v;
}

// Keys sorted, as tables read from Lua are.
ParamValue map(std::map<std::string, ParamValue>&& fields) {
  ParamValue v;
  v.kind = ParamValue::Kind::Map;
  for (auto& field : fields) v.map.emplace_back(field.first, std::move(field.second));
  return v;
}

void add_json_fields(std::map<std::string, ParamValue>& out, const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items()) {
    if (v.is_number()) out[k] = number(v.get<double>());
    else if (v.is_string()) out[k] = string(v.get<std::string>());
    else if (v.is_boolean()) {
      ParamValue b;
      b.kind = ParamValue::Kind::Bool;
      b.boolean = v.get<bool>();
      out[k] = b;
    }
  }
}

// Which list of the results an event type goes to.
const std::map<std::string, std::string>& lists_by_type() {
  static const std::map<std::string, std::string> m{
      {"signal", "signals"},         {"order", "orders"}, {"order_rejected", "rejections"},
      {"order_update", "order_updates"}, {"fill", "fills"}, {"record", "records"}};
  return m;
}

void read_events(const std::string& dir, std::map<std::string, ParamValue>& out) {
  for (const auto& [type, key] : lists_by_type()) out[key] = list();
  SQLite::Database db = store::open_run_database(dir + "/events.sqlite", SQLite::OPEN_READONLY);
  SQLite::Statement q(db,
                      "SELECT seq, time, type, strategy_id, symbol, data FROM events "
                      "WHERE type IN ('signal','order','order_rejected','order_update','fill','record') "
                      "ORDER BY seq");
  while (q.executeStep()) {
    std::map<std::string, ParamValue> e;
    add_json_fields(e, q.getColumn(5).getString());
    e["seq"] = number(static_cast<double>(q.getColumn(0).getInt64()));
    e["time"] = string(q.getColumn(1).getString());
    if (!q.getColumn(3).isNull()) e["strategy_id"] = string(q.getColumn(3).getString());
    if (!q.getColumn(4).isNull() && !q.getColumn(4).getString().empty())
      e["symbol"] = string(q.getColumn(4).getString());
    out[lists_by_type().at(q.getColumn(2).getString())].list.push_back(map(std::move(e)));
  }
}

// RFC 4180 fields of one line (trades.csv quotes a tag holding a comma or a quote).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// A cell as a number when all of it is one (prices, P&L, ids), else as text;
// empty cells are left out, as nil.
void add_cell(std::map<std::string, ParamValue>& row, const std::string& key, const std::string& cell) {
  if (cell.empty()) return;
  char* end = nullptr;
  const double x = std::strtod(cell.c_str(), &end);
  const bool is_number = end == cell.c_str() + cell.size() && key.find("time") == std::string::npos;
  row[key] = is_number ? number(x) : string(cell);
}

ParamValue read_trades(const std::string& dir) {
  ParamValue trades = list();
  std::ifstream in(dir + "/trades.csv");
  std::string line;
  if (!std::getline(in, line)) return trades;
  const auto header = csv_fields(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto cells = csv_fields(line);
    std::map<std::string, ParamValue> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) add_cell(row, header[i], cells[i]);
    trades.list.push_back(map(std::move(row)));
  }
  return trades;
}

}  // namespace

ParamValue read_run_results(const std::string& results_dir, const RunSummary& s) {
  std::map<std::string, ParamValue> out;
  read_events(results_dir, out);
  out["trades"] = read_trades(results_dir);
  std::map<std::string, ParamValue> positions;
  for (const auto& p : s.open_positions) positions[p.symbol] = number(p.quantity);
  out["positions"] = map(std::move(positions));
  out["cash"] = number(s.final_cash);
  out["equity"] = number(s.final_equity);
  out["summary"] = map({{"bars", number(double(s.bars_processed))},
                        {"signals", number(double(s.signals))},
                        {"orders", number(double(s.orders))},
                        {"rejections", number(double(s.rejections))},
                        {"fills", number(double(s.fills))},
                        {"trades", number(double(s.trades))},
                        {"first_bar", string(s.first_bar)},
                        {"last_bar", string(s.last_bar)}});
  return map(std::move(out));
}

}  // namespace qtrader::testkit
