#include "sweep/sweep_report.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/markup_escape.hpp"
#include "report/page_assets.hpp"

namespace qtrader {

namespace sweep_page {
extern const std::string_view kStyle;   // assets/sweep_report.css
extern const std::string_view kScript;  // assets/sweep_report.js
}  // namespace sweep_page

std::string sweep_title(const std::string& backtest, const std::vector<SweepAxis>& axes) {
  return std::filesystem::path(backtest).filename().string() + ": " + grid_text(axes);
}

void write_sweep_report(const std::string& dir, const std::string& title, const std::vector<SweepAxis>& axes,
                        const std::map<std::size_t, SweepRow>& rows, std::size_t total,
                        const std::string& metric) {
  nlohmann::json data;
  data["metric"] = metric;
  data["metrics"] = sweep_metric_names();
  data["top"] = 10;
  data["bins"] = 20;
  data["axes"] = nlohmann::json::array();
  for (const auto& a : axes) data["axes"].push_back({{"name", a.name}, {"values", a.values}});
  std::size_t failed = 0;
  auto& out_rows = data["rows"] = nlohmann::json::array();
  for (const auto& [point, row] : rows) {
    nlohmann::json metrics = nlohmann::json::array();
    for (std::size_t i = 0; i < sweep_metric_names().size(); ++i) {
      const double v = sweep_metric_value(row, sweep_metric_names()[i]);
      metrics.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json());
    }
    failed += row.status != "done";
    out_rows.push_back({{"point", point}, {"values", row.values}, {"status", row.status}, {"metrics", metrics}});
  }
  // "</" would end the script element early, whatever the JSON around it.
  std::string json = data.dump();
  for (std::size_t at = 0; (at = json.find("</", at)) != std::string::npos; at += 3) json.replace(at, 2, "<\\/");

  std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>";
  html += markup_escaped("qtrader sweep: " + title) + "</title>\n<style>";
  html += sweep_page::kStyle;
  html += "</style>\n<script>";
  html += report::kErrorTrap;
  html += "</script>\n</head><body>\n<h1>" + markup_escaped(title) + "</h1>\n";
  html += fmt::format("<p class=\"meta\">{} of {} points finished, {} failed</p>\n", rows.size(), total, failed);
  html += "<p><label>metric <select id=\"metric\"></select></label><label>across <select id=\"x-axis\">"
          "</select></label><label>down <select id=\"y-axis\"></select></label></p>\n"
          "<h2>Heatmap (best over the other axes)</h2>\n<table id=\"heatmap\"></table>\n"
          "<h2>Best points</h2>\n<table id=\"best\"></table>\n"
          "<h2>Distribution</h2>\n<div id=\"histogram\"></div>\n<div class=\"axis\" id=\"histogram-axis\"></div>\n"
          "<script type=\"application/json\" id=\"qtrader-sweep-data\">";
  html += json;
  html += "</script>\n<script>";
  html += sweep_page::kScript;
  html += "</script>\n</body></html>\n";

  const std::string path = (std::filesystem::path(dir) / "sweep.html").string();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << html;
    if (!out) throw std::runtime_error(fmt::format("{}: cannot write", tmp));
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace qtrader
