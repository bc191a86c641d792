// The request and response types every part of the server shares, and the
// JSON error response (400, 401, 404, ...) they all answer with.
#pragma once

#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace qtrader::serve {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// {"error": message} and, when given, {"field": field}.
Response json_error(http::status status, const std::string& message, const std::string& field = {});
Response json_response(http::status status, const std::string& json_text);

// The target's path, percent-decoded; empty when the encoding is malformed
// or decodes to a NUL.
std::string decoded_path(const std::string& target);
// The value of `name` in the target's query string, percent-decoded; empty when absent.
std::string query_value(const std::string& target, const std::string& name);

}  // namespace qtrader::serve
