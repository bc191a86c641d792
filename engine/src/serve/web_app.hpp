// The web app at / (index.html, app.js, app.css), compiled into the binary
// (cmake/EmbedText.cmake) so the server needs no files and no network.
#pragma once

#include <optional>
#include <string>

#include "serve/http_types.hpp"

namespace qtrader::serve {

// The asset at `path` ("/" is index.html); nullopt for any other path.
std::optional<Response> web_app_file(const std::string& path);

}  // namespace qtrader::serve
