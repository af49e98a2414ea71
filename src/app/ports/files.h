// The files of dossiers (issue 19): their bytes, stored once per authority under their SHA-256
// (content-addressed), and each file a dossier holds (its name, type, the required document it
// is, who gave it, the virus scan). Part of the Transaction port (app/ports.h): reached as
// tx.files(); the same thread-safety and failure contract (StoreError) as every port.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/instant.h"
#include "domain/ids.h"

namespace octroi {

struct FileRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  ApplicationId application;
  std::string sha256;  // 64 lower-case hexadecimal digits: the key of its bytes
  std::string name;    // as the applicant named it (last path segment)
  std::string mime;    // sniffed from the bytes
  std::int64_t size = 0;
  std::string piece;                    // the required document it is, or ""
  std::optional<std::int64_t> message;  // the message it came with, if any
  std::string author_kind;              // "applicant" | "agent"
  std::string author;                   // the applicant's e-mail, or the agent's actor
  std::optional<std::int64_t> applicant_account_id;
  Instant at;
  std::string scan;                   // "clean" | "not_scanned"
  std::string scanner;                // "clamd", "" when not scanned
  std::optional<Instant> removed_at;  // withdrawn by the applicant (kept for the audit trail)
};

class FilesPort {
 public:
  virtual ~FilesPort() = default;
  // Stores the bytes under their SHA-256 unless the authority already has them.
  virtual void put_content(AuthorityId a, const std::string& sha256, const std::string& bytes,
                           Instant at) = 0;
  virtual std::optional<std::string> content(AuthorityId a, const std::string& sha256) = 0;
  virtual std::int64_t insert_file(const FileRecord& f) = 0;
  // The dossier's files, oldest first.
  virtual std::vector<FileRecord> files_of(AuthorityId a, ApplicationId app) = 0;
  virtual std::optional<FileRecord> get_file(AuthorityId a, ApplicationId app, std::int64_t id) = 0;
  // False when it was already withdrawn.
  virtual bool remove_file(AuthorityId a, std::int64_t id, Instant at) = 0;
};

}  // namespace octroi
