// The command's default spdlog logger. Log lines go to stderr (stdout is for
// results), below a warning only while a run on this thread has set up its
// own logging: then a line sent to the default logger (what a script prints
// goes there from the Lua host) is handed to that run's logger, so it reaches
// the run's stderr level and its run.log as the engine's own lines do.
#pragma once

#include <memory>

#include <spdlog/common.h>

namespace spdlog {
class logger;
}

namespace qtrader::cli {

std::shared_ptr<spdlog::logger> make_command_logger(spdlog::color_mode color);
// Recolours the stderr lines of the command's logger (--color).
void set_command_logger_color(spdlog::color_mode color);

}  // namespace qtrader::cli
