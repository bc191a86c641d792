#include "engine/exchange_setup.hpp"

#include "engine/prepared_run.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace {

TimeZone zone_named(const std::string& name, const SourceLocation& where, const std::string& key) {
  const auto zone = TimeZone::find(name);
  if (!zone) throw ConfigError(where.file, where.line, key, unknown_time_zone(name));
  return *zone;
}

}  // namespace

ExchangeSetup make_exchange_setup(const std::string& data_dir, const BacktestConfig& bt,
                                  const Universe& u) {
  ExchangeSetup setup;
  const DataSourceConfig* first = nullptr;
  for (SymbolId s = 0; s < u.symbols.size(); ++s) {
    const DataSourceConfig& src = *u.source_of[s];
    std::shared_ptr<const ExchangeCalendar> calendar;
    if (!src.calendar.empty()) {
      auto& slot = setup.calendars[src.calendar];
      if (!slot) {
        try {
          slot = std::make_shared<const ExchangeCalendar>(ExchangeCalendar::load_builtin(src.calendar, data_dir));
        } catch (const DataError& e) {
          throw ConfigError(src.where.file, src.where.line, "calendar",
                            "calendar " + src.calendar + " cannot be read: " + e.what());
        }
      }
      calendar = slot;
    }
    setup.clocks.emplace_back(zone_named(src.exchange_timezone, src.exchange_where, "exchange_timezone"),
                              calendar);
    if (!first) {
      first = &src;
    } else if (bt.exchange_timezone.empty() && src.exchange_timezone != first->exchange_timezone) {
      SourceLocation w = src.where;
      for (const auto& use : bt.sources)
        if (use.name == src.name) w = use.where;
      throw ConfigError(w.file, w.line, "exchange_timezone",
                        "sources '" + first->name + "' (" + first->exchange_timezone + ") and '" +
                            src.name + "' (" + src.exchange_timezone +
                            ") trade on different exchange days; set exchange_timezone in the "
                            "backtest to the zone whose days equity and returns should use");
    }
  }
  if (first && (bt.exchange_timezone.empty() || bt.exchange_timezone == first->exchange_timezone))
    setup.run = setup.clocks.front();  // with the first source's calendar, if any
  else if (!bt.exchange_timezone.empty())
    setup.run = ExchangeClock(zone_named(bt.exchange_timezone, bt.exchange_timezone_where, "exchange_timezone"));
  return setup;
}

}  // namespace qtrader
