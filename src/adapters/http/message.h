// An HTTP request and response as octroi's handlers see them, without any HTTP library: the
// server (server.h) turns each library request into an HttpRequest and back, so that every route
// is tested in-process and an upgrade of the HTTP library touches server.cc only.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace octroi::http {

struct HttpRequest {
  std::string method;  // "GET", "POST"…
  std::string path;    // decoded, without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  // multipart/form-data: the parts that carry a file, by field name (the other parts are in
  // `query`, as the fields of a urlencoded form).
  std::map<std::string, std::string> files;
  std::string remote_addr;
  std::string header(const std::string& lower_name) const;
  std::string cookie(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace octroi::http
