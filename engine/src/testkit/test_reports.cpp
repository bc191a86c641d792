#include "testkit/test_reports.hpp"

#include <string>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "base/markup_escape.hpp"

namespace qtrader::testkit {

namespace {

std::string indented(const std::string& text, const std::string& pad) {
  std::string out = pad;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string xml_escaped(const std::string& s) { return markup_escaped(s); }

}  // namespace

void write_console_report(std::ostream& out, const SuiteResult& suite) {
  for (const auto& f : suite.files) {
    out << f.path << "\n";
    for (const auto& c : f.cases) {
      out << (c.passed ? "  ok    " : "  FAIL  ") << c.name << "\n";
      if (!c.passed) out << indented(c.message, "          ") << "\n";
    }
    if (!f.error.empty()) out << "  ERROR " << "\n" << indented(f.error, "          ") << "\n";
  }
  fmt::print(out, "{} passed, {} failed", suite.passed, suite.failed);
  if (suite.file_errors) fmt::print(out, ", {} test files could not run", suite.file_errors);
  fmt::print(out, " ({} files)\n", suite.files.size());
}

void write_tap_report(std::ostream& out, const SuiteResult& suite) {
  std::size_t total = 0;
  for (const auto& f : suite.files) total += f.cases.size() + (f.error.empty() ? 0 : 1);
  out << "TAP version 13\n1.." << total << "\n";
  std::size_t n = 0;
  for (const auto& f : suite.files) {
    for (const auto& c : f.cases) {
      fmt::print(out, "{} {} - {}: {}\n", c.passed ? "ok" : "not ok", ++n, f.path, c.name);
      if (!c.passed) out << "  ---\n  message: |\n" << indented(c.message, "    ") << "\n  ...\n";
    }
    if (!f.error.empty())
      fmt::print(out, "not ok {} - {}: (test file)\n  ---\n  message: |\n{}\n  ...\n", ++n, f.path,
                 indented(f.error, "    "));
  }
}

void write_junit_report(std::ostream& out, const SuiteResult& suite) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  fmt::print(out, "<testsuites name=\"qtrader test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
             suite.passed + suite.failed + suite.file_errors, suite.failed, suite.file_errors);
  for (const auto& f : suite.files) {
    std::size_t failures = 0;
    for (const auto& c : f.cases) failures += !c.passed;
    const bool error = !f.error.empty();
    fmt::print(out, "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n", xml_escaped(f.path),
               f.cases.size() + (error ? 1 : 0), failures, error ? 1 : 0);
    for (const auto& c : f.cases) {
      fmt::print(out, "    <testcase classname=\"{}\" name=\"{}\"", xml_escaped(f.path), xml_escaped(c.name));
      if (c.passed) {
        out << "/>\n";
        continue;
      }
      fmt::print(out, ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                 xml_escaped(first_line(c.message)), xml_escaped(c.message));
    }
    if (error)
      fmt::print(out,
                 "    <testcase classname=\"{0}\" name=\"(test file)\">\n"
                 "      <error message=\"{1}\">{2}</error>\n    </testcase>\n",
                 xml_escaped(f.path), xml_escaped(first_line(f.error)), xml_escaped(f.error));
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace qtrader::testkit
