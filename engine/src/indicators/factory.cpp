// make_indicator: resolves the kind, checks the arguments (filling TA-Lib's
// defaults for trailing ones left out) and builds the indicator.
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "indicators/families.hpp"

namespace qtrader {

namespace {

constexpr int kMaxPeriod = 100000;  // TA-Lib's upper bound for every period
constexpr int kMaxArgs = 3;

struct Param {
  const char* name;
  double default_value;
  bool is_period;  // integer in [1, kMaxPeriod]; otherwise any finite number
};

struct KindSpec {
  std::string_view kind;
  int arg_count;
  std::array<Param, kMaxArgs> params;
};

constexpr Param period(const char* name, double def) { return {name, def, true}; }
constexpr Param real(const char* name, double def) { return {name, def, false}; }

constexpr KindSpec kKinds[] = {
    {"sma", 1, {period("period", 30)}},
    {"ema", 1, {period("period", 30)}},
    {"wma", 1, {period("period", 30)}},
    {"rsi", 1, {period("period", 14)}},
    {"macd", 3, {period("fast", 12), period("slow", 26), period("signal", 9)}},
    {"bbands", 3, {period("period", 5), real("nbdevup", 2), real("nbdevdn", 2)}},
    {"stddev", 2, {period("period", 5), real("nbdev", 1)}},
    {"atr", 1, {period("period", 14)}},
    {"roc", 1, {period("period", 10)}},
    {"willr", 1, {period("period", 14)}},
    {"stoch", 3, {period("fastk", 5), period("slowk", 3), period("slowd", 3)}},
    {"adx", 1, {period("period", 14)}},
    {"cci", 1, {period("period", 14)}},
    {"obv", 0, {}},
    {"highest", 1, {period("period", 30)}},
    {"lowest", 1, {period("period", 30)}},
};

std::string known_kinds() {
  std::string out;
  for (const auto& spec : kKinds) {
    if (!out.empty()) out += ", ";
    out += spec.kind;
  }
  return out;
}

const KindSpec& find_kind(std::string_view kind) {
  for (const auto& spec : kKinds)
    if (spec.kind == kind) return spec;
  throw std::invalid_argument(
      fmt::format("unknown indicator kind '{}' (known: {})", kind, known_kinds()));
}

// The arguments with defaults filled in; periods are checked to be integers.
std::array<double, kMaxArgs> resolve_args(const KindSpec& spec, std::span<const double> args) {
  if (static_cast<int>(args.size()) > spec.arg_count) {
    throw std::invalid_argument(fmt::format(
        "indicator '{}' takes at most {} argument{}, got {}", spec.kind, spec.arg_count,
        spec.arg_count == 1 ? "" : "s", args.size()));
  }
  std::array<double, kMaxArgs> out{};
  for (int i = 0; i < spec.arg_count; ++i) {
    const Param& p = spec.params[static_cast<std::size_t>(i)];
    double v = i < static_cast<int>(args.size()) ? args[static_cast<std::size_t>(i)]
                                                 : p.default_value;
    if (p.is_period) {
      if (!(v >= 1 && v <= kMaxPeriod && v == std::floor(v))) {
        throw std::invalid_argument(fmt::format(
            "indicator '{}': argument {} ({}) must be an integer from 1 to {}, got {}",
            spec.kind, i + 1, p.name, kMaxPeriod, v));
      }
    } else if (!std::isfinite(v)) {
      throw std::invalid_argument(fmt::format(
          "indicator '{}': argument {} ({}) must be a finite number, got {}", spec.kind, i + 1,
          p.name, v));
    }
    out[static_cast<std::size_t>(i)] = v;
  }
  return out;
}

}  // namespace

std::optional<double> indicator_default_argument(std::string_view kind, int index) {
  for (const auto& spec : kKinds) {
    if (spec.kind != kind) continue;
    if (index < 0 || index >= spec.arg_count) return std::nullopt;
    return spec.params[static_cast<std::size_t>(index)].default_value;
  }
  return std::nullopt;
}

std::unique_ptr<Indicator> make_indicator(std::string_view kind, BarField field,
                                          std::span<const double> args, int history) {
  using namespace indicators;
  const KindSpec& spec = find_kind(kind);
  if (history < 1) {
    throw std::invalid_argument(
        fmt::format("indicator '{}': history must be at least 1, got {}", spec.kind, history));
  }
  auto a = resolve_args(spec, args);
  auto n = [&](int i) { return static_cast<int>(a[static_cast<std::size_t>(i)]); };

  if (kind == "sma") return make_sma(field, n(0), history);
  if (kind == "ema") return make_ema(field, n(0), history);
  if (kind == "wma") return make_wma(field, n(0), history);
  if (kind == "rsi") return make_rsi(field, n(0), history);
  if (kind == "macd") return make_macd(field, n(0), n(1), n(2), history);
  if (kind == "bbands") return make_bbands(field, n(0), a[1], a[2], history);
  if (kind == "stddev") return make_stddev(field, n(0), a[1], history);
  if (kind == "atr") return make_atr(n(0), history);
  if (kind == "roc") return make_roc(field, n(0), history);
  if (kind == "willr") return make_willr(n(0), history);
  if (kind == "stoch") return make_stoch(n(0), n(1), n(2), history);
  if (kind == "adx") return make_adx(n(0), history);
  if (kind == "cci") return make_cci(n(0), history);
  if (kind == "obv") return make_obv(field, history);
  if (kind == "highest") return make_highest(field, n(0), history);
  if (kind == "lowest") return make_lowest(field, n(0), history);
  throw std::logic_error(fmt::format("indicator kind '{}' is listed but not built", kind));
}

}  // namespace qtrader
