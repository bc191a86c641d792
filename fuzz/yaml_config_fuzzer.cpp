// The YAML configuration readers (docs/architecture.md "prepare_run"): the
// input is read as a system.yaml, a data_sources.yaml and a backtest file in
// turn, and a backtest that loads is checked against the sources that load.
// Bad files must end in ConfigError (file, line, key) — never a crash, an
// unbounded expansion (kMaxExpandedYamlNodes) or another exception.
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"

namespace {

template <class F>
auto loaded(F&& load) -> std::optional<decltype(load())> {
  try {
    return load();
  } catch (const qtrader::ConfigError&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = qtrader::fuzz::write_input(
      "config.yaml", {reinterpret_cast<const char*>(data), size});
  loaded([&] { return qtrader::load_system_config(file); });
  const auto sources = loaded([&] { return qtrader::load_data_sources(file, "America/New_York"); });
  const auto backtest = loaded([&] { return qtrader::load_backtest_config(file); });
  if (backtest) {
    // The cross-file checks of prepare_run, with this file's own sources when
    // it had both kinds of keys, else none.
    loaded([&] {
      const auto merged = qtrader::sources_for(*backtest, sources ? &*sources : nullptr, "adjusted");
      qtrader::validate_backtest(*backtest, merged);
      return 0;
    });
  }
  return 0;
}
