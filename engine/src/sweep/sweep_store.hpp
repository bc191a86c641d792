// sweep.sqlite: the `sweep_results` table (one row per finished point,
// written as each finishes) and `sweep_info` (what the sweep was started
// with: the backtest, its hash, the grid), which lets a re-run resume.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "qtrader/sweep.hpp"

namespace SQLite {
class Database;
}

namespace qtrader {

class SweepStore {
 public:
  // Opens or creates `path`.
  explicit SweepStore(const std::string& path);
  ~SweepStore();

  // Empty when the sweep has not been started here.
  std::map<std::string, std::string> info() const;
  void write_info(const std::map<std::string, std::string>& info);

  // Every stored row, by point; values in the order of `axes`.
  std::vector<SweepRow> rows(const std::vector<SweepAxis>& axes) const;
  void insert(const SweepRow& row, const std::vector<SweepAxis>& axes);

 private:
  std::unique_ptr<SQLite::Database> db_;
};

// sweep.csv from `rows` (header, then one line per row in point order),
// replaced atomically (written as NAME.tmp, renamed).
void write_sweep_csv(const std::string& path, const std::vector<SweepAxis>& axes,
                     const std::map<std::size_t, SweepRow>& rows);

// The axes as recorded in sweep_info ("axes": [{"name", "values"}]), and back.
std::string axes_json(const std::vector<SweepAxis>& axes);
std::vector<SweepAxis> axes_from_json(const std::string& text);

}  // namespace qtrader
