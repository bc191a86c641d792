// What the command shows on the terminal beyond its output: log colours
// (--color, NO_COLOR) and a run's progress bar (on stderr when it is a terminal).
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/common.h>

#include "qtrader/engine.hpp"

namespace qtrader::cli {

// Adds `--color auto|always|never` to the app (given before or after the
// subcommand); its value recolours the command's own logger at once.
void add_color_option(CLI::App& app);
// The choice of --color (Auto when not given).
LogColor log_color();
// The spdlog colour mode of a LogColor: Auto is automatic unless NO_COLOR is set and not empty.
spdlog::color_mode spdlog_color_mode(LogColor color);

// A progress bar on stderr (percent, date, bars, rate, time left) for runs
// longer than a second; an empty function when stderr is not a terminal or
// `quiet` is set.
std::function<void(const RunProgress&)> terminal_progress_bar(bool quiet);

}  // namespace qtrader::cli
