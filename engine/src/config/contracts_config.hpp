// A futures contracts file (docs/futures.md): per root (ES, CL, ...) the
// contract terms, the roll rule and the back-adjustment of its continuous
// series, and the listed contracts with their expiries. A data source names
// it with `contracts:`; its universe may then list roots (continuous
// contracts built by the engine) and contract symbols.
#pragma once

#include <string>
#include <vector>

#include "qtrader/config.hpp"

namespace qtrader {

// When the continuous series moves to the next contract.
enum class RollRule : std::uint8_t {
  Calendar,      // the first bar on or after (last trading day - days_before_expiry calendar days)
  Volume,        // the bar after the first close at which the next contract traded more
  OpenInterest,  // the same on open interest (the source's open_interest column)
};
// How the continuous series' earlier segments are shifted at each roll.
enum class BackAdjust : std::uint8_t { None, Difference, Ratio };

struct ContractSpec {
  std::string symbol;          // its data file is the source's file_for(symbol)
  Timestamp expiry = 0;        // the last trading day
  Timestamp first_notice = 0;  // 0 when not given
  SourceLocation where;
  // The day a long must be out by: the first notice day when it comes first.
  Timestamp last_day() const noexcept {
    return first_notice != 0 && first_notice < expiry ? first_notice : expiry;
  }
};

struct FuturesRootSpec {
  std::string root;
  double multiplier = 1.0;        // money per point per contract
  double tick_size = 0.0;         // the price grid; recorded, fills are not rounded to it
  std::string currency = "USD";
  double initial_margin = 0.0;    // money per contract, to open or increase
  double maintenance_margin = 0.0;  // money per contract, checked at each close
  RollRule roll = RollRule::Calendar;
  int roll_days = 0;              // calendar: days before the last day
  BackAdjust adjust = BackAdjust::None;
  std::vector<ContractSpec> contracts;  // by expiry, ascending
  SourceLocation where;
};

struct ContractsConfig {
  std::string path;
  std::vector<FuturesRootSpec> roots;
  const FuturesRootSpec* find_root(const std::string& name) const noexcept;
  // The root listing contract `symbol` (nullptr when none), and the contract.
  const FuturesRootSpec* root_of_contract(const std::string& symbol,
                                          const ContractSpec** contract = nullptr) const noexcept;
};

// Reads and checks `path`; throws ConfigError naming file, line and key for
// any problem (syntax, unknown key, a bad value, contracts out of expiry
// order, a symbol listed twice).
ContractsConfig load_contracts(const std::string& path);

const char* to_string(RollRule) noexcept;
const char* to_string(BackAdjust) noexcept;

}  // namespace qtrader
