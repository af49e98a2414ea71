// The files port (app/ports/files.h) over sql::Connection. A file's bytes are stored hex-encoded
// in a text column (hex.h), once per authority and SHA-256.
#include <string>
#include <vector>

#include "adapters/sql/hex.h"
#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/files.h"

namespace octroi::sql {
namespace {

constexpr const char* kFileColumns =
    "id, authority_id, application_id, sha256, name, mime, size, piece, message_id, author_kind, "
    "author, applicant_account_id, at, scan, scanner, removed_at";

FileRecord file_row(Statement& st) {
  Row r(st);
  FileRecord f;
  f.id = r.int64();
  f.authority = r.id<AuthorityId>();
  f.application = r.id<ApplicationId>();
  f.sha256 = r.text();
  f.name = r.text();
  f.mime = r.text();
  f.size = r.int64();
  f.piece = r.text();
  f.message = r.opt_int64();
  f.author_kind = r.text();
  f.author = r.text();
  f.applicant_account_id = r.opt_int64();
  f.at = r.instant();
  f.scan = r.text();
  f.scanner = r.text();
  f.removed_at = r.opt_instant();
  return f;
}

class SqlFiles final : public FilesPort {
 public:
  explicit SqlFiles(TxContext& t) : t_(t) {}

  void put_content(AuthorityId a, const std::string& sha256, const std::string& bytes,
                   Instant at) override {
    t_.scope(a);
    // Two dossiers may attach the same bytes at once: the second insert is a no-op.
    Params(t_.c.prepare("INSERT INTO stored_files (authority_id, sha256, size, content_hex, "
                        "created_at) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING"))
        .add(a)
        .add(sha256)
        .add(static_cast<std::int64_t>(bytes.size()))
        .add(to_hex(bytes))
        .add(at)
        .run();
  }

  std::optional<std::string> content(AuthorityId a, const std::string& sha256) override {
    t_.scope(a);
    auto st =
        t_.c.prepare("SELECT content_hex FROM stored_files WHERE authority_id = ? AND sha256 = ?");
    Params(st).add(a).add(sha256);
    if (!st.step()) return std::nullopt;
    return from_hex_or_throw(st.text(0));
  }

  std::int64_t insert_file(const FileRecord& f) override {
    t_.scope(f.authority);
    return Params(t_.c.prepare("INSERT INTO application_files (authority_id, application_id, "
                               "sha256, name, mime, size, piece, message_id, author_kind, author, "
                               "applicant_account_id, at, scan, scanner) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id"))
        .add(f.authority)
        .add(f.application)
        .add(f.sha256)
        .add(f.name)
        .add(f.mime)
        .add(f.size)
        .add(f.piece)
        .add(f.message)
        .add(f.author_kind)
        .add(f.author)
        .add(f.applicant_account_id)
        .add(f.at)
        .add(f.scan)
        .add(f.scanner)
        .run_returning_id();
  }

  std::vector<FileRecord> files_of(AuthorityId a, ApplicationId app) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kFileColumns +
                           " FROM application_files WHERE authority_id = ? AND application_id = "
                           "? ORDER BY id LIMIT 10000");
    Params(st).add(a).add(app);
    std::vector<FileRecord> out;
    while (st.step())
      out.push_back(file_row(st));
    return out;
  }

  std::optional<FileRecord> get_file(AuthorityId a, ApplicationId app, std::int64_t id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kFileColumns +
                           " FROM application_files WHERE authority_id = ? AND application_id = "
                           "? AND id = ?");
    Params(st).add(a).add(app).add(id);
    if (!st.step()) return std::nullopt;
    return file_row(st);
  }

  bool remove_file(AuthorityId a, std::int64_t id, Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE application_files SET removed_at = ? WHERE authority_id = ? AND "
                        "id = ? AND removed_at IS NULL"))
        .add(at)
        .add(a)
        .add(id)
        .run();
    return t_.c.changes() == 1;
  }

 private:
  TxContext& t_;
};

}  // namespace

std::unique_ptr<FilesPort> files_rows(TxContext& t) {
  return std::make_unique<SqlFiles>(t);
}

}  // namespace octroi::sql
