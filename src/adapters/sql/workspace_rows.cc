// The workspace port (app/ports/workspace.h) over sql::Connection.
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/workspace.h"

namespace octroi::sql {
namespace {

class SqlWorkspace final : public WorkspacePort {
 public:
  explicit SqlWorkspace(TxContext& t) : t_(t) {}

  std::optional<AssignmentRecord> assignment_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT application_id, user_id, assigned_at, assigned_by FROM application_assignments "
        "WHERE authority_id = ? AND application_id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    Row row(st);
    AssignmentRecord r;
    r.application = row.id<ApplicationId>();
    r.user_id = row.int64();
    r.at = row.instant();
    r.by = row.text();
    return r;
  }

  void set_assignment(AuthorityId a, ApplicationId id,
                      const std::optional<AssignmentRecord>& r) override {
    t_.scope(a);
    Params(t_.c.prepare(
               "DELETE FROM application_assignments WHERE authority_id = ? AND application_id = ?"))
        .add(a.value)
        .add(id.value)
        .run();
    if (!r) return;
    Params(t_.c.prepare("INSERT INTO application_assignments (application_id, authority_id, "
                        "user_id, assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?)"))
        .add(id.value)
        .add(a.value)
        .add(r->user_id)
        .add(r->at)
        .add(r->by)
        .run();
  }

  std::vector<ApplicationId> assigned_to(AuthorityId a, std::int64_t user_id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT application_id FROM application_assignments WHERE authority_id = ? AND "
        "user_id = ? ORDER BY application_id");
    Params(st).add(a.value).add(user_id);
    std::vector<ApplicationId> out;
    while (st.step())
      out.push_back(Row(st).id<ApplicationId>());
    return out;
  }

  bool follows(AuthorityId a, ApplicationId id, std::int64_t user_id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT 1 FROM application_follows WHERE authority_id = ? AND application_id = ? AND "
        "user_id = ?");
    Params(st).add(a.value).add(id.value).add(user_id);
    return st.step();
  }

  void set_follow(AuthorityId a, ApplicationId id, std::int64_t user_id, bool on,
                  Instant at) override {
    t_.scope(a);
    if (!on) {
      Params(t_.c.prepare("DELETE FROM application_follows WHERE authority_id = ? AND "
                          "application_id = ? AND user_id = ?"))
          .add(a.value)
          .add(id.value)
          .add(user_id)
          .run();
      return;
    }
    if (follows(a, id, user_id)) return;
    Params(t_.c.prepare("INSERT INTO application_follows (application_id, user_id, authority_id, "
                        "since) VALUES (?, ?, ?, ?)"))
        .add(id.value)
        .add(user_id)
        .add(a.value)
        .add(at)
        .run();
  }

  std::vector<OpinionRecord> opinions_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kOpinionColumns +
                           " FROM application_opinions WHERE authority_id = ? AND "
                           "application_id = ? ORDER BY id LIMIT 1000");
    Params(st).add(a.value).add(id.value);
    std::vector<OpinionRecord> out;
    while (st.step())
      out.push_back(opinion_row(st));
    return out;
  }

  std::optional<OpinionRecord> get_opinion(AuthorityId a, std::int64_t id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kOpinionColumns +
                           " FROM application_opinions WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id);
    if (!st.step()) return std::nullopt;
    return opinion_row(st);
  }

  std::int64_t insert_opinion(AuthorityId a, const OpinionRecord& o) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "INSERT INTO application_opinions (authority_id, application_id, service, question, "
        "requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    Params(st)
        .add(a.value)
        .add(o.application)
        .add(o.service)
        .add(o.question)
        .add(o.requested_by)
        .add(o.requested_at);
    if (!st.step()) throw StoreError("opinion not inserted");
    const std::int64_t id = Row(st).int64();
    st.run();
    return id;
  }

  bool answer_opinion(AuthorityId a, const OpinionRecord& o) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE application_opinions SET opinion = ?, answer = ?, answered_by = "
                        "?, answered_at = ? WHERE authority_id = ? AND id = ? AND opinion IS NULL"))
        .add(o.opinion)
        .add(o.answer)
        .add(o.answered_by)
        .add(o.answered_at)
        .add(a.value)
        .add(o.id)
        .run();
    return t_.c.changes() == 1;
  }

  std::vector<SavedFilterRecord> saved_filters(AuthorityId a, std::int64_t user_id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, user_id, name, query, created_at FROM saved_filters WHERE authority_id = ? "
        "AND user_id = ? ORDER BY name, id LIMIT 200");
    Params(st).add(a.value).add(user_id);
    std::vector<SavedFilterRecord> out;
    while (st.step()) {
      Row row(st);
      SavedFilterRecord f;
      f.id = row.int64();
      f.user_id = row.int64();
      f.name = row.text();
      f.query = row.text();
      f.created_at = row.instant();
      out.push_back(std::move(f));
    }
    return out;
  }

  std::int64_t insert_saved_filter(AuthorityId a, const SavedFilterRecord& f) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "INSERT INTO saved_filters (authority_id, user_id, name, query, created_at) "
        "VALUES (?, ?, ?, ?, ?) RETURNING id");
    Params(st).add(a.value).add(f.user_id).add(f.name).add(f.query).add(f.created_at);
    if (!st.step()) throw StoreError("saved filter not inserted");
    const std::int64_t id = Row(st).int64();
    st.run();
    return id;
  }

  bool delete_saved_filter(AuthorityId a, std::int64_t user_id, std::int64_t id) override {
    t_.scope(a);
    Params(
        t_.c.prepare("DELETE FROM saved_filters WHERE authority_id = ? AND user_id = ? AND id = ?"))
        .add(a.value)
        .add(user_id)
        .add(id)
        .run();
    return t_.c.changes() == 1;
  }

  std::vector<std::string> services_asked(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT service FROM application_opinions WHERE authority_id = ? AND opinion IS NULL");
    Params(st).add(a.value);
    std::vector<std::string> out;
    while (st.step())
      out.push_back(Row(st).text());
    return out;
  }

  std::vector<VisaRecord> visas_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, application_id, round, level, decision, actor, user_id, given_on, given_at, "
        "comment "
        "FROM application_visas WHERE authority_id = ? AND application_id = ? "
        "ORDER BY round, level");
    Params(st).add(a.value).add(id.value);
    std::vector<VisaRecord> out;
    while (st.step()) {
      Row row(st);
      VisaRecord v;
      v.id = row.int64();
      v.application = row.id<ApplicationId>();
      v.round = static_cast<int>(row.int64());
      v.level = static_cast<int>(row.int64());
      v.decision = row.text();
      v.actor = row.text();
      v.user_id = row.opt_int64();
      v.on = row.date();
      v.at = row.instant();
      v.comment = row.text();
      out.push_back(std::move(v));
    }
    return out;
  }

  void insert_visa(AuthorityId a, const VisaRecord& v) override {
    t_.scope(a);
    Params(t_.c.prepare("INSERT INTO application_visas (authority_id, application_id, round, "
                        "level, decision, actor, user_id, given_on, given_at, comment) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        .add(a.value)
        .add(v.application.value)
        .add(v.round)
        .add(v.level)
        .add(v.decision)
        .add(v.actor)
        .add(v.user_id)
        .add(v.on)
        .add(v.at)
        .add(v.comment)
        .run();
  }

 private:
  static constexpr const char* kOpinionColumns =
      "id, application_id, service, question, requested_by, requested_at, opinion, answer, "
      "answered_by, answered_at";

  static OpinionRecord opinion_row(const Statement& st) {
    Row row(st);
    OpinionRecord o;
    o.id = row.int64();
    o.application = row.id<ApplicationId>();
    o.service = row.text();
    o.question = row.text();
    o.requested_by = row.text();
    o.requested_at = row.instant();
    o.opinion = row.opt_text().value_or("");
    o.answer = row.text();
    o.answered_by = row.opt_text().value_or("");
    if (auto at = row.opt_text()) o.answered_at = instant_of(*at);
    return o;
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<WorkspacePort> workspace_rows(TxContext& t) {
  return std::make_unique<SqlWorkspace>(t);
}

}  // namespace octroi::sql
