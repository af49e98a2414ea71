#include "adapters/http/file_tools.h"

#include <cstdio>

#include "adapters/files/clamd_scanner.h"
#include "adapters/files/magic_sniffer.h"

namespace octroi::http {

FileTools::FileTools(const ApiOptions& o, Hasher& sha256)
    : sniffer_(std::make_unique<files::MagicSniffer>()) {
  if (!o.scanner && !o.clamd.empty())
    clamd_ = std::make_unique<files::ClamdScanner>(o.clamd, o.clamd_timeout_ms);
  services_.sniffer = sniffer_.get();
  services_.scanner = o.scanner ? o.scanner : clamd_.get();
  services_.sha256 = &sha256;
}

FileTools::~FileTools() = default;

HttpResponse file_download(const FileRecord& f, std::string bytes) {
  std::string ascii, encoded;
  for (unsigned char c : f.name) {
    const bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       c == '.' || c == '-' || c == '_';
    // One '_' a character that is not plain ASCII (not one a byte of its UTF-8).
    if (c < 0x80 || c >= 0xC0) ascii.push_back(plain || c == ' ' ? static_cast<char>(c) : '_');
    if (plain) {
      encoded.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      encoded += hex;
    }
  }
  HttpResponse r;
  r.content_type = f.mime;
  r.body = std::move(bytes);
  r.headers.push_back({"Content-Disposition",
                       "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded});
  // The server adds nosniff and no-store to every answer; a file opened in a tab runs nothing.
  r.headers.push_back({"Content-Security-Policy", "sandbox"});
  return r;
}

Upload upload_of(const HttpRequest& r, const std::string& field, const std::string& piece_field) {
  Upload up;
  if (const auto f = r.files.find(field); f != r.files.end()) up.bytes = f->second;
  if (const auto n = r.query.find(field + ".filename"); n != r.query.end()) up.filename = n->second;
  if (const auto p = r.query.find(piece_field); p != r.query.end()) up.piece = p->second;
  return up;
}

}  // namespace octroi::http
