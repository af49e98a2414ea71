// The login form is defended against CSRF (issue 16, finding 6): its POST must carry the token
// GET /login put in a cookie and in the form. Tests that log in through the form do what a
// browser does: with_login_token fetches the form first and adds both to the POST.
#pragma once

#include <string>

#include "adapters/http/message.h"

namespace octroi_test {

// Adds the login form's token (field login_csrf, cookie octroi_login) to `post`, from the answer
// of GET /login that `handle` (the Api's or the router's) gives.
template <class Handle>
void with_login_token(octroi::http::HttpRequest& post, Handle&& handle) {
  octroi::http::HttpRequest form;
  form.method = "GET";
  form.path = "/login";
  form.remote_addr = post.remote_addr.empty() ? "127.0.0.1" : post.remote_addr;
  const auto page = handle(form);
  std::string token;
  for (const auto& [k, v] : page.headers)
    if (k == "Set-Cookie" && v.rfind("octroi_login=", 0) == 0)
      token = v.substr(13, v.find(';') - 13);
  post.query["login_csrf"] = token;
  const std::string cookie = post.header("cookie");
  post.headers["cookie"] = (cookie.empty() ? "" : cookie + "; ") + "octroi_login=" + token;
}

}  // namespace octroi_test
