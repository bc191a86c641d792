// qtrader_fix_venue: the FIX 4.4 test venue (docs/fix.md "The test venue").
//   qtrader_fix_venue --port 9878 --data ORCL=ORCL.csv --store DIR [--interval-ms 100]
//                     [--sender VENUE] [--client QTRADER --client QTRADER-MD] [--clock-on-logon]
//                     [--free-clock] [--max-fill N]
// Prints "qtrader_fix_venue: listening on port N" once it accepts; SIGTERM or
// SIGINT stop it; SIGKILL loses nothing that book.json and the FIX store hold.
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "venue.hpp"

namespace {
volatile bool stopping = false;
void on_signal(int) { stopping = true; }
}  // namespace

int main(int argc, char** argv) {
  qtrader::fix_venue::VenueOptions options;
  std::vector<std::string> data, clients;
  CLI::App app{"FIX 4.4 test venue: publishes bars from CSV files and matches orders"};
  app.add_option("--port", options.port, "TCP port to accept on")->required();
  app.add_option("--data", data, "SYMBOL=FILE.csv (daily OHLCV)")->required();
  app.add_option("--store", options.store, "folder of the book, FIX store and logs")->required();
  app.add_option("--interval-ms", options.interval_ms, "milliseconds between bars");
  app.add_option("--sender", options.sender, "the venue's CompID");
  app.add_option("--client", clients, "a client CompID (repeatable)");
  app.add_flag("--clock-on-logon", options.clock_on_logon, "start the bar clock at the first logon");
  app.add_flag("--free-clock", options.free_clock, "tick while no client is logged on");
  app.add_option("--max-fill", options.max_fill, "the most one bar fills of an order (0: all)");
  CLI11_PARSE(app, argc, argv);
  if (!clients.empty()) options.clients = clients;
  for (const auto& d : data) {
    const auto eq = d.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "qtrader_fix_venue: --data " << d << ": expected SYMBOL=FILE\n";
      return 2;
    }
    options.data[d.substr(0, eq)] = d.substr(eq + 1);
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  try {
    qtrader::fix_venue::Venue venue(options);
    venue.run(stopping);
  } catch (const std::exception& e) {
    std::cerr << "qtrader_fix_venue: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
