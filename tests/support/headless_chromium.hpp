// Pages opened in a real headless Chromium (Debian's `chromium`, installed by
// setup.sh): the DOM after the page's scripts ran, or a screenshot.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "file_text.hpp"

namespace qtrader::test {

inline const std::string kChromium = "/usr/bin/chromium";

// Whether the Chromium checks can run: in CI they must.
inline bool have_chromium() {
  if (std::filesystem::exists(kChromium)) return true;
  if (std::getenv("CI") != nullptr) FAIL(kChromium << " is missing in CI: setup.sh installs Debian's chromium");
  WARN(kChromium << " is missing: the browser checks are skipped (apt-get install chromium)");
  return false;
}

// Runs headless Chromium on a local file with no network, no profile and no
// GPU; `mode` is "--dump-dom" or "--screenshot=PATH".
inline std::string chromium(const std::filesystem::path& page, const std::string& mode,
                            const std::filesystem::path& work) {
  std::filesystem::create_directories(work / "profile");
  const auto out = work / "stdout.txt", err = work / "stderr.txt";
  const std::string cmd =
      "timeout 120 " + kChromium +
      " --headless --no-sandbox --disable-gpu --disable-background-networking"
      " --disable-component-update --disable-sync --no-first-run --disable-extensions"
      " --hide-scrollbars --window-size=1280,2600 --virtual-time-budget=15000"
      " --user-data-dir='" + (work / "profile").string() + "' " + mode + " 'file://" +
      std::filesystem::absolute(page).string() + "' > '" + out.string() + "' 2> '" + err.string() + "'";
  const int rc = std::system(cmd.c_str());
  INFO("chromium stderr: " << file_text(err.string()));
  REQUIRE(rc == 0);
  return file_text(out.string());
}

// The value of the first `name="..."` attribute in a DOM dump, or "<absent>".
inline std::string dom_attribute(const std::string& dom, const std::string& name) {
  const auto at = dom.find(name + "=\"");
  if (at == std::string::npos) return "<absent>";
  const auto start = at + name.size() + 2;
  return dom.substr(start, dom.find('"', start) - start);
}

}  // namespace qtrader::test
