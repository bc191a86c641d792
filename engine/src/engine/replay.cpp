#include "engine/replay.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "data/corporate_actions.hpp"
#include "portfolio/portfolio.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/results.hpp"
#include "qtrader/time.hpp"
#include "qtrader/time_zone.hpp"
#include "qtrader/timestamp_format.hpp"
#include "results/results_writer.hpp"
#include "store/event_json.hpp"
#include "store/stored_events.hpp"
#include "store/run_database.hpp"

namespace fs = std::filesystem;

namespace qtrader {

namespace {

using Json = nlohmann::json;

std::string file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first line where two texts differ, 1-based; 0 when equal.
std::size_t first_differing_line(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string l, m;
  for (std::size_t n = 1;; ++n) {
    const bool more_x = static_cast<bool>(std::getline(x, l)), more_y = static_cast<bool>(std::getline(y, m));
    if (!more_x && !more_y) return 0;
    if (more_x != more_y || l != m) return n;
  }
}

double number(const Json& d, const char* key) {
  const auto it = d.find(key);
  return it != d.end() && it->is_number() ? it->get<double>() : kNaN;
}
std::uint64_t id(const Json& d, const char* key) {
  const auto it = d.find(key);
  return it != d.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

// A temporary folder for the rebuilt files, removed when done.
struct ScratchDir {
  fs::path path;
  explicit ScratchDir(const std::string& run_dir) {
    std::string pattern = (fs::temp_directory_path() / "qtrader-replay-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw DataError(run_dir, 0, "cannot make a folder for the replay");
    path = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct Replayer {
  const std::string store;
  SymbolTable symbols;
  std::vector<std::string> strategies;
  PortfolioConfig config;
  TimeZone zone;
  TimestampFormat times;
  CorporateActions actions;
  FuturesTerms futures;  // empty: the run had none
  double initial_equity = 0.0;

  StrategyIndex strategy(const std::string& name, std::uint64_t seq) const {
    for (std::size_t i = 0; i < strategies.size(); ++i)
      if (strategies[i] == name) return static_cast<StrategyIndex>(i);
    throw DataError(store, static_cast<long>(seq), fmt::format("event {}: unknown strategy \"{}\"", seq, name));
  }
  SymbolId symbol(const std::string& name, std::uint64_t seq) const {
    if (name.empty()) return kNoSymbol;
    const SymbolId s = symbols.find(name);
    if (s == kNoSymbol) throw DataError(store, static_cast<long>(seq), fmt::format("event {}: unknown symbol \"{}\"", seq, name));
    return s;
  }
};

void read_settings(SQLite::Database& db, Replayer& r) {
  std::string text;
  if (db.tableExists("runs")) {
    SQLite::Statement q(db, "SELECT * FROM pragma_table_info('runs') WHERE name = 'settings'");
    if (q.executeStep()) {
      SQLite::Statement s(db, "SELECT settings FROM runs LIMIT 1");
      if (s.executeStep()) text = s.getColumn(0).getString();
    }
  }
  if (text.empty())
    throw DataError(r.store, 0, "the run has no replay settings (runs.settings): it was made by a qtrader without replay");
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) throw DataError(r.store, 0, "runs.settings is not JSON");
  for (const auto& s : j.at("symbols")) r.symbols.intern(s.get<std::string>());
  for (const auto& s : j.at("strategies")) r.strategies.push_back(s.get<std::string>());
  if (!parse_name(j.at("lot_matching").get<std::string>(), r.config.lot_matching))
    throw DataError(r.store, 0, "runs.settings: unknown lot_matching");
  r.config.allow_short = j.at("allow_short").get<bool>();
  r.config.borrow_fee_rate = j.at("borrow_fee_rate").get<double>();
  r.config.max_gross_leverage = j.at("max_gross_leverage").get<double>();
  r.config.fractional_quantities = j.at("fractional_quantities").get<bool>();
  const auto zone = TimeZone::find(j.at("zone").get<std::string>());
  if (!zone) throw DataError(r.store, 0, "runs.settings: unknown zone " + j.at("zone").get<std::string>());
  r.zone = *zone;
  r.times = j.at("time_format").get<std::string>() == "instants" ? TimestampFormat::instants()
                                                                   : TimestampFormat::dates(r.zone);
  if (const auto f = j.find("futures"); f != j.end()) {
    r.futures.by_symbol.resize(r.symbols.size());
    r.futures.contracts.resize(r.symbols.size());
    r.futures.routes.resize(r.symbols.size());
    for (const auto& e : *f) {
      const SymbolId s = r.symbol(e.at("symbol").get<std::string>(), 0);
      ContractTerms& t = r.futures.by_symbol[s];
      t.future = true;
      t.multiplier = e.at("multiplier").get<double>();
      t.continuous = e.at("continuous").get<bool>();
      for (const auto& c : e.at("contracts")) r.futures.contracts[s].push_back(r.symbol(c.get<std::string>(), 0));
    }
  }
}

// The corporate actions and the initial equity, read before the replay: the
// portfolio takes the actions as a table, as it does in a run.
void read_prologue(SQLite::Database& db, Replayer& r) {
  r.actions = CorporateActions(r.symbols.size());
  SQLite::Statement q(db, "SELECT seq, type, symbol, data FROM events WHERE type IN ('backtest_start', 'corporate_action') ORDER BY seq");
  while (q.executeStep()) {
    const auto seq = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
    const Json d = Json::parse(q.getColumn(3).getString());
    if (q.getColumn(1).getString() == "backtest_start") {
      r.initial_equity = number(d, "initial_equity");
      continue;
    }
    CorporateAction a;
    a.symbol = r.symbol(q.getColumn(2).getString(), seq);
    a.type = d.at("action") == "dividend" ? CorporateAction::Type::Dividend : CorporateAction::Type::Split;
    a.value = number(d, "value");
    a.date = parse_timestamp(d.at("ex_date").get<std::string>()).value_or(0);
    r.actions.add(a);
  }
}

}  // namespace

ReplayOutcome replay_run(const std::string& run_dir) {
  const std::string store = (fs::path(run_dir) / "events.sqlite").string();
  if (!fs::exists(store)) throw DataError(run_dir, 0, "no events.sqlite (not a run's results folder, or its event store was in memory)");
  SQLite::Database db = store::open_run_database(store, SQLite::OPEN_READONLY);
  Replayer r{store};
  read_settings(db, r);
  read_prologue(db, r);

  const ScratchDir scratch(run_dir);
  ReplayOutcome out;
  std::uint64_t events = 0, states = 0, last_fill = 0;
  // What summary.json says of the run that its events alone decide.
  std::map<std::string, std::uint64_t> counts;  // by event type, bars included
  double final_cash = 0, final_equity = 0, realized_pnl = 0, commissions = 0;
  std::uint64_t trades = 0;
  {
    // Subscribed in a run's order: the results files, then the portfolio.
    EventBus bus;
    ResultsWriter writer(scratch.path.string(), bus, r.symbols, r.strategies, r.times, r.zone, r.futures.any());
    writer.use_futures(r.futures);
    Portfolio portfolio(bus, r.initial_equity, r.symbols.size(), r.config, &r.actions, r.zone, &r.futures);
    std::optional<std::string> replayed_state;
    fmt::memory_buffer json;
    bus.subscribe<PortfolioStateEvent>([&](const PortfolioStateEvent& e) {
      json.clear();
      event_json::write(json, e);
      replayed_state = std::string(json.data(), json.size());
    });

    StoredEventReader reader(db);
    StoredEvent e;
    std::string record_name;
    while (reader.next(e)) {
      ++events;
      ++counts[e.type];
      if (e.is_bar()) {
        const Bar bar{e.ts, r.symbol(e.symbol, e.seq), e.bar.open, e.bar.high, e.bar.low, e.bar.close,
                      e.bar.volume, e.bar.adj_close};
        bus.publish(BarEvent{bar});
        continue;
      }
      if (e.type == "valuation_trigger") {
        replayed_state.reset();
        bus.publish(ValuationTriggerEvent{e.ts});
        continue;
      }
      if (e.type == "backtest_end") {
        bus.publish(BacktestEndEvent{e.ts, 0});
        continue;
      }
      if (e.type != "signal" && e.type != "order" && e.type != "fill" && e.type != "record" &&
          e.type != "portfolio_state")
        continue;
      const Json d = Json::parse(e.data, nullptr, false);
      if (d.is_discarded())
        throw DataError(store, static_cast<long>(e.seq), fmt::format("event {} ({}): data is not JSON", e.seq, e.type));
      if (e.type == "portfolio_state") {
        ++states;
        if (!replayed_state || *replayed_state != e.data) {
          out.report = fmt::format(
              "event {} (portfolio_state at {}) differs from the replay{}:\n  stored   {}\n  replayed {}\n",
              e.seq, format_timestamp(e.ts),
              last_fill ? fmt::format(" (the last fill before it: event {})", last_fill) : std::string(), e.data,
              replayed_state.value_or("(none)"));
          return out;
        }
      } else if (e.type == "signal") {
        SignalEvent s{e.ts, id(d, "signal_id"), r.strategy(e.strategy_id, e.seq), r.symbol(e.symbol, e.seq),
                      Intention::OpenLong};
        parse_intention(d.value("intention", ""), s.intention);
        s.tag = d.value("tag", "");
        bus.publish(s);
      } else if (e.type == "order") {
        OrderEvent o{e.ts, id(d, "order_id"), id(d, "signal_id"), r.strategy(e.strategy_id, e.seq),
                     r.symbol(e.symbol, e.seq), d.value("side", "") == "sell" ? Side::Sell : Side::Buy,
                     number(d, "quantity"), OrderSpec{}};
        parse_order_type(d.value("order_type", ""), o.spec.type);
        o.parent_id = id(d, "parent_id");
        o.end_of_data = id(d, "end_of_data") != 0;
        const std::string origin = d.value("origin", "");
        if (origin == "roll") o.origin = OrderEvent::Origin::Roll;
        if (origin == "margin_call") o.origin = OrderEvent::Origin::MarginCall;
        bus.publish(o);
      } else if (e.type == "fill") {
        last_fill = e.seq;
        FillEvent f{e.ts, id(d, "order_id"), r.strategy(e.strategy_id, e.seq), r.symbol(e.symbol, e.seq),
                    d.value("side", "") == "sell" ? Side::Sell : Side::Buy, number(d, "quantity"),
                    number(d, "price"), number(d, "commission"), id(d, "signal_id")};
        const std::string origin = d.value("origin", "");
        if (origin == "roll") f.origin = OrderEvent::Origin::Roll;
        if (origin == "margin_call") f.origin = OrderEvent::Origin::MarginCall;
        bus.publish(f);
      } else if (e.type == "record") {
        record_name = d.value("name", "");
        const auto v = d.find("value");
        const double value = v != d.end() && v->is_string() && *v == "-nan" ? -kNaN : number(d, "value");
        bus.publish(RecordEvent{e.ts, r.strategy(e.strategy_id, e.seq), r.symbol(e.symbol, e.seq), record_name,
                                value});
      }
    }
    writer.close();
    writer.write_trades(portfolio.closed_trades());
    final_cash = portfolio.cash();
    final_equity = portfolio.equity();
    realized_pnl = portfolio.realized_pnl();
    commissions = portfolio.commissions();
    trades = portfolio.closed_trades().size();
  }

  // The metrics, recomputed from the rebuilt files with the run's own
  // summary.json and benchmark.csv (facts of the run, not of its events).
  const fs::path run(run_dir);
  for (const char* f : {"summary.json", "benchmark.csv"})
    if (fs::exists(run / f)) fs::copy_file(run / f, scratch.path / f);
  std::vector<std::string> compared;
  for (const char* f : {"trades.csv", "fills.csv", "equity.csv", "positions.csv", "records.csv"})
    if (fs::exists(run / f)) compared.push_back(f);
  if (fs::exists(run / "metrics.json")) {
    write_metrics_json(scratch.path.string(), compute_metrics(scratch.path.string()));
    compared.push_back("metrics.json");
  }
  for (const auto& f : compared) {
    const std::string stored = file_text(run / f), replayed = file_text(scratch.path / f);
    if (stored != replayed) {
      out.report = fmt::format("{} differs from the replay at line {}\n", f, first_differing_line(stored, replayed));
      return out;
    }
  }
  if (fs::exists(run / "summary.json")) {
    // Its counts and money, each against the replay: exactly, as both are the
    // same doubles written at their shortest round-trip form.
    const Json summary = Json::parse(file_text(run / "summary.json"), nullptr, false);
    if (!summary.is_object()) {
      out.report = "summary.json is not a JSON object\n";
      return out;
    }
    const std::vector<std::pair<const char*, Json>> expected = {
        {"bars_processed", counts["bar"]},   {"signals", counts["signal"]},
        {"orders", counts["order"]},         {"rejections", counts["order_rejected"]},
        {"fills", counts["fill"]},           {"events", events},
        {"trades", trades},                  {"final_cash", final_cash},
        {"final_equity", final_equity},      {"realized_pnl", realized_pnl},
        {"commissions", commissions}};
    for (const auto& [key, replayed] : expected) {
      const auto stored = summary.find(key);
      if (stored == summary.end()) continue;
      const bool same = replayed.is_number_float() ? stored->is_number() && stored->get<double>() == replayed.get<double>()
                                                   : *stored == replayed;
      if (!same) {
        out.report = fmt::format("summary.json: {} is {}, the replay gives {}\n", key, stored->dump(), replayed.dump());
        return out;
      }
    }
    compared.push_back("summary.json");
  }
  out.identical = true;
  std::string list;
  for (const auto& f : compared) list += (list.empty() ? "" : ", ") + f;
  out.report = fmt::format("replayed {} events ({} portfolio states): {} identical\n", events, states, list);
  return out;
}

}  // namespace qtrader
