// The dialect and time zone keys of a data source (docs/data.md "Reading
// files", "Time zones"), and system.yaml's data.default_timezone.
#include <catch2/catch.hpp>

#include <fstream>

#include "config_checks.hpp"
#include "qtrader/config.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

// A data_sources.yaml of one source "s" whose keys are `body` (indented 4).
std::string write_source(const TempDir& dir, const std::string& body) {
  const std::string file = (dir / "data_sources.yaml").string();
  std::ofstream(file) << "sources:\n  s:\n    path: data\n" << body;
  return file;
}

}  // namespace

TEST_CASE("data sources: dialect keys and time zones are read", "[config][sources][dialect]") {
  const DataSourcesConfig cfg = load_data_sources(config_fixture("ds_dialect.yaml"), "Asia/Tokyo");
  const DataSourceConfig& europe = *cfg.find("europe");
  CHECK(europe.delimiter == ';');
  CHECK(europe.quote == '\'');
  CHECK(europe.header);
  CHECK(europe.date_format == "%d.%m.%Y");
  CHECK(europe.time_format.empty());
  CHECK(europe.timezone == "Europe/Berlin");

  const DataSourceConfig& tsv = *cfg.find("ticks_tsv");
  CHECK(tsv.delimiter == '\t');
  CHECK(tsv.quote == '\0');
  CHECK_FALSE(tsv.header);
  CHECK(tsv.date_format == "%Y%m%d");
  CHECK(tsv.time_format == "%H%M%S");
  CHECK(tsv.timezone == "Asia/Tokyo");  // the default passed in

  CHECK(cfg.find("epoch")->date_format == "epoch_ms");
  CHECK(cfg.find("epoch")->delimiter == '\t');

  const DataSourceConfig& defaults = *cfg.find("defaults");
  CHECK(defaults.delimiter == ',');
  CHECK(defaults.quote == '"');
  CHECK(defaults.header);
  CHECK(defaults.date_format.empty());
  CHECK(load_data_sources(config_fixture("ds_dialect.yaml")).find("defaults")->timezone == "UTC");
}

TEST_CASE("data sources: bad dialect and time zone values name the file, line and key",
          "[config][sources][dialect][errors]") {
  TempDir dir;
  struct Case {
    const char* body;
    int line;
    const char* key;
    const char* reason;
  };
  const Case cases[] = {
      {"    timezone: Not/AZone\n", 4, "sources.s.timezone",
       "unknown time zone 'Not/AZone' (an IANA name from the tz database, e.g. "
       "America/New_York, Europe/London, UTC)"},
      {"    delimiter: ';;'\n", 4, "sources.s.delimiter",
       "delimiter must be one character, found ';;'"},
      {"    quote: ','\n", 4, "sources.s.quote", "quote and delimiter must differ"},
      {"    date_format: '%Y-%m-%Q'\n", 4, "sources.s.date_format",
       "'%Y-%m-%Q': unknown directive '%Q' (known: %Y %y %m %d %b %H %I %M %S %f %p %z %F %T %%)"},
      {"    date_format: '%H:%M'\n", 4, "sources.s.date_format",
       "'%H:%M': a date_format needs a year, a month and a day"},
      {"    time_format: '%H:%M'\n", 4, "sources.s.time_format",
       "time_format needs a time column"},
      {"    layout: custom\n    columns: {date: Date, open: 1, high: 2, low: 3, close: 4}\n"
       "    header: false\n",
       6, "sources.s.header",
       "header: false needs every column by index (column 'Date' is given by name)"},
      {"    layout: custom\n    columns: {date: 0, time: 1, open: 2, high: 3, low: 4, close: 5}\n"
       "    date_format: epoch_s\n",
       6, "sources.s.date_format", "an epoch date_format carries the time: drop the time column"},
      {"    header: maybe\n", 4, "sources.s.header", ""},
  };
  for (const Case& c : cases) {
    INFO(c.body);
    const std::string file = write_source(dir, c.body);
    const ConfigError e = config_error_of([&] { load_data_sources(file); });
    if (std::string(c.reason).empty()) {  // the reader's own wording for a non-bool
      CHECK(e.line() == c.line);
      CHECK(e.key() == c.key);
    } else {
      check_config_error(e, file, c.line, c.key, c.reason);
    }
  }
}

TEST_CASE("system: an unknown data.default_timezone is an error at its line",
          "[config][system][timezone][errors]") {
  TempDir dir;
  const std::string file = (dir / "system.yaml").string();
  std::ofstream(file) << "data:\n  default_timezone: America/NewYork\n";
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 2,
                     "data.default_timezone",
                     "unknown time zone 'America/NewYork' (an IANA name from the tz database, "
                     "e.g. America/New_York, Europe/London, UTC)");
  std::ofstream(file) << "data:\n  default_timezone: America/New_York\n";
  CHECK(load_system_config(file).data.default_timezone == "America/New_York");
}
