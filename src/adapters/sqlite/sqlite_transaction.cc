// The SQLite implementation of the Transaction port: row mapping for every aggregate.
#include <algorithm>

#include "adapters/sqlite/sqlite_store.h"

namespace octroi::sqlite {
namespace {

std::optional<std::string> iso(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->iso();
}

Date date_of(const std::string& s) {
  auto r = Date::parse(s, "db");
  if (!r.ok()) throw StoreError("corrupt date in database: " + s);
  return r.value();
}

std::optional<Date> opt_date(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return date_of(*s);
}

std::optional<std::int64_t> cents(const std::optional<Money>& m) {
  if (!m) return std::nullopt;
  return m->cents();
}

std::optional<Money> money(const std::optional<std::int64_t>& c) {
  if (!c) return std::nullopt;
  return Money::from_cents(*c);
}

template <class E, class F>
E parse_or_throw(const std::string& s, F parse, const char* what) {
  E e{};
  if (!parse(s, e)) throw StoreError(std::string("corrupt ") + what + " in database: " + s);
  return e;
}

constexpr const char* kSchemeColumns =
    "id, authority_id, number, name, framework_deliberation, section, budget_imputation, "
    "budget_action, opens_on, closes_on, rule_kind, rate_numerator, rate_denominator, "
    "rate_rounding, base, step_cents, step_rounding, cap_cents, not_above_request, fixed_cents";

constexpr const char* kPartyColumns =
    "id, authority_id, legal_name, siren, siret, rna, naf, legal_status, recovers_vat, "
    "rep_civility, rep_first_name, rep_last_name, rep_role, address_line1, address_line2, "
    "postal_code, city, insee_code, departement";

constexpr const char* kApplicationColumns =
    "id, authority_id, number, scheme_id, party_id, title, description, place, start_date, "
    "end_date, early_start, early_start_date, early_start_justification, reference_year, basis, "
    "state, submitted_on, proposed_award_cents, awarded_cents, award_date, award_deliberation";

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteStore& store, Connection c, TxMode mode)
      : store_(store), c_(std::move(c)) {
    c_.exec(mode == TxMode::Write ? "BEGIN IMMEDIATE" : "BEGIN");
    open_ = true;
  }

  ~SqliteTransaction() override {
    if (open_) {
      try {
        c_.exec("ROLLBACK");
      } catch (...) {
        return;  // the connection is in an unknown state: drop it rather than pool it
      }
    }
    store_.give_back(std::move(c_));
  }

  void commit() override {
    c_.exec("COMMIT");
    open_ = false;
  }

  // ---- authorities
  std::optional<Authority> find_authority(const std::string& code) override {
    auto st = c_.prepare(
        "SELECT id, code, name, siret, address, executive FROM authorities WHERE code = ?");
    st.bind(1, code);
    if (!st.step()) return std::nullopt;
    return authority_row(st);
  }

  std::vector<Authority> list_authorities() override {
    auto st = c_.prepare(
        "SELECT id, code, name, siret, address, executive FROM authorities ORDER BY code");
    std::vector<Authority> out;
    while (st.step())
      out.push_back(authority_row(st));
    return out;
  }

  AuthorityId insert_authority(const Authority& a) override {
    c_.prepare("INSERT INTO authorities (code, name, siret, address, executive) VALUES (?,?,?,?,?)")
        .bind(1, a.code)
        .bind(2, a.name)
        .bind(3, a.siret)
        .bind(4, a.address)
        .bind(5, a.executive)
        .run();
    return AuthorityId{c_.last_insert_rowid()};
  }

  // ---- schemes
  std::optional<AidScheme> find_scheme(AuthorityId a, const std::string& number) override {
    auto st = c_.prepare(std::string("SELECT ") + kSchemeColumns +
                         " FROM aid_schemes WHERE authority_id = ? AND number = ?");
    st.bind(1, a.value).bind(2, number);
    if (!st.step()) return std::nullopt;
    return scheme_row(st);
  }

  std::optional<AidScheme> get_scheme(AuthorityId a, SchemeId id) override {
    auto st = c_.prepare(std::string("SELECT ") + kSchemeColumns +
                         " FROM aid_schemes WHERE authority_id = ? AND id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    return scheme_row(st);
  }

  std::vector<AidScheme> list_schemes(AuthorityId a) override {
    auto st = c_.prepare(std::string("SELECT ") + kSchemeColumns +
                         " FROM aid_schemes WHERE authority_id = ? ORDER BY number");
    st.bind(1, a.value);
    std::vector<AidScheme> out;
    while (st.step())
      out.push_back(scheme_row(st));
    return out;
  }

  SchemeId insert_scheme(const AidScheme& s) override {
    auto st = c_.prepare(
        "INSERT INTO aid_schemes (authority_id, number, name, framework_deliberation, section, "
        "budget_imputation, budget_action, opens_on, closes_on, rule_kind, rate_numerator, "
        "rate_denominator, rate_rounding, base, step_cents, step_rounding, cap_cents, "
        "not_above_request, fixed_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, s.authority.value).bind(2, s.number);
    bind_scheme(st, s, 3);
    st.run();
    return SchemeId{c_.last_insert_rowid()};
  }

  void update_scheme(const AidScheme& s) override {
    auto st = c_.prepare(
        "UPDATE aid_schemes SET name = ?, framework_deliberation = ?, section = ?, "
        "budget_imputation = ?, budget_action = ?, opens_on = ?, closes_on = ?, rule_kind = ?, "
        "rate_numerator = ?, rate_denominator = ?, rate_rounding = ?, base = ?, step_cents = ?, "
        "step_rounding = ?, cap_cents = ?, not_above_request = ?, fixed_cents = ? "
        "WHERE authority_id = ? AND id = ?");
    bind_scheme(st, s, 1);
    st.bind(18, s.authority.value).bind(19, s.id.value).run();
    if (c_.changes() != 1) throw StoreError("scheme to update not found");
  }

  // ---- parties
  std::optional<Party> get_party(AuthorityId a, PartyId id) override {
    auto st = c_.prepare(std::string("SELECT ") + kPartyColumns +
                         " FROM parties WHERE authority_id = ? AND id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    return party_row(st);
  }

  std::optional<Party> find_party_by_siren(AuthorityId a, const std::string& siren) override {
    auto st = c_.prepare(std::string("SELECT ") + kPartyColumns +
                         " FROM parties WHERE authority_id = ? AND siren = ?");
    st.bind(1, a.value).bind(2, siren);
    if (!st.step()) return std::nullopt;
    return party_row(st);
  }

  std::vector<Party> list_parties(AuthorityId a) override {
    auto st = c_.prepare(std::string("SELECT ") + kPartyColumns +
                         " FROM parties WHERE authority_id = ? ORDER BY id LIMIT 10000");
    st.bind(1, a.value);
    std::vector<Party> out;
    while (st.step())
      out.push_back(party_row(st));
    return out;
  }

  PartyId insert_party(const Party& p) override {
    auto st = c_.prepare(
        "INSERT INTO parties (authority_id, legal_name, siren, siret, rna, naf, legal_status, "
        "recovers_vat, rep_civility, rep_first_name, rep_last_name, rep_role, address_line1, "
        "address_line2, postal_code, city, insee_code, departement) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, p.authority.value).bind(2, p.legal_name).bind(3, p.siren).bind(4, p.siret);
    st.bind(5, p.rna).bind(6, p.naf).bind(7, p.legal_status).bind(8, p.recovers_vat);
    const auto& r = p.representative;
    st.bind(9, r.civility).bind(10, r.first_name).bind(11, r.last_name).bind(12, r.role);
    const auto& ad = p.address;
    st.bind(13, ad.line1).bind(14, ad.line2).bind(15, ad.postal_code).bind(16, ad.city);
    st.bind(17, ad.insee_code).bind(18, p.departement).run();
    return PartyId{c_.last_insert_rowid()};
  }

  // ---- applications
  std::optional<Application> find_application(AuthorityId a, const std::string& number) override {
    auto st = c_.prepare(std::string("SELECT ") + kApplicationColumns +
                         " FROM applications WHERE authority_id = ? AND number = ?");
    st.bind(1, a.value).bind(2, number);
    if (!st.step()) return std::nullopt;
    Application app = application_row(st);
    load_plan(app);
    return app;
  }

  std::vector<Application> list_applications(AuthorityId a, const ApplicationFilter& f) override {
    std::string sql =
        std::string("SELECT ") + kApplicationColumns + " FROM applications WHERE authority_id = ?1";
    if (f.state) sql += " AND state = ?2";
    if (f.scheme) sql += " AND scheme_id = ?3";
    sql += " ORDER BY number LIMIT ?4 OFFSET ?5";
    auto st = c_.prepare(sql);
    st.bind(1, a.value);
    if (f.state) st.bind(2, std::string(to_string(*f.state)));
    if (f.scheme) st.bind(3, f.scheme->value);
    st.bind(4, std::clamp<std::int64_t>(f.limit, 1, 1000))
        .bind(5, std::max<std::int64_t>(0, f.offset));
    std::vector<Application> out;
    while (st.step())
      out.push_back(application_row(st));
    for (auto& app : out)
      load_plan(app);
    return out;
  }

  std::int64_t max_application_number(AuthorityId a) override {
    auto st = c_.prepare(
        "SELECT coalesce(max(CAST(substr(number, 3) AS INTEGER)), 0) FROM applications "
        "WHERE authority_id = ?");
    st.bind(1, a.value);
    st.step();
    return st.int64(0);
  }

  ApplicationId insert_application(const Application& app) override {
    auto st = c_.prepare(
        "INSERT INTO applications (authority_id, number, scheme_id, party_id, title, "
        "description, place, start_date, end_date, early_start, early_start_date, "
        "early_start_justification, reference_year, basis, state, submitted_on, "
        "proposed_award_cents, awarded_cents, award_date, award_deliberation) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, app.authority.value).bind(2, app.number).bind(3, app.scheme.value);
    st.bind(4, app.party.value);
    bind_application(st, app, 5);
    st.run();
    const ApplicationId id{c_.last_insert_rowid()};
    save_plan(app, id);
    return id;
  }

  void update_application(const Application& app) override {
    auto st = c_.prepare(
        "UPDATE applications SET title = ?, description = ?, place = ?, start_date = ?, "
        "end_date = ?, early_start = ?, early_start_date = ?, early_start_justification = ?, "
        "reference_year = ?, basis = ?, state = ?, submitted_on = ?, proposed_award_cents = ?, "
        "awarded_cents = ?, award_date = ?, award_deliberation = ? "
        "WHERE authority_id = ? AND id = ?");
    bind_application(st, app, 1);
    st.bind(17, app.authority.value).bind(18, app.id.value).run();
    if (c_.changes() != 1) throw StoreError("application to update not found");
    c_.prepare("DELETE FROM plan_lines WHERE authority_id = ? AND application_id = ?")
        .bind(1, app.authority.value)
        .bind(2, app.id.value)
        .run();
    save_plan(app, app.id);
  }

  void append_application_event(AuthorityId a, ApplicationId id,
                                const ApplicationEventRecord& e) override {
    c_.prepare(
          "INSERT INTO application_events (authority_id, application_id, at, actor, event, "
          "from_state, to_state, reason) VALUES (?,?,?,?,?,?,?,?)")
        .bind(1, a.value)
        .bind(2, id.value)
        .bind(3, e.at)
        .bind(4, e.actor)
        .bind(5, e.event)
        .bind(6, e.from_state)
        .bind(7, e.to_state)
        .bind(8, e.reason)
        .run();
  }

  std::vector<ApplicationEventRecord> application_history(AuthorityId a,
                                                          ApplicationId id) override {
    auto st = c_.prepare(
        "SELECT at, actor, event, from_state, to_state, reason FROM application_events "
        "WHERE authority_id = ? AND application_id = ? ORDER BY id LIMIT 10000");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<ApplicationEventRecord> out;
    while (st.step())
      out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
    return out;
  }

  void append_audit(const AuditEntry& e) override {
    c_.prepare(
          "INSERT INTO audit_log (authority_id, at, actor, action, entity, entity_key, before, "
          "after) VALUES (?,?,?,?,?,?,?,?)")
        .bind(1, e.authority.value)
        .bind(2, e.at)
        .bind(3, e.actor)
        .bind(4, e.action)
        .bind(5, e.entity)
        .bind(6, e.entity_key)
        .bind(7, e.before)
        .bind(8, e.after)
        .run();
  }

  std::vector<AuditEntry> list_audit(AuthorityId a, std::int64_t limit) override {
    auto st = c_.prepare(
        "SELECT seq, authority_id, at, actor, action, entity, entity_key, before, after "
        "FROM audit_log WHERE authority_id = ? ORDER BY seq DESC LIMIT ?");
    st.bind(1, a.value).bind(2, std::clamp<std::int64_t>(limit, 1, 10000));
    std::vector<AuditEntry> out;
    while (st.step())
      out.push_back({st.int64(0), AuthorityId{st.int64(1)}, st.text(2), st.text(3), st.text(4),
                     st.text(5), st.text(6), st.text(7), st.text(8)});
    return out;
  }

 private:
  static Authority authority_row(Statement& st) {
    return {AuthorityId{st.int64(0)}, st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)};
  }

  static void bind_scheme(Statement& st, const AidScheme& s, int i) {
    const auto& r = s.rule;
    st.bind(i, s.name).bind(i + 1, s.framework_deliberation);
    st.bind(i + 2, std::string(to_string(s.section))).bind(i + 3, s.budget_imputation);
    st.bind(i + 4, s.budget_action).bind(i + 5, iso(s.opens_on)).bind(i + 6, iso(s.closes_on));
    st.bind(i + 7, std::string(to_string(r.kind))).bind(i + 8, r.rate.numerator());
    st.bind(i + 9, r.rate.denominator()).bind(i + 10, std::string(to_string(r.rate_rounding)));
    st.bind(i + 11, std::string(to_string(r.base))).bind(i + 12, cents(r.step));
    st.bind(i + 13, std::string(to_string(r.step_rounding))).bind(i + 14, cents(r.cap));
    st.bind(i + 15, r.not_above_request).bind(i + 16, cents(r.fixed_amount));
  }

  static AidScheme scheme_row(Statement& st) {
    AidScheme s;
    s.id = SchemeId{st.int64(0)};
    s.authority = AuthorityId{st.int64(1)};
    s.number = st.text(2);
    s.name = st.text(3);
    s.framework_deliberation = st.text(4);
    s.section = parse_or_throw<BudgetSection>(st.text(5), parse_budget_section, "section");
    s.budget_imputation = st.text(6);
    s.budget_action = st.text(7);
    s.opens_on = opt_date(st.opt_text(8));
    s.closes_on = opt_date(st.opt_text(9));
    auto& r = s.rule;
    r.kind = parse_or_throw<AwardKind>(st.text(10), parse_award_kind, "rule kind");
    r.rate = Rate::ratio(st.int64(11), st.int64(12));
    r.rate_rounding = parse_or_throw<Rounding>(st.text(13), parse_rounding, "rounding");
    r.base = parse_or_throw<BaseRequirement>(st.text(14), parse_base_requirement, "base");
    r.step = money(st.opt_int64(15));
    r.step_rounding = parse_or_throw<Rounding>(st.text(16), parse_rounding, "rounding");
    r.cap = money(st.opt_int64(17));
    r.not_above_request = st.int64(18) != 0;
    r.fixed_amount = money(st.opt_int64(19));
    return s;
  }

  static Party party_row(Statement& st) {
    Party p;
    p.id = PartyId{st.int64(0)};
    p.authority = AuthorityId{st.int64(1)};
    p.legal_name = st.text(2);
    p.siren = st.text(3);
    p.siret = st.text(4);
    p.rna = st.text(5);
    p.naf = st.text(6);
    p.legal_status = st.text(7);
    p.recovers_vat = st.int64(8) != 0;
    p.representative = {st.text(9), st.text(10), st.text(11), st.text(12)};
    p.address = {st.text(13), st.text(14), st.text(15), st.text(16), st.text(17)};
    p.departement = st.text(18);
    return p;
  }

  static void bind_application(Statement& st, const Application& app, int i) {
    const auto& p = app.project;
    st.bind(i, p.title).bind(i + 1, p.description).bind(i + 2, p.place);
    st.bind(i + 3, p.start.iso()).bind(i + 4, p.end.iso());
    st.bind(i + 5, app.early_start.requested).bind(i + 6, iso(app.early_start.date));
    st.bind(i + 7, app.early_start.justification).bind(i + 8, app.reference_year);
    st.bind(i + 9, std::string(to_string(app.basis)));
    st.bind(i + 10, std::string(to_string(app.state))).bind(i + 11, iso(app.submitted_on));
    st.bind(i + 12, cents(app.proposed_award));
    if (app.award) {
      st.bind(i + 13, app.award->amount.cents()).bind(i + 14, app.award->date.iso());
      st.bind(i + 15, app.award->deliberation);
    } else {
      st.bind_null(i + 13).bind_null(i + 14).bind_null(i + 15);
    }
  }

  static Application application_row(Statement& st) {
    Application app;
    app.id = ApplicationId{st.int64(0)};
    app.authority = AuthorityId{st.int64(1)};
    app.number = st.text(2);
    app.scheme = SchemeId{st.int64(3)};
    app.party = PartyId{st.int64(4)};
    app.project = {st.text(5), st.text(6), st.text(7), date_of(st.text(8)), date_of(st.text(9))};
    app.early_start = {st.int64(10) != 0, opt_date(st.opt_text(11)), st.text(12)};
    app.reference_year = static_cast<int>(st.int64(13));
    app.basis = st.text(14) == "HT" ? AmountBasis::ExclTax : AmountBasis::InclTax;
    app.state = parse_or_throw<ApplicationState>(st.text(15), parse_state, "state");
    app.submitted_on = opt_date(st.opt_text(16));
    app.proposed_award = money(st.opt_int64(17));
    if (!st.is_null(18))
      app.award = Award{Money::from_cents(st.int64(18)), date_of(st.text(19)), st.text(20)};
    return app;
  }

  void load_plan(Application& app) {
    auto st = c_.prepare(
        "SELECT side, label, amount_cents, eligible, resource_kind, status FROM plan_lines "
        "WHERE authority_id = ? AND application_id = ? ORDER BY side, position");
    st.bind(1, app.authority.value).bind(2, app.id.value);
    while (st.step()) {
      if (st.text(0) == "expense") {
        app.plan.expenses.push_back({st.text(1), Money::from_cents(st.int64(2)), st.int64(3) != 0});
      } else {
        app.plan.resources.push_back(
            {st.text(1), Money::from_cents(st.int64(2)),
             parse_or_throw<ResourceKind>(st.opt_text(4).value_or(""), parse_resource_kind,
                                          "resource kind"),
             st.text(5)});
      }
    }
  }

  void save_plan(const Application& app, ApplicationId id) {
    auto st = c_.prepare(
        "INSERT INTO plan_lines (authority_id, application_id, side, position, label, "
        "amount_cents, eligible, resource_kind, status) VALUES (?,?,?,?,?,?,?,?,?)");
    int pos = 0;
    for (const auto& l : app.plan.expenses) {
      st.reset();
      st.bind(1, app.authority.value).bind(2, id.value).bind(3, "expense").bind(4, ++pos);
      st.bind(5, l.label).bind(6, l.amount.cents()).bind(7, l.eligible).bind_null(8);
      st.bind(9, "").run();
    }
    pos = 0;
    for (const auto& l : app.plan.resources) {
      st.reset();
      st.bind(1, app.authority.value).bind(2, id.value).bind(3, "resource").bind(4, ++pos);
      st.bind(5, l.label).bind(6, l.amount.cents()).bind(7, true);
      st.bind(8, std::string(to_string(l.kind))).bind(9, l.status).run();
    }
  }

  SqliteStore& store_;
  Connection c_;
  bool open_ = false;
};

}  // namespace

std::unique_ptr<Transaction> make_sqlite_transaction(SqliteStore& store, Connection c,
                                                     TxMode mode) {
  return std::make_unique<SqliteTransaction>(store, std::move(c), mode);
}

}  // namespace octroi::sqlite
