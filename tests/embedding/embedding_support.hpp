// A temporary folder with a backtest over ORCL's year 2000 whose strategy
// `every_n` lives in the folder's scripts/, for the embedding and watch tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace qtrader::embedding_test {

namespace fs = std::filesystem;

struct Workspace {
  fs::path dir;
  explicit Workspace(const std::string& tag = "embedding") {
    dir = fs::temp_directory_path() / ("qtrader_" + tag + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "scripts");
    write("backtest.yaml", R"(start_date: 2000-01-03
end_date: 2000-12-29
initial_equity: 100000
script_paths: [scripts]
data:
  sources:
    - name: sample
      universe: [ORCL]
strategies:
  - strategy_id: mine
    name: every_n
    universe: [ORCL]
risk_policy:
  name: fixed_quantity
  config: {quantity: 10}
)");
  }
  ~Workspace() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
  std::string backtest() const { return (dir / "backtest.yaml").string(); }
};

// Opens a long every `period` bars and closes it `hold` bars later.
inline std::string every_n(int period, int hold) {
  return "local n = 0\n"
         "return { name = 'every_n',\n"
         "  on_bar = function(ctx, bar)\n"
         "    n = n + 1\n"
         "    if n % " + std::to_string(period) + " == 1 then ctx:emit_signal{ symbol = bar.symbol, intention = 'open_long' }\n"
         "    elseif n % " + std::to_string(period) + " == " + std::to_string(1 + hold) +
         " then ctx:emit_signal{ symbol = bar.symbol, intention = 'close_long' } end\n"
         "  end }\n";
}

}  // namespace qtrader::embedding_test
