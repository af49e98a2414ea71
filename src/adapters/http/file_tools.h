// The tools a dossier's file goes through on this site (app/files.h): libmagic's sniffer, the
// virus scanner the options name (clamd, or a test's), SHA-256; and how a file is sent back.
#pragma once

#include <memory>
#include <string>

#include "adapters/http/message.h"
#include "adapters/http/options.h"
#include "app/files.h"

namespace octroi::http {

class FileTools {
 public:
  FileTools(const ApiOptions& o, Hasher& sha256);
  ~FileTools();
  FileTools(const FileTools&) = delete;
  FileTools& operator=(const FileTools&) = delete;
  const FileServices& services() const { return services_; }

 private:
  std::unique_ptr<TypeSniffer> sniffer_;
  std::unique_ptr<FileScanner> clamd_;
  FileServices services_;
};

// A file's bytes as a download: its type, `Content-Disposition: attachment` with the name as an
// ASCII fallback and in full (RFC 6266, RFC 8187), sandboxed.
HttpResponse file_download(const FileRecord& f, std::string bytes);

// The file a multipart request carries in `field`, with the name the browser gave ("" bytes and
// name when there is none).
Upload upload_of(const HttpRequest& r, const std::string& field, const std::string& piece_field);

}  // namespace octroi::http
