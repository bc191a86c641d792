// `signals:` entries: read and checked here; the file itself is read by the
// signals service when the run is prepared (engine/src/signals).
#include "config/signal_sources_config.hpp"

#include <charconv>

namespace qtrader {

std::optional<Timestamp> parse_latency(std::string_view text) {
  if (text == "0") return Timestamp{0};
  if (text.size() < 2) return std::nullopt;
  long long count = 0;
  const char* end = text.data() + text.size() - 1;
  const auto [p, ec] = std::from_chars(text.data(), end, count);
  if (ec != std::errc{} || p != end || count < 0 || count > 100000) return std::nullopt;
  constexpr Timestamp kSecond = 1'000'000'000;
  switch (text.back()) {
    case 's': return count * kSecond;
    case 'm': return count * 60 * kSecond;
    case 'h': return count * 3600 * kSecond;
    case 'd': return count * 86400 * kSecond;
    default: return std::nullopt;
  }
}

namespace config_detail {

std::vector<SignalSourceSpec> read_signal_sources(const YamlValue& list, const std::string& path) {
  std::vector<SignalSourceSpec> out;
  for (const YamlValue& item : list.items()) {
    const YamlMap m = item.map({"name", "file", "latency", "version", "embargo"});
    SignalSourceSpec s;
    s.where = item.where();
    s.name = m.require("name").text();
    for (const auto& seen : out)
      if (seen.name == s.name)
        item.fail("signal source '" + s.name + "' is listed twice (first at line " +
                  std::to_string(seen.where.line) + ")");
    s.file = resolve_against(path, m.require("file").text());
    m.read("version", s.version);
    if (const auto latency = m.get("latency")) {
      const auto ns = parse_latency(latency->text());
      if (!ns) latency->fail("latency must be a duration such as \"30s\", \"15m\", \"1h\" or \"1d\", got '" +
                             latency->text() + "'");
      s.latency = *ns;
      s.has_latency = true;
    }
    if (const auto embargo = m.get("embargo")) {
      const YamlMap e = embargo->map({"cutoff", "bars"});
      s.embargo_cutoff = e.require("cutoff").date();
      s.embargo_bars = e.require("bars").integer(Range::Positive);
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace config_detail
}  // namespace qtrader
