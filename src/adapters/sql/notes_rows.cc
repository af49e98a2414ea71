// The notes port (app/ports/notes.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/notes.h"

namespace octroi::sql {
namespace {

constexpr const char* kNoteColumns = "id, application_id, author, at, text";

class SqlNotes final : public NotesPort {
 public:
  explicit SqlNotes(TxContext& t) : t_(t) {}

  // Only on an application of the same authority: the note is written from the dossier's own
  // row, and none is written (StoreError) when the authority has no such dossier.
  std::int64_t insert_note(AuthorityId a, const NoteRecord& n) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "INSERT INTO application_notes (authority_id, application_id, author, at, text) "
        "SELECT authority_id, id, ?, ?, ? FROM applications WHERE authority_id = ? AND id = ? "
        "RETURNING id");
    Params(st).add(n.author).add(n.at).add(n.text).add(a).add(n.application);
    if (!st.step()) throw StoreError("application of the note not found");
    Row row(st);
    const std::int64_t id = row.int64();
    st.run();
    return id;
  }

  std::vector<NoteRecord> notes_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kNoteColumns +
                           " FROM application_notes WHERE authority_id = ? AND application_id = ? "
                           "ORDER BY id LIMIT 10000");
    Params(st).add(a.value).add(id.value);
    std::vector<NoteRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back({row.int64(), row.id<ApplicationId>(), row.text(), row.instant(), row.text()});
    }
    return out;
  }

 private:
  TxContext& t_;
};

}  // namespace

std::unique_ptr<NotesPort> notes_rows(TxContext& t) {
  return std::make_unique<SqlNotes>(t);
}

}  // namespace octroi::sql
