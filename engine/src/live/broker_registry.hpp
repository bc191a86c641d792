// Where a session finds the Broker of `live.broker.kind` beyond the ones
// built in (paper, paper_venue): a broker implemented elsewhere (the FIX
// broker of engine/src/fix) registers a factory under its kind once, before
// the session starts (the command does, at start-up), and the session plugs
// what it makes into BrokerExecutionService. No registration: the kind is
// refused with the file, line and key.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "config/live_config.hpp"
#include "live/broker.hpp"

namespace qtrader::live {

struct BrokerContext {
  const LiveConfig& live;           // broker_settings: the section's keys as text
  std::string session_dir;          // the session folder (a FIX store may live under it)
  std::vector<std::string> symbols; // the universe, by symbol id
};

using BrokerFactory = std::function<std::unique_ptr<Broker>(const BrokerContext&)>;

void register_broker(const std::string& kind, BrokerFactory factory);
// nullptr when no factory is registered under `kind`.
const BrokerFactory* find_broker(const std::string& kind);

}  // namespace qtrader::live
