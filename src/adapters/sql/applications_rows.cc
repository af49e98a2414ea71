// The applications port (app/ports/applications.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/applications.h"

namespace octroi::sql {
namespace {

constexpr const char* kApplicationColumns =
    "id, authority_id, number, scheme_id, party_id, title, description, place, start_date, "
    "end_date, early_start, early_start_date, early_start_justification, reference_year, basis, "
    "state, submitted_on, proposed_award_cents, awarded_cents, award_date, award_deliberation, "
    "aid_regime, rule_award_cents, proposal_reason, requested_cents";

class SqlApplications final : public ApplicationsPort {
 public:
  explicit SqlApplications(TxContext& t) : t_(t) {}

  std::optional<Application> find_application(AuthorityId a, const std::string& number) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kApplicationColumns +
                           " FROM applications WHERE authority_id = ? AND number = ?");
    Params(st).add(a.value).add(number);
    if (!st.step()) return std::nullopt;
    Application app = application_row(st);
    load_plan(app);
    return app;
  }

  std::optional<Application> get_application(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kApplicationColumns +
                           " FROM applications WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    Application app = application_row(st);
    load_plan(app);
    return app;
  }

  std::vector<Application> list_applications(AuthorityId a, const ApplicationFilter& f) override {
    t_.scope(a);
    std::string match;
    std::string sql = std::string("SELECT ") + kApplicationColumns + " FROM applications" +
                      where_of(f, match) + " ORDER BY " + order_of(f) + " LIMIT ? OFFSET ?";
    auto st = t_.c.prepare(sql);
    Params p(st);
    bind_filter(p, a, f, match);
    p.add(std::clamp<std::int64_t>(f.limit, 1, 1000));
    p.add(std::max<std::int64_t>(0, f.offset));
    std::vector<Application> out;
    while (st.step())
      out.push_back(application_row(st));
    for (auto& app : out)
      load_plan(app);
    return out;
  }

  std::int64_t count_applications(AuthorityId a, const ApplicationFilter& f) override {
    t_.scope(a);
    std::string match;
    auto st = t_.c.prepare("SELECT count(*) FROM applications" + where_of(f, match));
    Params p(st);
    bind_filter(p, a, f, match);
    st.step();
    return Row(st).int64();
  }

  std::vector<SchemeTotals> totals_by_scheme(AuthorityId a) override {
    t_.scope(a);
    // Awarded: the award as it stands; proposed: the dossiers proposed, not yet voted (a refused
    // or withdrawn proposal counts for nothing).
    auto st = t_.c.prepare(
        "SELECT scheme_id, count(*), coalesce(sum(awarded_cents), 0), "
        "coalesce(sum(CASE WHEN state = 'proposed' THEN proposed_award_cents END), 0) "
        "FROM applications WHERE authority_id = ? GROUP BY scheme_id ORDER BY scheme_id");
    Params(st).add(a.value);
    std::vector<SchemeTotals> out;
    while (st.step()) {
      Row row(st);
      SchemeTotals t;
      t.scheme = row.id<SchemeId>();
      t.dossiers = row.int64();
      t.awarded = row.money();
      t.proposed = row.money();
      out.push_back(t);
    }
    return out;
  }

  std::vector<std::pair<ApplicationState, std::int64_t>> count_applications_by_state(
      AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT state, count(*) FROM applications WHERE authority_id = ? GROUP BY state");
    Params(st).add(a.value);
    std::vector<std::pair<ApplicationState, std::int64_t>> out;
    while (st.step()) {
      Row row(st);
      const auto state = row.parsed<ApplicationState>(parse_state, "state");
      out.emplace_back(state, row.int64());
    }
    return out;
  }

  std::int64_t max_application_number(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT coalesce(max(CAST(substr(number, 3) AS INTEGER)), 0) FROM applications "
        "WHERE authority_id = ?");
    Params(st).add(a.value);
    st.step();
    Row row(st);
    return row.int64();
  }

  ApplicationId insert_application(const Application& app) override {
    t_.scope(app.authority);
    auto st = t_.c.prepare(
        "INSERT INTO applications (authority_id, number, scheme_id, party_id, title, "
        "description, place, start_date, end_date, early_start, early_start_date, "
        "early_start_justification, reference_year, basis, state, submitted_on, "
        "proposed_award_cents, awarded_cents, award_date, award_deliberation, aid_regime, "
        "rule_award_cents, proposal_reason, requested_cents) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    Params p(st);
    p.add(app.authority).add(app.number).add(app.scheme).add(app.party);
    bind_application(p, app);
    const ApplicationId id{st.run_returning_id()};
    save_plan(app, id);
    return id;
  }

  void update_application(const Application& app) override {
    t_.scope(app.authority);
    auto st = t_.c.prepare(
        "UPDATE applications SET title = ?, description = ?, place = ?, start_date = ?, "
        "end_date = ?, early_start = ?, early_start_date = ?, early_start_justification = ?, "
        "reference_year = ?, basis = ?, state = ?, submitted_on = ?, proposed_award_cents = ?, "
        "awarded_cents = ?, award_date = ?, award_deliberation = ?, aid_regime = ?, "
        "rule_award_cents = ?, proposal_reason = ?, requested_cents = ?, party_id = ? "
        "WHERE authority_id = ? AND id = ?");
    Params p(st);
    bind_application(p, app);
    p.add(app.party).add(app.authority).add(app.id).run_later(1);  // the dossier exists
  }

  void replace_plan(const Application& app) override {
    t_.scope(app.authority);
    Params(t_.c.prepare("DELETE FROM plan_lines WHERE authority_id = ? AND application_id = ?"))
        .add(app.authority.value)
        .add(app.id.value)
        .run();
    save_plan(app, app.id);
  }

  void append_application_event(AuthorityId a, ApplicationId id,
                                const ApplicationEventRecord& e) override {
    t_.scope(a);
    Params(t_.c.prepare(
               "INSERT INTO application_events (authority_id, application_id, at, actor, event, "
               "from_state, to_state, reason) VALUES (?,?,?,?,?,?,?,?)"))
        .add(a.value)
        .add(id.value)
        .add(e.at)
        .add(e.actor)
        .add(e.event)
        .add(e.from_state)
        .add(e.to_state)
        .add(e.reason)
        .run_later();
  }

  std::vector<ApplicationEventRecord> application_history(AuthorityId a, ApplicationId id,
                                                          int newest) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT at, actor, event, from_state, to_state, reason FROM (SELECT id, at, actor, event, "
        "from_state, to_state, reason FROM application_events WHERE authority_id = ? AND "
        "application_id = ? ORDER BY id DESC LIMIT ?) AS newest ORDER BY id");
    Params(st).add(a.value).add(id.value).add(std::int64_t{newest});
    std::vector<ApplicationEventRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back({row.instant(), row.text(), row.text(), row.text(), row.text(), row.text()});
    }
    return out;
  }

  std::int64_t count_application_history(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT count(*) FROM application_events WHERE authority_id = ? AND application_id = ?");
    Params(st).add(a.value).add(id.value);
    return st.step() ? st.int64(0) : 0;
  }

  void append_beneficiary(AuthorityId a, ApplicationId id, const BeneficiaryRecord& r) override {
    t_.scope(a);
    Params(
        t_.c.prepare(
            "INSERT INTO application_beneficiaries (authority_id, application_id, party_id, since, "
            "deliberation) VALUES (?,?,?,?,?)"))
        .add(a.value)
        .add(id.value)
        .add(r.party.value)
        .add(r.since.iso())
        .add(r.deliberation)
        .run();
  }

  std::vector<BeneficiaryRecord> beneficiary_history(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT party_id, since, deliberation FROM application_beneficiaries "
        "WHERE authority_id = ? AND application_id = ? ORDER BY id");
    Params(st).add(a.value).add(id.value);
    std::vector<BeneficiaryRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back({row.id<PartyId>(), row.date(), row.text()});
    }
    return out;
  }

 private:
  // The WHERE clause of `f` (its parameters bound by bind_filter, in the same order); `match`
  // receives the full-text query.
  std::string where_of(const ApplicationFilter& f, std::string& match) const {
    std::string sql = " WHERE authority_id = ?";
    // Parameters are numbered in order of appearance: PostgreSQL wants every one used.
    if (f.state) sql += " AND state = ?";
    if (f.scheme) sql += " AND scheme_id = ?";
    if (f.party) sql += " AND party_id = ?";
    if (!f.departement.empty())
      sql += " AND party_id IN (SELECT id FROM parties WHERE authority_id = ? AND departement = ?)";
    if (f.session_date)
      sql +=
          " AND id IN (SELECT raa.application_id FROM report_article_applications raa "
          "JOIN report_articles ra ON ra.id = raa.article_id JOIN reports r ON r.id = ra.report_id "
          "JOIN committee_sessions cs ON cs.id = r.session_id "
          "WHERE cs.authority_id = ? AND cs.date = ? "
          "UNION SELECT ra.transfer_application_id FROM report_articles ra "
          "JOIN reports r ON r.id = ra.report_id JOIN committee_sessions cs ON cs.id = "
          "r.session_id "
          "WHERE cs.authority_id = ? AND cs.date = ? AND ra.transfer_application_id IS NOT NULL)";
    if (!f.states.empty()) {
      sql += " AND state IN (?";
      for (std::size_t i = 1; i < f.states.size(); ++i)
        sql += ", ?";
      sql += ")";
    }
    if (f.assignee)
      sql +=
          " AND id IN (SELECT application_id FROM application_assignments WHERE authority_id = ? "
          "AND user_id = ?)";
    if (f.unassigned)
      sql +=
          " AND id NOT IN (SELECT application_id FROM application_assignments WHERE "
          "authority_id = ?)";
    if (f.followed_by)
      sql +=
          " AND id IN (SELECT application_id FROM application_follows WHERE authority_id = ? AND "
          "user_id = ?)";
    if (f.service)
      sql +=
          " AND scheme_id IN (SELECT id FROM aid_schemes WHERE authority_id = ? AND service = ?)";
    if (!f.numbers.empty()) {
      sql += " AND number IN (?";
      for (std::size_t i = 1; i < f.numbers.size(); ++i)
        sql += ", ?";
      sql += ")";
    }
    match.clear();
    if (!f.words.empty()) {
      // The words come from text::search_words: letters and digits only, so neither FTS5's
      // nor tsquery's syntax can be injected; each is a prefix.
      if (t_.c.dialect() == Dialect::Postgres) {
        for (const auto& w : f.words)
          match += (match.empty() ? "" : " & ") + w + ":*";
        sql +=
            " AND id IN (SELECT application_id FROM application_search "
            "WHERE document @@ to_tsquery('simple', octroi_fold(?)))";
      } else {
        for (const auto& w : f.words)
          match += (match.empty() ? "\"" : " \"") + w + "\"*";
        sql += " AND id IN (SELECT rowid FROM application_search WHERE application_search MATCH ?)";
      }
    }
    if (!f.after_number.empty()) sql += " AND number > ?";
    return sql;
  }

  static void bind_filter(Params& p, AuthorityId a, const ApplicationFilter& f,
                          const std::string& match) {
    p.add(a);
    if (f.state) p.add(to_string(*f.state));
    if (f.scheme) p.add(*f.scheme);
    if (f.party) p.add(*f.party);
    if (!f.departement.empty()) p.add(a).add(f.departement);
    if (f.session_date)
      for (int twice = 0; twice < 2; ++twice)
        p.add(a).add(*f.session_date);
    for (const ApplicationState s : f.states)
      p.add(to_string(s));
    if (f.assignee) p.add(a).add(*f.assignee);
    if (f.unassigned) p.add(a);
    if (f.followed_by) p.add(a).add(*f.followed_by);
    if (f.service) p.add(a).add(*f.service);
    for (const auto& n : f.numbers)
      p.add(n);
    if (!f.words.empty()) p.add(match);
    if (!f.after_number.empty()) p.add(f.after_number);
  }

  // ORDER BY: the chosen column, then the number (unique) so that pages never overlap.
  static std::string order_of(const ApplicationFilter& f) {
    const char* dir = f.descending ? " DESC" : " ASC";
    switch (f.sort) {
      case ApplicationSort::Number:
        return std::string("number") + dir;
      case ApplicationSort::Beneficiary:
        return std::string(
                   "(SELECT lower(legal_name) FROM parties WHERE parties.id = "
                   "applications.party_id)") +
               dir + ", number";
      case ApplicationSort::Title:
        return std::string("lower(title)") + dir + ", number";
      case ApplicationSort::State:
        return std::string("state") + dir + ", number";
      case ApplicationSort::SubmittedOn:
        return std::string("COALESCE(submitted_on, '9999-12-31')") + dir + ", number";
      case ApplicationSort::Amount:
        return std::string("COALESCE(awarded_cents, proposed_award_cents, 0)") + dir + ", number";
    }
    return "number";
  }

  // The dossier's own fields, from title to requested_cents (20 parameters).
  static void bind_application(Params& p, const Application& app) {
    const auto& pr = app.project;
    p.add(pr.title).add(pr.description).add(pr.place).add(pr.start).add(pr.end);
    p.add(app.early_start.requested).add(app.early_start.date).add(app.early_start.justification);
    p.add(app.reference_year).add(to_string(app.basis)).add(to_string(app.state()));
    p.add(app.submitted_on).add(app.proposed_award);
    if (app.award)
      p.add(app.award->amount).add(app.award->date).add(app.award->deliberation);
    else
      p.null().null().null();
    p.add(to_string(app.aid_regime)).add(app.rule_award).add(app.proposal_reason);
    p.add(app.requested_amount);
  }

  static Application application_row(const Statement& st) {
    Row row(st);
    Application app;
    app.id = row.id<ApplicationId>();
    app.authority = row.id<AuthorityId>();
    app.number = row.text();
    app.scheme = row.id<SchemeId>();
    app.party = row.id<PartyId>();
    auto& pr = app.project;
    pr.title = row.text();
    pr.description = row.text();
    pr.place = row.text();
    pr.start = row.date();
    pr.end = row.date();
    app.early_start.requested = row.flag();
    app.early_start.date = row.opt_date();
    app.early_start.justification = row.text();
    app.reference_year = row.integer();
    app.basis = row.text() == "HT" ? AmountBasis::ExclTax : AmountBasis::InclTax;
    app.restore_state(row.parsed<ApplicationState>(parse_state, "state"));
    app.submitted_on = row.opt_date();
    app.proposed_award = row.opt_money();
    if (row.is_null()) {
      row.skip(3);
    } else {
      const Money amount = row.money();
      const Date on = row.date();
      app.award = Award{amount, on, row.text()};
    }
    app.aid_regime = row.parsed<AidRegime>(parse_aid_regime, "aid regime");
    app.rule_award = row.opt_money();
    app.proposal_reason = row.text();
    app.requested_amount = row.opt_money();
    return app;
  }

  void load_plan(Application& app) {
    auto st = t_.c.prepare(
        "SELECT side, label, amount_cents, eligible, resource_kind, status FROM plan_lines "
        "WHERE authority_id = ? AND application_id = ? ORDER BY side, position");
    Params(st).add(app.authority.value).add(app.id.value);
    while (st.step()) {
      Row row(st);
      const bool expense = row.text() == "expense";
      std::string label = row.text();
      const Money amount = row.money();
      if (expense) {
        app.plan.expenses.push_back({std::move(label), amount, row.flag()});
      } else {
        const std::string kind = row.skip().opt_text().value_or("");
        app.plan.resources.push_back(
            {std::move(label), amount,
             parse_or_throw<ResourceKind>(kind, parse_resource_kind, "resource kind"), row.text()});
      }
    }
  }

  void save_plan(const Application& app, ApplicationId id) {
    auto st = t_.c.prepare(
        "INSERT INTO plan_lines (authority_id, application_id, side, position, label, "
        "amount_cents, eligible, resource_kind, status) VALUES (?,?,?,?,?,?,?,?,?)");
    int pos = 0;
    for (const auto& l : app.plan.expenses) {
      st.reset();
      Params(st)
          .add(app.authority)
          .add(id)
          .add("expense")
          .add(++pos)
          .add(l.label)
          .add(l.amount)
          .add(l.eligible)
          .null()
          .add("")
          .run();
    }
    pos = 0;
    for (const auto& l : app.plan.resources) {
      st.reset();
      Params(st)
          .add(app.authority)
          .add(id)
          .add("resource")
          .add(++pos)
          .add(l.label)
          .add(l.amount)
          .add(true)
          .add(to_string(l.kind))
          .add(l.status)
          .run();
    }
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<ApplicationsPort> applications_rows(TxContext& t) {
  return std::make_unique<SqlApplications>(t);
}

}  // namespace octroi::sql
