#include "library/semver.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace qtrader {

namespace {

bool parse_number(std::string_view s, int& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool is_wildcard(std::string_view s) { return s == "x" || s == "X" || s == "*"; }

// "1", "1.2", "1.2.3", "1.x", "1.2.*" (with an optional leading "v"): the
// numbers given, `parts` how many (0 to 3; wildcards end the count).
struct Partial {
  Version version;
  int parts = 0;
};

std::optional<Partial> parse_partial(std::string_view s) {
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  Partial p;
  std::string_view rest = s;
  const auto dash = rest.find('-');
  if (dash != std::string_view::npos) {
    p.version.prerelease = std::string(rest.substr(dash + 1));
    rest = rest.substr(0, dash);
    if (p.version.prerelease.empty()) return std::nullopt;
  }
  int* fields[3] = {&p.version.major, &p.version.minor, &p.version.patch};
  bool wild = false;
  for (int i = 0; i < 3 && !rest.empty(); ++i) {
    const auto dot = rest.find('.');
    const std::string_view part = rest.substr(0, dot);
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    if (dot != std::string_view::npos && rest.empty()) return std::nullopt;  // "1."
    if (is_wildcard(part)) {
      wild = true;
    } else {
      if (wild || !parse_number(part, *fields[i])) return std::nullopt;
      ++p.parts;
    }
  }
  if (!rest.empty()) return std::nullopt;
  if (p.parts < 3 && !p.version.prerelease.empty()) return std::nullopt;
  return p;
}

int compare_prerelease(const std::string& a, const std::string& b) {
  if (a == b) return 0;
  if (a.empty()) return 1;  // a release is newer than its prereleases
  if (b.empty()) return -1;
  std::string_view x = a, y = b;
  while (!x.empty() && !y.empty()) {
    const auto xd = x.find('.'), yd = y.find('.');
    const std::string_view xp = x.substr(0, xd), yp = y.substr(0, yd);
    int xn = 0, yn = 0;
    const bool xnum = parse_number(xp, xn), ynum = parse_number(yp, yn);
    if (xnum && ynum && xn != yn) return xn < yn ? -1 : 1;
    if (xnum != ynum) return xnum ? -1 : 1;  // numeric identifiers sort first
    if (!xnum && xp != yp) return xp < yp ? -1 : 1;
    x = xd == std::string_view::npos ? std::string_view{} : x.substr(xd + 1);
    y = yd == std::string_view::npos ? std::string_view{} : y.substr(yd + 1);
  }
  return x.empty() == y.empty() ? 0 : (x.empty() ? -1 : 1);
}

Version bump(const Partial& p, int at) {  // the first version past the partial's last given part
  Version v;
  v.major = p.version.major;
  if (at >= 1) v.minor = p.version.minor;
  if (at == 0) ++v.major;
  else if (at == 1) ++v.minor;
  else {
    v.patch = p.version.patch + 1;
  }
  return v;
}

}  // namespace

std::string Version::text() const {
  return prerelease.empty() ? fmt::format("{}.{}.{}", major, minor, patch)
                            : fmt::format("{}.{}.{}-{}", major, minor, patch, prerelease);
}

std::optional<Version> parse_version(std::string_view text) {
  const auto plus = text.find('+');
  if (plus != std::string_view::npos) text = text.substr(0, plus);
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) return std::nullopt;
  auto p = parse_partial(text);
  if (!p || p->parts != 3) return std::nullopt;
  return p->version;
}

int compare(const Version& a, const Version& b) noexcept {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return compare_prerelease(a.prerelease, b.prerelease);
}

std::optional<VersionRange> VersionRange::parse(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<VersionRange> {
    if (error) *error = why;
    return std::nullopt;
  };
  VersionRange range;
  range.text_ = std::string(text);
  std::string_view rest = text;
  while (true) {
    const auto bar = rest.find("||");
    std::string_view alt = rest.substr(0, bar);
    std::vector<Bound> bounds;
    std::size_t i = 0;
    while (i < alt.size()) {
      while (i < alt.size() && std::isspace(static_cast<unsigned char>(alt[i]))) ++i;
      if (i >= alt.size()) break;
      std::size_t j = i;
      while (j < alt.size() && (alt[j] == '<' || alt[j] == '>' || alt[j] == '=' || alt[j] == '^' || alt[j] == '~'))
        ++j;
      const std::string_view op = alt.substr(i, j - i);
      while (j < alt.size() && std::isspace(static_cast<unsigned char>(alt[j]))) ++j;  // ">= 1.2"
      std::size_t k = j;
      while (k < alt.size() && !std::isspace(static_cast<unsigned char>(alt[k]))) ++k;
      const std::string_view ver = alt.substr(j, k - j);
      i = k;
      const auto p = parse_partial(ver);
      if (!p)
        return fail(fmt::format("'{}' is not a version (expected MAJOR.MINOR.PATCH, or a prefix of one "
                                "such as 1.2 or 1.x)", ver));
      const Version lo = p->version;
      if (op == "^") {
        // The leftmost non-zero part given may not change: ^1.2 <2.0.0, ^0.2 <0.3.0, ^0.0.3 <0.0.4.
        const int at = p->parts == 0                                   ? -1
                       : (lo.major != 0 || p->parts == 1)                ? 0
                       : (lo.minor != 0 || p->parts == 2)                ? 1
                                                                         : 2;
        bounds.push_back({Bound::Ge, lo});
        if (at >= 0) bounds.push_back({Bound::Lt, bump(*p, at)});
      } else if (op == "~") {
        bounds.push_back({Bound::Ge, lo});
        if (p->parts >= 1) bounds.push_back({Bound::Lt, bump(*p, p->parts == 1 ? 0 : 1)});
      } else if (op.empty() || op == "=") {
        if (p->parts == 3) {
          bounds.push_back({Bound::Eq, lo});
        } else if (p->parts > 0) {
          bounds.push_back({Bound::Ge, lo});
          bounds.push_back({Bound::Lt, bump(*p, p->parts - 1)});
        }
      } else if (op == ">=") {
        bounds.push_back({Bound::Ge, lo});
      } else if (op == ">") {
        if (p->parts == 3) bounds.push_back({Bound::Gt, lo});
        else if (p->parts > 0) bounds.push_back({Bound::Ge, bump(*p, p->parts - 1)});
        else bounds.push_back({Bound::Lt, Version{}});  // ">*": nothing
      } else if (op == "<") {
        bounds.push_back({Bound::Lt, lo});
      } else if (op == "<=") {
        if (p->parts == 3) bounds.push_back({Bound::Le, lo});
        else if (p->parts > 0) bounds.push_back({Bound::Lt, bump(*p, p->parts - 1)});
      } else {
        return fail(fmt::format("unknown operator '{}' (expected ^, ~, =, >=, >, <=, <)", op));
      }
    }
    range.alternatives_.push_back(std::move(bounds));
    if (bar == std::string_view::npos) break;
    rest = rest.substr(bar + 2);
  }
  return range;
}

bool VersionRange::contains(const Version& v) const noexcept {
  for (const auto& bounds : alternatives_) {
    bool ok = true;
    for (const auto& b : bounds) {
      const int c = compare(v, b.version);
      switch (b.op) {
        case Bound::Ge: ok = c >= 0; break;
        case Bound::Gt: ok = c > 0; break;
        case Bound::Le: ok = c <= 0; break;
        case Bound::Lt: ok = c < 0; break;
        case Bound::Eq: ok = c == 0; break;
      }
      if (!ok) break;
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace qtrader
