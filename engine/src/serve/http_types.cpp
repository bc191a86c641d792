#include "serve/http_types.hpp"

#include <nlohmann/json.hpp>

namespace qtrader::serve {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// false for a malformed escape or a NUL.
bool percent_decode(const std::string& in, std::string& out, bool plus_is_space) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return false;
    out.push_back(c);
  }
  return true;
}

}  // namespace

Response json_response(http::status status, const std::string& json_text) {
  Response res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.body() = json_text;
  res.prepare_payload();
  return res;
}

Response json_error(http::status status, const std::string& message, const std::string& field) {
  nlohmann::ordered_json body{{"error", message}};
  if (!field.empty()) body["field"] = field;
  return json_response(status, body.dump());
}

std::string decoded_path(const std::string& target) {
  const std::string raw = target.substr(0, target.find('?'));
  std::string out;
  return percent_decode(raw, out, false) ? out : std::string();
}

std::string query_value(const std::string& target, const std::string& name) {
  const auto q = target.find('?');
  if (q == std::string::npos) return {};
  std::size_t pos = q + 1;
  while (pos <= target.size()) {
    auto amp = target.find('&', pos);
    if (amp == std::string::npos) amp = target.size();
    const std::string pair = target.substr(pos, amp - pos);
    const auto eq = pair.find('=');
    std::string key, value;
    if (percent_decode(pair.substr(0, eq), key, true) && key == name) {
      if (eq == std::string::npos) return {};
      return percent_decode(pair.substr(eq + 1), value, true) ? value : std::string();
    }
    pos = amp + 1;
  }
  return {};
}

}  // namespace qtrader::serve
