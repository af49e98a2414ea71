// The templates port (app/ports/templates.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/templates.h"

namespace octroi::sql {
namespace {

class SqlTemplates final : public TemplatesPort {
 public:
  explicit SqlTemplates(TxContext& t) : t_(t) {}

  std::int64_t insert_template(const TemplateRecord& t) override {
    t_.scope(t.authority);
    return Params(
               t_.c.prepare(
                   "INSERT INTO document_templates (authority_id, name, version, adopted_by, "
                   "applies_from, applies_until, content, sha256, uploaded_by, uploaded_at, note) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id"))
        .add(t.authority.value)
        .add(t.name)
        .add(std::int64_t{t.version})
        .add(t.adopted_by)
        .add(t.applies_from.iso())
        .add(iso(t.applies_until))
        .add(t.content)
        .add(t.sha256)
        .add(t.uploaded_by)
        .add(t.uploaded_at)
        .add(t.note)
        .run_returning_id();
  }

  std::vector<TemplateRecord> list_templates(AuthorityId a, const std::string& name,
                                             bool with_content) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT id, authority_id, name, version, adopted_by, "
                                       "applies_from, applies_until, ") +
                           (with_content ? "content" : "''") +
                           ", sha256, uploaded_by, uploaded_at, note FROM document_templates "
                           "WHERE authority_id = ? AND (? = '' OR name = ?) "
                           "ORDER BY name, version LIMIT 10000");
    Params(st).add(a.value).add(name).add(name);
    std::vector<TemplateRecord> out;
    while (st.step()) {
      TemplateRecord t;
      Row row(st);
      t.id = row.int64();
      t.authority = row.id<AuthorityId>();
      t.name = row.text();
      t.version = row.integer();
      t.adopted_by = row.text();
      t.applies_from = row.date();
      t.applies_until = row.opt_date();
      t.content = row.text();
      t.sha256 = row.text();
      t.uploaded_by = row.text();
      t.uploaded_at = row.instant();
      t.note = row.text();
      out.push_back(std::move(t));
    }
    return out;
  }

 private:
  TxContext& t_;
};

}  // namespace

std::unique_ptr<TemplatesPort> templates_rows(TxContext& t) {
  return std::make_unique<SqlTemplates>(t);
}

}  // namespace octroi::sql
