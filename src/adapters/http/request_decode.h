// What the transport decodes from a request before the router sees it, as pure functions (no
// socket, no library): percent-decoding, query strings and urlencoded forms, multipart/form-data.
// adapters/http/server.cc calls them; tests/unit/http/request_decode_test.cc covers them.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace octroi::http {

// %XX sequences decoded (an invalid or truncated one is kept as it is); '+' becomes a space
// only when `plus_is_space` (query strings and forms, not paths). The result may not be UTF-8:
// the API refuses that by name.
std::string percent_decode(std::string_view s, bool plus_is_space);

// "a=1&b=x+y&c" -> {a: "1", b: "x y", c: ""} added to `out`; the first value of a repeated name
// is kept.
void parse_query(std::string_view text, std::map<std::string, std::string>& out);

// multipart/form-data: the parts without a filename go to `fields`, the parts with one to
// `files` (by field name; the first of a repeated name is kept), and the name the browser gave
// a file goes to `fields` as "<field name>.filename" (as the user typed it: never a path to
// trust). False when the body is not
// well-formed multipart for the boundary of `content_type` (no boundary, a part without a
// name, no closing delimiter): the request is then refused as malformed, never half-read.
bool parse_multipart(std::string_view content_type, std::string_view body,
                     std::map<std::string, std::string>& fields,
                     std::map<std::string, std::string>& files);

// The value of parameter `name` in a header value such as `multipart/form-data; boundary=x`
// or `form-data; name="f"; filename="a.fodt"` (quotes removed); "" when absent.
std::string header_parameter(std::string_view value, std::string_view name);

}  // namespace octroi::http
