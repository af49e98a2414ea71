#include "adapters/http/message.h"

#include "adapters/http/options.h"

namespace octroi::http {

std::string HttpRequest::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpRequest::cookie(const std::string& name) const {
  const std::string all = header("cookie");
  std::size_t at = 0;
  while (at < all.size()) {
    std::size_t end = all.find(';', at);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(at, end - at);
    const auto first = part.find_first_not_of(' ');
    part = first == std::string::npos ? "" : part.substr(first);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

}  // namespace octroi::http

namespace octroi::http {

bool secure_cookie(const ApiOptions& o, const std::string& remote_addr) {
  if (o.secure_cookies) return true;
  if (o.insecure_cookies) return false;
  const bool loopback = remote_addr.rfind("127.", 0) == 0 || remote_addr == "::1" ||
                        remote_addr.rfind("::ffff:127.", 0) == 0;
  return !loopback;
}

std::string session_cookie(const ApiOptions& o, const std::string& remote_addr,
                           const std::string& token) {
  return "octroi_session=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
         (secure_cookie(o, remote_addr) ? "; Secure" : "");
}

}  // namespace octroi::http
