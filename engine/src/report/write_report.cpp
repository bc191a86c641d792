// report.html: one self-contained page (style, charting library, data and
// script inline) that opens offline. Layout: docs/report.md.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "metrics/calculations.hpp"
#include "qtrader/results.hpp"
#include "qtrader/run_log.hpp"
#include "report/page_assets.hpp"
#include "report/report_data.hpp"
#include "qtrader/version.hpp"

namespace qtrader {

namespace {

namespace fs = std::filesystem;

// The chart library as compiled in (page_assets.hpp). Inside <script>, only
// "</script" could end the block early; the shipped file has none, but a
// future version must not break the page.
const std::string& chart_library() {
  static const std::string js = [] {
    std::string text(report::kChartLibrary);
    for (std::size_t at = 0; (at = text.find("</", at)) != std::string::npos; at += 3)
      text.replace(at, 2, "<\\/");
    return text;
  }();
  return js;
}

// The page in its parts, written one after the other: joined, the data block
// (most of a big run's page) would be copied once more.
void write_file(const std::string& path, std::initializer_list<std::string_view> parts) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
    for (const auto part : parts) out.write(part.data(), static_cast<std::streamsize>(part.size()));
    if (!out.flush())
      throw std::runtime_error(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
  }
  fs::rename(tmp, path);  // a reader never sees half a report
}

}  // namespace

ReportResult write_report(const std::string& results_dir, const ReportOptions& options) {
  ReportResult result;
  // The run's files are read once, for the metrics and the page alike.
  const auto run = metrics::read_run_files(results_dir);
  const Metrics metrics = metrics::compute_metrics(run, options.metrics);
  write_metrics_json(results_dir, metrics);

  std::vector<std::string> notices;
  auto data = report::gather_report_data(results_dir, run, metrics, options, notices);

  const std::string& library = chart_library();
  // Notices that say what the page shows (a cap on charts or trades is a
  // choice, not a problem) are not warnings.
  for (const auto& n : notices)
    if (n.find("most traded") == std::string::npos && n.rfind("Trades:", 0) != 0)
      result.warnings.push_back(n);
  for (const auto& w : result.warnings) run_log().warn("report: {}", w);
  data["notices"] = notices;

  std::string html;
  html.reserve(library.size() + (64 << 10));
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>qtrader report</title>\n<script>\n";
  html += report::kErrorTrap;
  html += "</script>\n<style>\n";
  html += report::kPageStyle;
  html += "</style>\n";
  html += "<!-- TradingView Lightweight Charts (Apache-2.0), inlined -->\n<script>";
  html += library;
  html += "</script>\n";
  html += "</head>\n<body>\n<main>\n<div id=\"header\"></div>\n<div id=\"notices\"></div>\n"
          "<div id=\"content\"></div>\n</main>\n";
  // Which engine wrote the page, as summary.json and the runs table say too.
  html += fmt::format("<footer>Written by qtrader {} (commit {})</footer>\n", version(), git_commit());
  html += "<script type=\"application/json\" id=\"qtrader-data\">";
  const std::string json = report::json_for_html(data);
  std::string tail = "</script>\n<script>\n";
  tail += report::kPageScript;
  tail += "</script>\n</body>\n</html>\n";

  result.path = (fs::path(results_dir) / "report.html").lexically_normal().string();
  write_file(result.path, {html, json, tail});
  return result;
}

}  // namespace qtrader
