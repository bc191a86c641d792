#include "serve/web_app.hpp"

#include <string_view>

namespace qtrader::serve::web {
extern const std::string_view kIndexPage;
extern const std::string_view kScript;
extern const std::string_view kStyle;
extern const std::string_view kChartLibrary;
}  // namespace qtrader::serve::web

namespace qtrader::serve {

std::optional<Response> web_app_file(const std::string& path) {
  struct Asset {
    const char* path;
    const std::string_view* bytes;
    const char* type;
  };
  static const Asset kAssets[] = {
      {"/", &web::kIndexPage, "text/html; charset=utf-8"},
      {"/index.html", &web::kIndexPage, "text/html; charset=utf-8"},
      {"/app.js", &web::kScript, "text/javascript; charset=utf-8"},
      {"/app.css", &web::kStyle, "text/css; charset=utf-8"},
      {"/lightweight-charts.js", &web::kChartLibrary, "text/javascript; charset=utf-8"},
  };
  for (const auto& a : kAssets) {
    if (path != a.path) continue;
    Response res{http::status::ok, 11};
    res.set(http::field::content_type, a.type);
    res.set(http::field::cache_control, "no-cache");
    res.body() = std::string(*a.bytes);
    res.prepare_payload();
    return res;
  }
  return std::nullopt;
}

}  // namespace qtrader::serve
