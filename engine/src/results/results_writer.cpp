#include "results/results_writer.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/compile.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qtrader/time.hpp"
#include "qtrader/version.hpp"
#include "results/run_params_json.hpp"

namespace qtrader {

namespace {
// A record name is the script's text: quote it when it holds a comma, quote or newline.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
}  // namespace

struct ResultsWriter::File : ResultFile {
  using ResultFile::ResultFile;
};

ResultsWriter::ResultsWriter(const std::string& dir, EventBus& bus, const SymbolTable& symbols,
                             const std::vector<std::string>& strategy_ids, TimestampFormat times,
                             const TimeZone& day_zone, bool futures)
    : dir_(dir), symbols_(symbols), strategy_ids_(strategy_ids), times_(std::move(times)),
      positions_(dir + "/positions.csv", bus, symbols, times_, day_zone), attribution_(bus) {
  fills_ = std::make_unique<File>(dir + "/fills.csv");
  fills_->write(futures ? "timestamp,strategy_id,symbol,order_id,side,quantity,price,commission,multiplier,origin\n"
                        : "timestamp,strategy_id,symbol,order_id,side,quantity,price,commission\n");
  equity_ = std::make_unique<File>(dir + "/equity.csv");
  equity_->write(futures ? "timestamp,cash,equity,gross_exposure,net_exposure\n" : "timestamp,cash,equity\n");

  records_ = std::make_unique<File>(dir + "/records.csv");
  records_->write("timestamp,strategy_id,symbol,name,value\n");
  bus.subscribe<RecordEvent>([this](const RecordEvent& e) {
    records_->row(FMT_COMPILE("{},{},{},{},{}\n"), times_(e.ts), strategy_ids_.at(e.strategy),
                  e.symbol == kNoSymbol ? std::string() : symbols_.name(e.symbol), csv_field(e.name), e.value);
  });
  if (futures)
    bus.subscribe<FillEvent>([this](const FillEvent& e) {
      fills_->row(FMT_COMPILE("{},{},{},{},{},{},{},{},{},{}\n"), times_(e.ts), strategy_ids_.at(e.strategy),
                  symbols_.name(e.symbol), e.order_id, to_string(e.side), e.quantity, e.price, e.commission,
                  e.symbol < multipliers_.size() ? multipliers_[e.symbol] : 1.0, origin_name(e.origin));
    });
  else
    bus.subscribe<FillEvent>([this](const FillEvent& e) {
      fills_->row(FMT_COMPILE("{},{},{},{},{},{},{},{}\n"), times_(e.ts), strategy_ids_.at(e.strategy),
                  symbols_.name(e.symbol), e.order_id, to_string(e.side), e.quantity, e.price, e.commission);
    });
  if (futures)
    bus.subscribe<PortfolioStateEvent>([this](const PortfolioStateEvent& e) {
      equity_->row(FMT_COMPILE("{},{},{},{},{}\n"), times_(e.ts), e.cash, e.equity, e.gross_exposure,
                   e.net_exposure);
    });
  else
    bus.subscribe<PortfolioStateEvent>([this](const PortfolioStateEvent& e) {
      equity_->row(FMT_COMPILE("{},{},{}\n"), times_(e.ts), e.cash, e.equity);
    });
}

ResultsWriter::~ResultsWriter() = default;

void ResultsWriter::use_futures(const FuturesTerms& futures) {
  if (!futures.any()) return;
  std::vector<double> m(futures.by_symbol.size());
  for (SymbolId s = 0; s < m.size(); ++s) m[s] = futures.multiplier(s);
  multipliers_ = m;
  positions_.set_multipliers(std::move(m));
}

void ResultsWriter::close() {
  fills_->close();
  equity_->close();
  records_->close();
  positions_.close();
}

void ResultsWriter::write_trades(const std::vector<ClosedTrade>& trades) {
  File out(dir_ + "/trades.csv");
  out.write(
      "strategy_id,symbol,entry_time,entry_price,exit_time,exit_price,quantity,"
      "gross_pnl,commission,net_pnl,direction,entry_order_id,exit_order_id,signal_id,tag,"
      "exit_reason,exit_tag\n");
  for (const auto& t : trades)
    out.row(FMT_COMPILE("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n"),
            strategy_ids_.at(t.strategy), symbols_.name(t.symbol), times_(t.entry_time),
            t.entry_price, times_(t.exit_time), t.exit_price, t.quantity, t.gross_pnl,
            t.commission, t.net_pnl, t.entry_side == Side::Buy ? "long" : "short", t.entry_order_id,
            t.exit_order_id, attribution_.signal_of(t.entry_order_id),
            csv_field(attribution_.tag_of(t.entry_order_id)), attribution_.exit_reason(t.exit_order_id),
            csv_field(attribution_.tag_of(t.exit_order_id)));
  out.close();
}

void ResultsWriter::write_summary(const RunSummary& s) {
  nlohmann::ordered_json positions = nlohmann::ordered_json::array();
  for (const auto& p : s.open_positions)
    positions.push_back({{"symbol", p.symbol}, {"quantity", p.quantity},
                         {"avg_price", p.avg_price}, {"last_price", p.last_price}});
  nlohmann::ordered_json j{{"start_date", s.start_date},
                           {"end_date", s.end_date},
                           {"first_bar", s.first_bar},
                           {"last_bar", s.last_bar},
                           {"bars_processed", s.bars_processed},
                           {"timestamps", s.timestamps},
                           {"signals", s.signals},
                           {"orders", s.orders},
                           {"rejections", s.rejections},
                           {"fills", s.fills},
                           {"trades", s.trades},
                           {"events", s.events},
                           {"initial_equity", s.initial_equity},
                           {"final_cash", s.final_cash},
                           {"final_equity", s.final_equity},
                           // Closed round trips before commissions (metrics.json's
                           // portfolio gross_pnl); `realized_pnl` is its old name,
                           // kept for one release (docs/metrics.md, "summary.json").
                           {"gross_pnl_closed", s.realized_pnl},
                           {"realized_pnl", s.realized_pnl},
                           {"commissions", s.commissions},
                           {"open_positions", positions}};
  // The engine that made this folder (docs/metrics.md, "summary.json").
  j["qtrader_version"] = std::string(version());
  j["qtrader_commit"] = std::string(git_commit());
  nlohmann::ordered_json scripts = nlohmann::ordered_json::array();
  for (const auto& u : s.scripts)
    scripts.push_back({{"name", u.name}, {"kind", u.kind}, {"path", u.path}, {"hash", u.hash}});
  j["scripts"] = scripts;
  // The libraries the run used (docs/libraries.md): two runs with the same
  // hashes ran the same library code.
  nlohmann::ordered_json libraries = nlohmann::ordered_json::array();
  for (const auto& l : s.libraries)
    libraries.push_back({{"name", l.name}, {"version", l.version}, {"hash", l.hash}, {"path", l.path},
                         {"source", l.source}});
  j["libraries"] = libraries;
  // What the run was asked to do: each script's params, defaults filled in,
  // and the --param overrides that changed them.
  j["params"] = nlohmann::ordered_json::parse(run_params_json(s.params, s.overrides));
  nlohmann::ordered_json coverage = nlohmann::ordered_json::array();
  for (const auto& c : s.partial_coverage)
    coverage.push_back({{"symbol", c.symbol}, {"first_bar", c.first_bar}, {"last_bar", c.last_bar},
                        {"starts_late", c.starts_late}, {"ends_early", c.ends_early}});
  j["partial_coverage"] = coverage;
  j["stale_policy"] = s.stale_policy;
  // Which zone and form the timestamps of this folder are in; a UTC daily run
  // (dates of UTC days) says nothing, as it always did.
  if (!s.time_format.empty()) {
    j["time_format"] = s.time_format;
    j["exchange_timezone"] = s.exchange_timezone;
  }
  if (!s.signal_sources.empty()) {  // docs/signals.md
    nlohmann::ordered_json sources = nlohmann::ordered_json::array();
    for (const auto& src : s.signal_sources)
      sources.push_back({{"name", src.name}, {"file", src.file}, {"version", src.version}, {"hash", src.hash},
                         {"rows", src.rows}});
    j["signal_sources"] = sources;
  }
  File out(dir_ + "/summary.json");
  out.write(j.dump(2) + "\n");
}

// Checkpoints (docs/checkpoints.md); the parts of positions.csv and the
// attribution are theirs (results_snapshot.cpp).
std::vector<std::string> ResultsWriter::streaming_files() {
  return {"fills.csv", "equity.csv", "records.csv", "positions.csv"};
}

std::string ResultsWriter::snapshot() {
  return nlohmann::json{{"fills", fills_->flushed_size()},
              {"equity", equity_->flushed_size()},
              {"records", records_->flushed_size()},
              {"positions", nlohmann::json::parse(positions_.snapshot())},
              {"attribution", nlohmann::json::parse(attribution_.snapshot())}}
      .dump();
}

void ResultsWriter::restore(std::string_view text, const std::string& saved_suffix) {
  const nlohmann::json j = nlohmann::json::parse(text);
  fills_->restore_from(fills_->path() + saved_suffix, j.at("fills").get<std::uint64_t>());
  equity_->restore_from(equity_->path() + saved_suffix, j.at("equity").get<std::uint64_t>());
  records_->restore_from(records_->path() + saved_suffix, j.at("records").get<std::uint64_t>());
  positions_.restore(j.at("positions").dump(), saved_suffix);
  attribution_.restore(j.at("attribution").dump());
}

}  // namespace qtrader
