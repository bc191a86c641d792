#include "live/broker_registry.hpp"

#include <map>

namespace qtrader::live {

namespace {
std::map<std::string, BrokerFactory>& factories() {
  static std::map<std::string, BrokerFactory> all;
  return all;
}
}  // namespace

void register_broker(const std::string& kind, BrokerFactory factory) { factories()[kind] = std::move(factory); }

const BrokerFactory* find_broker(const std::string& kind) {
  const auto it = factories().find(kind);
  return it == factories().end() ? nullptr : &it->second;
}

}  // namespace qtrader::live
