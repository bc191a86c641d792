// The `fix` broker and feed of a backtest file's `live:` section (docs/fix.md
// "Settings"), for `qtrader live`: the command hands these to LiveOptions,
// since qtrader_live does not link QuickFIX.
#pragma once

#include <memory>
#include <string>

#include "live/broker.hpp"
#include "live/market_feed.hpp"

namespace qtrader::fix {

// From live.broker / live.feed of `backtest_path`; ConfigError naming the
// file, line and key when a setting is missing or wrong.
std::unique_ptr<live::Broker> fix_broker_of(const std::string& backtest_path);
std::unique_ptr<live::MarketFeed> fix_feed_of(const std::string& backtest_path);

}  // namespace qtrader::fix
