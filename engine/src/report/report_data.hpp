// Everything the report page shows, gathered from a results folder into one
// JSON document that the page's script renders.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/run_files.hpp"
#include "qtrader/results.hpp"

namespace qtrader::report {

// `notices` receives what could not be shown and why.
nlohmann::ordered_json gather_report_data(const std::string& results_dir,
                                          const metrics::RunFiles& run, const Metrics& metrics,
                                          const ReportOptions& options,
                                          std::vector<std::string>& notices);

// JSON text that is safe inside <script type="application/json">: every '<' is
// written as \u003c, so no "</script>" or "<!--" can appear.
std::string json_for_html(const nlohmann::ordered_json& j);

}  // namespace qtrader::report
