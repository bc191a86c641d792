#include "fix/fix_live_factories.hpp"

#include "config/yaml_reader.hpp"
#include "fix/fix_broker.hpp"
#include "fix/fix_market_feed.hpp"

namespace qtrader::fix {

namespace {

FixSessionConfig section_of(const std::string& path, const char* name) {
  const config_detail::YamlValue root = config_detail::load_yaml_file(path);
  const config_detail::YamlValue live = root.free_map().require("live");
  return read_fix_session_config(live.free_map().require(name));
}

}  // namespace

std::unique_ptr<live::Broker> fix_broker_of(const std::string& backtest_path) {
  return std::make_unique<FixBroker>(section_of(backtest_path, "broker"));
}

std::unique_ptr<live::MarketFeed> fix_feed_of(const std::string& backtest_path) {
  return std::make_unique<FixMarketFeed>(section_of(backtest_path, "feed"));
}

}  // namespace qtrader::fix
