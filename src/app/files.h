// The files of a dossier (issue 19): the pieces an applicant attaches on the portal (and the files
// of the exchange's messages), checked before anything is stored — not empty, at most the
// scheme's size, of a type the scheme accepts as sniffed from the bytes (never from the name or
// what the browser said), clean for the virus scanner when one is configured — and kept
// content-addressed (SHA-256) in the database, once per authority whatever the number of dossiers
// that hold them.
//
// Checking a file (sniffing, scanning) takes time and happens outside any transaction; the dossier
// is then checked again, and the file recorded, in one write transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/audit_chain.h"
#include "app/context.h"
#include "app/portal.h"
#include "app/ports.h"
#include "app/ports/files.h"
#include "app/ports/portal.h"
#include "core/result.h"

namespace octroi {

// What the bytes of a file are (libmagic: adapters/files).
class TypeSniffer {
 public:
  virtual ~TypeSniffer() = default;
  // The MIME type the bytes show ("application/pdf"; "application/octet-stream" when unknown).
  virtual std::string mime_of(std::string_view bytes) = 0;
};

// What a virus scanner said of a file.
struct ScanVerdict {
  enum class Kind { Clean, Infected, Failed };
  Kind kind = Kind::Failed;
  std::string detail;  // the signature found (Infected), why the scan failed (Failed)
};

// A virus scanner (clamd: adapters/files).
class FileScanner {
 public:
  virtual ~FileScanner() = default;
  virtual ScanVerdict scan(std::string_view bytes) = 0;
  virtual std::string name() const = 0;  // "clamd", recorded with each file
};

// The services a file goes through. `scanner` is null when none is configured: files are then
// recorded as not scanned (the agents' page says so).
struct FileServices {
  TypeSniffer* sniffer = nullptr;  // REQUIRED
  FileScanner* scanner = nullptr;
  Hasher* sha256 = nullptr;  // REQUIRED
};

// The hard bound of a file, whatever a scheme says (the upload limit of the transport is above
// it, with the form's framing).
inline constexpr std::int64_t kMaxFileBytes = 32 * 1024 * 1024;
// What one dossier may hold, withdrawn files and the messages' included (stored bytes are never
// deleted): a bound on what one account can make the database keep ("file.quota").
inline constexpr std::size_t kMaxFilesPerDossier = 100;
inline constexpr std::int64_t kMaxBytesPerDossier = 256 * 1024 * 1024;

struct Upload {
  std::string filename;  // as the browser gave it: only its last path segment is kept
  std::string bytes;
  std::string piece;  // the required document it is (a line of the scheme's list), or ""
};

// The name kept for a file: its last path segment, control characters refused
// ("file.name"), at most 200 bytes of UTF-8.
Result<std::string> clean_file_name(const std::string& name);
// A MIME type as people name it: "PDF" for application/pdf (the type itself when unknown).
std::string file_type_name(const std::string& mime);
// The MIME types a scheme accepts (its list, one per line).
std::vector<std::string> accepted_types(const SchemePortalRecord& s);
// The required documents of a scheme: the lines of its list without "facultatif" in them.
std::vector<std::string> required_pieces(const SchemePortalRecord& s);
// The required documents a dossier has no file for (current files only).
std::vector<std::string> missing_pieces(const SchemePortalRecord& s,
                                        const std::vector<FileRecord>& files);

// The applicant attaches a file to one of their dossiers while it is theirs to edit (draft, or
// returned for corrections): "portal.not_found", "portal.not_editable", "file.empty",
// "file.too_large", "file.type", "file.infected", "file.scan_failed", "file.piece".
Result<FileRecord> portal_attach_file(Store& store, const ApplicantContext& ac,
                                      const std::string& number, Upload up, const FileServices& fs);
// The applicant writes a message with a file (the file is checked as above, the message as
// portal_post_message; the dossier may be in any state).
Result<MessageRecord> portal_post_message_with_file(Store& store, const ApplicantContext& ac,
                                                    const std::string& number,
                                                    const std::string& text, Upload up,
                                                    const FileServices& fs);
// An agent answers the applicants with a file (the message as post_agent_message, the file
// checked against the dossier's scheme as an applicant's).
Result<MessageRecord> post_agent_message_with_file(Store& store, const Context& ctx,
                                                   const std::string& number,
                                                   const std::string& text, Upload up,
                                                   const FileServices& fs);
// Withdraws a file of a dossier the applicant may edit (it stays stored, for the audit trail).
Result<FileRecord> portal_remove_file(Transaction& tx, const ApplicantContext& ac,
                                      const std::string& number, std::int64_t file_id);

// The files of a dossier (withdrawn ones included, flagged), oldest first.
std::vector<FileRecord> dossier_files(Transaction& tx, AuthorityId a, ApplicationId app);
// One file of a dossier with its bytes: "file.not_found" when it is not one of that dossier's.
struct FileContent {
  FileRecord file;
  std::string bytes;
};
Result<FileContent> dossier_file(Transaction& tx, AuthorityId a, ApplicationId app,
                                 std::int64_t file_id);

class DocumentEngine;     // app/documents.h
class DocumentConverter;  // app/document_batch.h
// The PDF of the acknowledgement of receipt of the dossier's latest submission: made once (the
// built-in template "recepisse", converted outside any transaction) and kept as a file of the
// dossier (author "octroi"); the same bytes afterwards. "portal.no_receipt" before a submission.
Result<FileContent> portal_receipt_pdf(Store& store, const ApplicantContext& ac,
                                       const std::string& number, DocumentEngine& engine,
                                       DocumentConverter& converter, Hasher& sha256);

}  // namespace octroi
