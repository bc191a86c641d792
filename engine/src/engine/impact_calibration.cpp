#include "engine/impact_calibration.hpp"

#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "qtrader/errors.hpp"
#include "store/bar_rows.hpp"
#include "store/run_database.hpp"

namespace qtrader {

std::vector<SymbolImpactFit> calibrate_run_impact(const std::string& run_dir, const ImpactConfig& config) {
  const std::string path = (std::filesystem::path(run_dir) / "events.sqlite").string();
  if (!std::filesystem::is_regular_file(path)) throw DataError(path, 0, "no such file (is it a run's folder?)");
  SQLite::Database db = store::open_run_database(path, SQLite::OPEN_READONLY);
  if (!bar_rows::has_bars(db)) throw DataError(path, 0, "the store has no bars table");
  std::vector<SymbolImpactFit> out;
  for (const std::string& symbol : bar_rows::symbols(db)) {
    std::vector<Bar> bars;
    for (const auto& b : bar_rows::read(db, symbol))
      bars.push_back(Bar{b.ts, 0, b.open, b.high, b.low, b.close, b.volume, b.adj_close});
    std::vector<FillEvent> fills;
    SQLite::Statement q(db, "SELECT ts, data FROM events WHERE type = 'fill' AND symbol = ? ORDER BY seq");
    q.bind(1, symbol);
    while (q.executeStep()) {
      const auto j = nlohmann::json::parse(q.getColumn(1).getString());
      FillEvent f{};
      f.ts = q.getColumn(0).getInt64();
      f.side = j.at("side").get<std::string>() == "buy" ? Side::Buy : Side::Sell;
      f.quantity = j.at("quantity").get<double>();
      f.price = j.at("price").get<double>();
      fills.push_back(f);
    }
    out.push_back({symbol, fills.size(), calibrate_impact(bars, fills, config)});
  }
  return out;
}

}  // namespace qtrader
