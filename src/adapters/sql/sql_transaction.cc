// The Transaction port over sql::Connection: row mapping for every aggregate (see the header).
#include "adapters/sql/sql_transaction.h"

#include <algorithm>
#include <set>

namespace octroi::sql {
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

std::optional<std::int64_t> opt_int(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return *v;
}

std::optional<int> int_of(const std::optional<std::int64_t>& v) {
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
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
    "rate_rounding, base, step_cents, step_rounding, cap_cents, not_above_request, fixed_cents, "
    "model_agreement, advance_max_num, advance_max_den, interim_max_num, interim_max_den, "
    "tolerance_num, tolerance_den, lapse_first_request_years, lapse_balance_years, "
    "obligation_years, aid_regime, service";

constexpr const char* kPartyColumns =
    "id, authority_id, legal_name, siren, siret, rna, naf, legal_status, recovers_vat, "
    "rep_civility, rep_first_name, rep_last_name, rep_role, address_line1, address_line2, "
    "postal_code, city, insee_code, departement";

constexpr const char* kApplicationColumns =
    "id, authority_id, number, scheme_id, party_id, title, description, place, start_date, "
    "end_date, early_start, early_start_date, early_start_justification, reference_year, basis, "
    "state, submitted_on, proposed_award_cents, awarded_cents, award_date, award_deliberation, "
    "aid_regime";

constexpr const char* kLineColumns =
    "id, authority_id, fiscal_year, nomenclature, chapter, function, nature, programme, "
    "free_code, programme_label, action, action_label";

constexpr const char* kEntryColumns =
    "e.id, e.authority_id, e.budget_line_id, e.kind, e.amount_cents, e.reference, e.label, "
    "e.application_id, e.party_id, e.article_id, e.reverses_entry_id, e.at, e.actor, r.kind";

constexpr const char* kAuditColumns =
    "seq, authority_id, authority_seq, at, actor, action, entity, entity_key, before, after, "
    "prev_hash, hash";

constexpr const char* kUserColumns =
    "id, authority_id, login, display_name, role, service, password_hash, active, created_at";

constexpr const char* kLoginSessionColumns =
    "token_hash, user_id, authority_id, csrf_token, created_at, last_seen_at, expires_at";

constexpr const char* kApiTokenColumns =
    "id, authority_id, token_hash, label, role, created_at, revoked_at, service";

constexpr const char* kIdempotencyColumns =
    "authority_id, key, request_hash, status, response_body, created_at";

constexpr const char* kNoteColumns = "id, application_id, author, at, text";

class SqlTransaction final : public Transaction {
 public:
  SqlTransaction(ConnectionPool& pool, Hasher& hasher, std::unique_ptr<Connection> c, TxMode mode)
      : pool_(pool), hasher_(hasher), owned_(std::move(c)), c_(*owned_), mode_(mode) {
    c_.exec(begin_statement(c_.dialect(), mode == TxMode::Write));
    open_ = true;
  }

  ~SqlTransaction() override {
    bool reusable = true;
    if (open_) {
      try {
        c_.exec("ROLLBACK");
      } catch (...) {
        reusable = false;  // the connection is in an unknown state: drop it rather than pool it
      }
    }
    pool_.give_back(std::move(owned_), reusable);
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
    Authority a = authority_row(st);
    scope(a.id);
    return a;
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
    const std::int64_t new_id = c_.prepare(
                                      "INSERT INTO authorities (code, name, siret, address, "
                                      "executive) VALUES (?,?,?,?,?) RETURNING id")
                                    .bind(1, a.code)
                                    .bind(2, a.name)
                                    .bind(3, a.siret)
                                    .bind(4, a.address)
                                    .bind(5, a.executive)
                                    .run_returning_id();
    return AuthorityId{new_id};
  }

  void update_authority(const Authority& a) override {
    scope(a.id);
    c_.prepare(
          "UPDATE authorities SET name = ?, siret = ?, address = ?, executive = ? WHERE id = ?")
        .bind(1, a.name)
        .bind(2, a.siret)
        .bind(3, a.address)
        .bind(4, a.executive)
        .bind(5, a.id.value)
        .run();
  }

  // ---- schemes
  std::optional<AidScheme> find_scheme(AuthorityId a, const std::string& number) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kSchemeColumns +
                         " FROM aid_schemes WHERE authority_id = ? AND number = ?");
    st.bind(1, a.value).bind(2, number);
    if (!st.step()) return std::nullopt;
    return scheme_row(st);
  }

  std::optional<AidScheme> get_scheme(AuthorityId a, SchemeId id) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kSchemeColumns +
                         " FROM aid_schemes WHERE authority_id = ? AND id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    return scheme_row(st);
  }

  std::vector<AidScheme> list_schemes(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kSchemeColumns +
                         " FROM aid_schemes WHERE authority_id = ? ORDER BY number");
    st.bind(1, a.value);
    std::vector<AidScheme> out;
    while (st.step())
      out.push_back(scheme_row(st));
    return out;
  }

  SchemeId insert_scheme(const AidScheme& s) override {
    scope(s.authority);
    auto st = c_.prepare(
        "INSERT INTO aid_schemes (authority_id, number, name, framework_deliberation, section, "
        "budget_imputation, budget_action, opens_on, closes_on, rule_kind, rate_numerator, "
        "rate_denominator, rate_rounding, base, step_cents, step_rounding, cap_cents, "
        "not_above_request, fixed_cents, model_agreement, advance_max_num, advance_max_den, "
        "interim_max_num, interim_max_den, tolerance_num, tolerance_den, "
        "lapse_first_request_years, lapse_balance_years, obligation_years, aid_regime, service) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    st.bind(1, s.authority.value).bind(2, s.number);
    bind_scheme(st, s, 3);
    return SchemeId{st.run_returning_id()};
  }

  void update_scheme(const AidScheme& s) override {
    scope(s.authority);
    auto st = c_.prepare(
        "UPDATE aid_schemes SET name = ?, framework_deliberation = ?, section = ?, "
        "budget_imputation = ?, budget_action = ?, opens_on = ?, closes_on = ?, rule_kind = ?, "
        "rate_numerator = ?, rate_denominator = ?, rate_rounding = ?, base = ?, step_cents = ?, "
        "step_rounding = ?, cap_cents = ?, not_above_request = ?, fixed_cents = ?, "
        "model_agreement = ?, advance_max_num = ?, advance_max_den = ?, interim_max_num = ?, "
        "interim_max_den = ?, tolerance_num = ?, tolerance_den = ?, lapse_first_request_years = ?, "
        "lapse_balance_years = ?, obligation_years = ?, aid_regime = ?, service = ? "
        "WHERE authority_id = ? AND id = ?");
    bind_scheme(st, s, 1);
    st.bind(30, s.authority.value).bind(31, s.id.value).run();
    if (c_.changes() != 1) throw StoreError("scheme to update not found");
  }

  // ---- parties
  std::optional<Party> get_party(AuthorityId a, PartyId id) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kPartyColumns +
                         " FROM parties WHERE authority_id = ? AND id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    return party_row(st);
  }

  std::optional<Party> find_party_by_siren(AuthorityId a, const std::string& siren) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kPartyColumns +
                         " FROM parties WHERE authority_id = ? AND siren = ?");
    st.bind(1, a.value).bind(2, siren);
    if (!st.step()) return std::nullopt;
    return party_row(st);
  }

  std::vector<Party> list_parties(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kPartyColumns +
                         " FROM parties WHERE authority_id = ? ORDER BY id LIMIT 10000");
    st.bind(1, a.value);
    std::vector<Party> out;
    while (st.step())
      out.push_back(party_row(st));
    return out;
  }

  PartyId insert_party(const Party& p) override {
    scope(p.authority);
    auto st = c_.prepare(
        "INSERT INTO parties (authority_id, legal_name, siren, siret, rna, naf, legal_status, "
        "recovers_vat, rep_civility, rep_first_name, rep_last_name, rep_role, address_line1, "
        "address_line2, postal_code, city, insee_code, departement) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    st.bind(1, p.authority.value).bind(2, p.legal_name).bind(3, p.siren).bind(4, p.siret);
    st.bind(5, p.rna).bind(6, p.naf).bind(7, p.legal_status).bind(8, p.recovers_vat);
    const auto& r = p.representative;
    st.bind(9, r.civility).bind(10, r.first_name).bind(11, r.last_name).bind(12, r.role);
    const auto& ad = p.address;
    st.bind(13, ad.line1).bind(14, ad.line2).bind(15, ad.postal_code).bind(16, ad.city);
    st.bind(17, ad.insee_code).bind(18, p.departement);
    return PartyId{st.run_returning_id()};
  }

  // ---- applications
  std::optional<Application> find_application(AuthorityId a, const std::string& number) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kApplicationColumns +
                         " FROM applications WHERE authority_id = ? AND number = ?");
    st.bind(1, a.value).bind(2, number);
    if (!st.step()) return std::nullopt;
    Application app = application_row(st);
    load_plan(app);
    return app;
  }

  std::vector<Application> list_applications(AuthorityId a, const ApplicationFilter& f) override {
    scope(a);
    std::string sql =
        std::string("SELECT ") + kApplicationColumns + " FROM applications WHERE authority_id = ?";
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
    std::string match;
    if (!f.words.empty()) {
      // The words come from text::search_words: letters and digits only, so neither FTS5's
      // nor tsquery's syntax can be injected; each is a prefix.
      if (c_.dialect() == Dialect::Postgres) {
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
    sql += " ORDER BY number LIMIT ? OFFSET ?";
    auto st = c_.prepare(sql);
    int i = 0;
    st.bind(++i, a.value);
    if (f.state) st.bind(++i, std::string(to_string(*f.state)));
    if (f.scheme) st.bind(++i, f.scheme->value);
    if (f.party) st.bind(++i, f.party->value);
    if (!f.departement.empty()) {
      st.bind(++i, a.value);
      st.bind(++i, f.departement);
    }
    if (f.session_date)
      for (int twice = 0; twice < 2; ++twice) {
        st.bind(++i, a.value);
        st.bind(++i, f.session_date->iso());
      }
    if (!f.words.empty()) st.bind(++i, match);
    if (!f.after_number.empty()) st.bind(++i, f.after_number);
    st.bind(++i, std::clamp<std::int64_t>(f.limit, 1, 1000));
    st.bind(++i, std::max<std::int64_t>(0, f.offset));
    std::vector<Application> out;
    while (st.step())
      out.push_back(application_row(st));
    for (auto& app : out)
      load_plan(app);
    return out;
  }

  std::vector<std::pair<ApplicationState, std::int64_t>> count_applications_by_state(
      AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT state, count(*) FROM applications WHERE authority_id = ? GROUP BY state");
    st.bind(1, a.value);
    std::vector<std::pair<ApplicationState, std::int64_t>> out;
    while (st.step())
      out.emplace_back(parse_or_throw<ApplicationState>(st.text(0), parse_state, "state"),
                       st.int64(1));
    return out;
  }

  std::int64_t max_application_number(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT coalesce(max(CAST(substr(number, 3) AS INTEGER)), 0) FROM applications "
        "WHERE authority_id = ?");
    st.bind(1, a.value);
    st.step();
    return st.int64(0);
  }

  ApplicationId insert_application(const Application& app) override {
    scope(app.authority);
    auto st = c_.prepare(
        "INSERT INTO applications (authority_id, number, scheme_id, party_id, title, "
        "description, place, start_date, end_date, early_start, early_start_date, "
        "early_start_justification, reference_year, basis, state, submitted_on, "
        "proposed_award_cents, awarded_cents, award_date, award_deliberation, aid_regime) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    st.bind(1, app.authority.value).bind(2, app.number).bind(3, app.scheme.value);
    st.bind(4, app.party.value);
    bind_application(st, app, 5);
    const ApplicationId id{st.run_returning_id()};
    save_plan(app, id);
    return id;
  }

  void update_application(const Application& app) override {
    scope(app.authority);
    auto st = c_.prepare(
        "UPDATE applications SET title = ?, description = ?, place = ?, start_date = ?, "
        "end_date = ?, early_start = ?, early_start_date = ?, early_start_justification = ?, "
        "reference_year = ?, basis = ?, state = ?, submitted_on = ?, proposed_award_cents = ?, "
        "awarded_cents = ?, award_date = ?, award_deliberation = ?, aid_regime = ?, party_id = ? "
        "WHERE authority_id = ? AND id = ?");
    bind_application(st, app, 1);
    st.bind(18, app.party.value).bind(19, app.authority.value).bind(20, app.id.value).run();
    if (c_.changes() != 1) throw StoreError("application to update not found");
  }

  void replace_plan(const Application& app) override {
    scope(app.authority);
    c_.prepare("DELETE FROM plan_lines WHERE authority_id = ? AND application_id = ?")
        .bind(1, app.authority.value)
        .bind(2, app.id.value)
        .run();
    save_plan(app, app.id);
  }

  void append_application_event(AuthorityId a, ApplicationId id,
                                const ApplicationEventRecord& e) override {
    scope(a);
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
    scope(a);
    auto st = c_.prepare(
        "SELECT at, actor, event, from_state, to_state, reason FROM application_events "
        "WHERE authority_id = ? AND application_id = ? ORDER BY id LIMIT 10000");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<ApplicationEventRecord> out;
    while (st.step())
      out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
    return out;
  }

  void append_beneficiary(AuthorityId a, ApplicationId id, const BeneficiaryRecord& r) override {
    scope(a);
    c_.prepare(
          "INSERT INTO application_beneficiaries (authority_id, application_id, party_id, since, "
          "deliberation) VALUES (?,?,?,?,?)")
        .bind(1, a.value)
        .bind(2, id.value)
        .bind(3, r.party.value)
        .bind(4, r.since.iso())
        .bind(5, r.deliberation)
        .run();
  }

  std::vector<BeneficiaryRecord> beneficiary_history(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT party_id, since, deliberation FROM application_beneficiaries "
        "WHERE authority_id = ? AND application_id = ? ORDER BY id");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<BeneficiaryRecord> out;
    while (st.step())
      out.push_back({PartyId{st.int64(0)}, date_of(st.text(1)), st.text(2)});
    return out;
  }

  // ---- budget lines and ledger
  BudgetLineId insert_budget_line(const BudgetLine& l) override {
    scope(l.authority);
    const auto& im = l.imputation;
    const std::int64_t new_id =
        c_.prepare(
              "INSERT INTO budget_lines (authority_id, fiscal_year, nomenclature, chapter, "
              "function, "
              "nature, programme, free_code, section, programme_label, action, action_label) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id")
            .bind(1, l.authority.value)
            .bind(2, l.fiscal_year)
            .bind(3, std::string(to_string(im.nomenclature)))
            .bind(4, im.chapter)
            .bind(5, im.function)
            .bind(6, im.nature)
            .bind(7, im.programme)
            .bind(8, im.free_code)
            .bind(9, std::string(to_string(im.section())))
            .bind(10, l.programme_label)
            .bind(11, l.action)
            .bind(12, l.action_label)
            .run_returning_id();
    return BudgetLineId{new_id};
  }

  std::optional<BudgetLine> find_budget_line(AuthorityId a, int year,
                                             const std::string& action) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kLineColumns +
                         " FROM budget_lines WHERE authority_id = ? AND fiscal_year = ? AND "
                         "action = ?");
    st.bind(1, a.value).bind(2, year).bind(3, action);
    if (!st.step()) return std::nullopt;
    return line_row(st);
  }

  std::optional<BudgetLine> get_budget_line(AuthorityId a, BudgetLineId id) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kLineColumns +
                         " FROM budget_lines WHERE authority_id = ? AND id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    return line_row(st);
  }

  std::vector<BudgetLine> list_budget_lines(AuthorityId a, std::optional<int> year) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kLineColumns +
                         " FROM budget_lines WHERE authority_id = ?1 AND (CAST(?2 AS INTEGER) "
                         "IS NULL OR fiscal_year = ?2) ORDER BY fiscal_year, action LIMIT 10000");
    st.bind(1, a.value).bind(2, year);
    std::vector<BudgetLine> out;
    while (st.step())
      out.push_back(line_row(st));
    return out;
  }

  LineBalances line_balances(AuthorityId a, BudgetLineId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT ae_voted_cents, cp_voted_cents, allocated_cents, committed_cents, paid_cents, "
        "cp_used_cents FROM budget_lines WHERE authority_id = ? AND id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) throw StoreError("budget line not found");
    return {Money::from_cents(st.int64(0)), Money::from_cents(st.int64(1)),
            Money::from_cents(st.int64(2)), Money::from_cents(st.int64(3)),
            Money::from_cents(st.int64(4)), Money::from_cents(st.int64(5))};
  }

  LedgerEntryId post_ledger_entry(const LedgerEntry& e) override {
    scope(e.authority);
    std::optional<MovementKind> reversed_kind;
    if (e.reverses) {
      auto r = get_ledger_entry(e.authority, *e.reverses);
      if (!r) throw StoreError("reversed ledger entry not found");
      reversed_kind = r->kind;
    }
    const std::int64_t new_id =
        c_.prepare(
              "INSERT INTO ledger_entries (authority_id, budget_line_id, kind, amount_cents, "
              "reference, label, application_id, party_id, article_id, reverses_entry_id, at, "
              "actor) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id")
            .bind(1, e.authority.value)
            .bind(2, e.line.value)
            .bind(3, std::string(to_string(e.kind)))
            .bind(4, e.amount.cents())
            .bind(5, e.reference)
            .bind(6, e.label)
            .bind(7, id_of(e.application))
            .bind(8, id_of(e.party))
            .bind(9, id_of(e.article))
            .bind(10, id_of(e.reverses))
            .bind(11, e.at)
            .bind(12, e.actor)
            .run_returning_id();
    const LedgerEntryId id{new_id};
    const BalanceDelta d = delta_of(e.kind, e.amount, reversed_kind);
    // The CHECK constraints of budget_lines refuse any balance that breaks the invariants.
    c_.prepare(
          "UPDATE budget_lines SET ae_voted_cents = ae_voted_cents + ?, "
          "cp_voted_cents = cp_voted_cents + ?, allocated_cents = allocated_cents + ?, "
          "committed_cents = committed_cents + ?, paid_cents = paid_cents + ?, "
          "cp_used_cents = cp_used_cents + ? WHERE authority_id = ? AND id = ?")
        .bind(1, d.ae_voted.cents())
        .bind(2, d.cp_voted.cents())
        .bind(3, d.allocated.cents())
        .bind(4, d.committed.cents())
        .bind(5, d.paid.cents())
        .bind(6, d.cp_used.cents())
        .bind(7, e.authority.value)
        .bind(8, e.line.value)
        .run();
    if (c_.changes() != 1) throw StoreError("budget line of the ledger entry not found");
    return id;
  }

  std::vector<LedgerEntry> ledger_journal(AuthorityId a, BudgetLineId id) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kEntryColumns +
                         " FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = "
                         "e.reverses_entry_id WHERE e.authority_id = ? AND e.budget_line_id = ? "
                         "ORDER BY e.id");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<LedgerEntry> out;
    while (st.step())
      out.push_back(entry_row(st));
    return out;
  }

  std::optional<LedgerEntry> get_ledger_entry(AuthorityId a, LedgerEntryId id) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kEntryColumns +
                         " FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = "
                         "e.reverses_entry_id WHERE e.authority_id = ? AND e.id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    return entry_row(st);
  }

  // ---- committee
  std::optional<Session> find_session(AuthorityId a, Body body, const Date& date) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, authority_id, body, date FROM committee_sessions WHERE authority_id = ? AND "
        "body = ? AND date = ?");
    st.bind(1, a.value).bind(2, std::string(to_string(body))).bind(3, date.iso());
    if (!st.step()) return std::nullopt;
    return session_row(st);
  }

  std::optional<Session> get_session(AuthorityId a, SessionId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, authority_id, body, date FROM committee_sessions WHERE authority_id = ? AND "
        "id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    return session_row(st);
  }

  SessionId insert_session(const Session& s) override {
    scope(s.authority);
    const std::int64_t new_id = c_.prepare(
                                      "INSERT INTO committee_sessions (authority_id, body, date) "
                                      "VALUES (?,?,?) RETURNING id")
                                    .bind(1, s.authority.value)
                                    .bind(2, std::string(to_string(s.body)))
                                    .bind(3, s.date.iso())
                                    .run_returning_id();
    return SessionId{new_id};
  }

  std::optional<Report> find_report(AuthorityId a, const std::string& number) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, authority_id, session_id, number, title, state, adopted_on FROM reports "
        "WHERE authority_id = ? AND number = ?");
    st.bind(1, a.value).bind(2, number);
    if (!st.step()) return std::nullopt;
    Report r = report_row(st);
    load_articles(r);
    return r;
  }

  std::vector<Session> list_sessions(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, authority_id, body, date FROM committee_sessions WHERE authority_id = ? "
        "ORDER BY date DESC, body LIMIT 10000");
    st.bind(1, a.value);
    std::vector<Session> out;
    while (st.step())
      out.push_back(session_row(st));
    return out;
  }

  std::vector<Report> list_reports(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, authority_id, session_id, number, title, state, adopted_on FROM reports "
        "WHERE authority_id = ? ORDER BY number LIMIT 10000");
    st.bind(1, a.value);
    std::vector<Report> out;
    while (st.step())
      out.push_back(report_row(st));
    for (auto& r : out)
      load_articles(r);
    return out;
  }

  ReportId insert_report(const Report& r) override {
    scope(r.authority);
    const std::int64_t new_id =
        c_.prepare(
              "INSERT INTO reports (authority_id, session_id, number, title, state, adopted_on) "
              "VALUES (?,?,?,?,?,?) RETURNING id")
            .bind(1, r.authority.value)
            .bind(2, r.session.value)
            .bind(3, r.number)
            .bind(4, r.title)
            .bind(5, std::string(to_string(r.state)))
            .bind(6, iso(r.adopted_on))
            .run_returning_id();
    return ReportId{new_id};
  }

  ArticleId insert_article(AuthorityId a, ReportId r, const Article& ar) override {
    scope(a);
    const std::int64_t new_id =
        c_.prepare(
              "INSERT INTO report_articles (authority_id, report_id, position, kind, title, "
              "budget_line_id, amount_cents, scheme_id, party_id, planned_total_cents, "
              "tranche_rate_numerator, tranche_rate_denominator, transfer_application_id, "
              "new_end_date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id")
            .bind(1, a.value)
            .bind(2, r.value)
            .bind(3, ar.position)
            .bind(4, std::string(to_string(ar.kind)))
            .bind(5, ar.title)
            .bind(6, ar.line.value)
            .bind(7, ar.amount.cents())
            .bind(8, id_of(ar.scheme))
            .bind(9, id_of(ar.party))
            .bind(10, cents(ar.planned_total))
            .bind(11, ar.tranche_rate ? std::optional<std::int64_t>(ar.tranche_rate->numerator())
                                      : std::nullopt)
            .bind(12, ar.tranche_rate ? std::optional<std::int64_t>(ar.tranche_rate->denominator())
                                      : std::nullopt)
            .bind(13, id_of(ar.transfer_application))
            .bind(14, iso(ar.new_end))
            .run_returning_id();
    const ArticleId id{new_id};
    auto st = c_.prepare(
        "INSERT INTO report_article_applications (article_id, position, application_id, "
        "authority_id) VALUES (?,?,?,?)");
    int pos = 0;
    for (const auto& app : ar.applications) {
      st.reset();
      st.bind(1, id.value).bind(2, ++pos).bind(3, app.value).bind(4, a.value).run();
    }
    return id;
  }

  void delete_article(AuthorityId a, ReportId r, int position) override {
    scope(a);
    auto find = c_.prepare(
        "SELECT id FROM report_articles WHERE authority_id = ? AND report_id = ? AND position = ?");
    find.bind(1, a.value).bind(2, r.value).bind(3, position);
    if (!find.step()) throw StoreError("article to delete not found");
    const std::int64_t id = find.int64(0);
    c_.prepare("DELETE FROM report_article_applications WHERE authority_id = ? AND article_id = ?")
        .bind(1, a.value)
        .bind(2, id)
        .run();
    c_.prepare("DELETE FROM report_articles WHERE authority_id = ? AND id = ?")
        .bind(1, a.value)
        .bind(2, id)
        .run();
    // Two steps, so that the UNIQUE (report_id, position) never sees two rows at one position
    // whatever order the rows are updated in.
    c_.prepare(
          "UPDATE report_articles SET position = position + 1000000 WHERE authority_id = ? AND "
          "report_id = ? AND position > ?")
        .bind(1, a.value)
        .bind(2, r.value)
        .bind(3, position)
        .run();
    c_.prepare(
          "UPDATE report_articles SET position = position - 1000001 WHERE authority_id = ? AND "
          "report_id = ? AND position > 1000000")
        .bind(1, a.value)
        .bind(2, r.value)
        .run();
  }

  void mark_report_adopted(AuthorityId a, ReportId r, const Date& on) override {
    scope(a);
    c_.prepare(
          "UPDATE reports SET state = 'adopted', adopted_on = ? WHERE authority_id = ? AND id = ? "
          "AND state = 'draft'")
        .bind(1, on.iso())
        .bind(2, a.value)
        .bind(3, r.value)
        .run();
    if (c_.changes() != 1) throw StoreError("report to adopt not found or already adopted");
  }

  std::optional<Application> get_application(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kApplicationColumns +
                         " FROM applications WHERE authority_id = ? AND id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    Application app = application_row(st);
    load_plan(app);
    return app;
  }

  // ---- the life of an award
  std::optional<BudgetLineId> allocation_line(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT budget_line_id FROM ledger_entries WHERE authority_id = ? AND application_id = ? "
        "AND kind = 'allocation' ORDER BY id LIMIT 1");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    return BudgetLineId{st.int64(0)};
  }

  std::optional<Agreement> find_agreement(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT model_deliberation, eligibility_start, eligibility_end, early_start_date, "
        "signed_by_beneficiary_on, signed_by_authority_on FROM agreements "
        "WHERE authority_id = ? AND application_id = ?");
    st.bind(1, a.value).bind(2, id.value);
    if (!st.step()) return std::nullopt;
    Agreement ag;
    ag.authority = a;
    ag.application = id;
    ag.model_deliberation = st.text(0);
    ag.eligibility_start = date_of(st.text(1));
    ag.eligibility_end = date_of(st.text(2));
    ag.early_start = opt_date(st.opt_text(3));
    ag.signed_by_beneficiary_on = opt_date(st.opt_text(4));
    ag.signed_by_authority_on = opt_date(st.opt_text(5));
    return ag;
  }

  void insert_agreement(const Agreement& ag) override {
    scope(ag.authority);
    c_.prepare(
          "INSERT INTO agreements (authority_id, application_id, model_deliberation, "
          "eligibility_start, eligibility_end, early_start_date, signed_by_beneficiary_on, "
          "signed_by_authority_on) VALUES (?,?,?,?,?,?,?,?)")
        .bind(1, ag.authority.value)
        .bind(2, ag.application.value)
        .bind(3, ag.model_deliberation)
        .bind(4, ag.eligibility_start.iso())
        .bind(5, ag.eligibility_end.iso())
        .bind(6, iso(ag.early_start))
        .bind(7, iso(ag.signed_by_beneficiary_on))
        .bind(8, iso(ag.signed_by_authority_on))
        .run();
  }

  void update_agreement(const Agreement& ag) override {
    scope(ag.authority);
    c_.prepare(
          "UPDATE agreements SET model_deliberation = ?, eligibility_start = ?, "
          "eligibility_end = ?, early_start_date = ?, signed_by_beneficiary_on = ?, "
          "signed_by_authority_on = ? WHERE authority_id = ? AND application_id = ?")
        .bind(1, ag.model_deliberation)
        .bind(2, ag.eligibility_start.iso())
        .bind(3, ag.eligibility_end.iso())
        .bind(4, iso(ag.early_start))
        .bind(5, iso(ag.signed_by_beneficiary_on))
        .bind(6, iso(ag.signed_by_authority_on))
        .bind(7, ag.authority.value)
        .bind(8, ag.application.value)
        .run();
    if (c_.changes() != 1) throw StoreError("agreement to update not found");
  }

  std::vector<PaymentRecord> payments_of(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, kind, requested_on, realised_eligible_cents, amount_cents, ledger_entry_id, "
        "reference FROM payments WHERE authority_id = ? AND application_id = ? ORDER BY id");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<PaymentRecord> out;
    while (st.step()) {
      PaymentRecord p;
      p.id = st.int64(0);
      p.application = id;
      p.kind = parse_or_throw<PaymentKind>(st.text(1), parse_payment_kind, "payment kind");
      p.requested_on = date_of(st.text(2));
      p.realised_eligible = money(st.opt_int64(3));
      p.amount = Money::from_cents(st.int64(4));
      if (auto e = st.opt_int64(5)) p.entry = LedgerEntryId{*e};
      p.reference = st.text(6);
      out.push_back(std::move(p));
    }
    auto lines = c_.prepare(
        "SELECT label, amount_cents, eligible FROM payment_expense_lines WHERE payment_id = ? "
        "ORDER BY position");
    for (auto& p : out) {
      lines.reset();
      lines.bind(1, p.id);
      while (lines.step())
        p.lines.push_back({lines.text(0), Money::from_cents(lines.int64(1)), lines.int64(2) != 0});
    }
    return out;
  }

  std::int64_t insert_payment(AuthorityId a, const PaymentRecord& p) override {
    scope(a);
    const std::int64_t new_id =
        c_.prepare(
              "INSERT INTO payments (authority_id, application_id, kind, requested_on, "
              "realised_eligible_cents, amount_cents, ledger_entry_id, reference) "
              "VALUES (?,?,?,?,?,?,?,?) RETURNING id")
            .bind(1, a.value)
            .bind(2, p.application.value)
            .bind(3, std::string(to_string(p.kind)))
            .bind(4, p.requested_on.iso())
            .bind(5, cents(p.realised_eligible))
            .bind(6, p.amount.cents())
            .bind(7, id_of(p.entry))
            .bind(8, p.reference)
            .run_returning_id();
    const std::int64_t id = new_id;
    auto st = c_.prepare(
        "INSERT INTO payment_expense_lines (payment_id, position, label, amount_cents, eligible, "
        "authority_id) VALUES (?,?,?,?,?,?)");
    int pos = 0;
    for (const auto& l : p.lines) {
      st.reset();
      st.bind(1, id).bind(2, ++pos).bind(3, l.label).bind(4, l.amount.cents());
      st.bind(5, l.eligible).bind(6, a.value).run();
    }
    return id;
  }

  void insert_clawback(AuthorityId a, const ClawbackRecord& c) override {
    scope(a);
    c_.prepare(
          "INSERT INTO clawbacks (authority_id, application_id, amount_cents, reason, decided_on, "
          "reference, years_total, years_remaining) VALUES (?,?,?,?,?,?,?,?)")
        .bind(1, a.value)
        .bind(2, c.application.value)
        .bind(3, c.amount.cents())
        .bind(4, c.reason)
        .bind(5, c.decided_on.iso())
        .bind(6, c.reference)
        .bind(7, opt_int(c.years_total))
        .bind(8, opt_int(c.years_remaining))
        .run();
  }

  std::vector<ClawbackRecord> clawbacks_of(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, amount_cents, reason, decided_on, reference, years_total, years_remaining "
        "FROM clawbacks WHERE authority_id = ? AND application_id = ? ORDER BY id");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<ClawbackRecord> out;
    while (st.step())
      out.push_back({st.int64(0), id, Money::from_cents(st.int64(1)), st.text(2),
                     date_of(st.text(3)), st.text(4), int_of(st.opt_int64(5)),
                     int_of(st.opt_int64(6))});
    return out;
  }

  void insert_amendment(AuthorityId a, const AmendmentRecord& r) override {
    scope(a);
    c_.prepare(
          "INSERT INTO amendments (authority_id, application_id, number, kind, deliberation, "
          "approved_on, before, after) VALUES (?,?,?,?,?,?,?,?)")
        .bind(1, a.value)
        .bind(2, r.application.value)
        .bind(3, r.number)
        .bind(4, r.kind)
        .bind(5, r.deliberation)
        .bind(6, r.approved_on.iso())
        .bind(7, r.before)
        .bind(8, r.after)
        .run();
  }

  std::vector<AmendmentRecord> amendments_of(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT number, kind, deliberation, approved_on, before, after FROM amendments "
        "WHERE authority_id = ? AND application_id = ? ORDER BY number");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<AmendmentRecord> out;
    while (st.step())
      out.push_back({id, static_cast<int>(st.int64(0)), st.text(1), st.text(2), date_of(st.text(3)),
                     st.text(4), st.text(5)});
    return out;
  }

  std::vector<std::pair<PartyId, PartyId>> party_links(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT controlling_party_id, controlled_party_id FROM party_links WHERE authority_id = ?");
    st.bind(1, a.value);
    std::vector<std::pair<PartyId, PartyId>> out;
    while (st.step())
      out.emplace_back(PartyId{st.int64(0)}, PartyId{st.int64(1)});
    return out;
  }

  bool insert_party_link(AuthorityId a, PartyId controlling, PartyId controlled) override {
    scope(a);
    c_.prepare(
          "INSERT INTO party_links (authority_id, controlling_party_id, controlled_party_id) "
          "VALUES (?,?,?) ON CONFLICT DO NOTHING")
        .bind(1, a.value)
        .bind(2, controlling.value)
        .bind(3, controlled.value)
        .run();
    return c_.changes() == 1;
  }

  void insert_third_party_aid(AuthorityId a, const AidRecord& r) override {
    scope(a);
    c_.prepare(
          "INSERT INTO third_party_aids (authority_id, party_id, regime, amount_cents, "
          "granted_on, grantor) VALUES (?,?,?,?,?,?)")
        .bind(1, a.value)
        .bind(2, r.party.value)
        .bind(3, std::string(to_string(r.regime)))
        .bind(4, r.amount.cents())
        .bind(5, r.granted_on.iso())
        .bind(6, r.source)
        .run();
  }

  std::vector<AidRecord> de_minimis_aids(AuthorityId a) override {
    scope(a);
    std::vector<AidRecord> out;
    {
      // octroi's own awards: the party that received the aid is the applicant at the award
      // (the first beneficiary), which a later transfer does not change.
      auto st = c_.prepare(
          "SELECT (SELECT party_id FROM application_beneficiaries b WHERE b.application_id = "
          "a.id ORDER BY b.id LIMIT 1), awarded_cents, award_date, aid_regime, "
          "award_deliberation, id FROM applications a WHERE authority_id = ? AND awarded_cents "
          "IS NOT NULL AND aid_regime IN ('de_minimis_1407_2013', 'de_minimis_2023_2831')");
      st.bind(1, a.value);
      while (st.step())
        out.push_back({PartyId{st.int64(0)}, Money::from_cents(st.int64(1)), date_of(st.text(2)),
                       parse_or_throw<AidRegime>(st.text(3), parse_aid_regime, "aid regime"),
                       st.text(4), st.int64(5)});
    }
    auto st = c_.prepare(
        "SELECT party_id, amount_cents, granted_on, regime, grantor FROM third_party_aids "
        "WHERE authority_id = ? UNION ALL "
        "SELECT party_id, part_cents, granted_on, regime, grantor FROM imported_awards "
        "WHERE authority_id = ? AND regime IN ('de_minimis_1407_2013', 'de_minimis_2023_2831')");
    st.bind(1, a.value).bind(2, a.value);
    while (st.step())
      out.push_back({PartyId{st.int64(0)}, Money::from_cents(st.int64(1)), date_of(st.text(2)),
                     parse_or_throw<AidRegime>(st.text(3), parse_aid_regime, "aid regime"),
                     st.text(4)});
    return out;
  }

  void insert_state_aid_check(AuthorityId a, const StateAidCheckRecord& r) override {
    scope(a);
    c_.prepare(
          "INSERT INTO state_aid_checks (authority_id, application_id, stage, regime, checked_on, "
          "amount_cents, used_cents, ceiling_cents, room_cents, ok) VALUES (?,?,?,?,?,?,?,?,?,?)")
        .bind(1, a.value)
        .bind(2, r.application.value)
        .bind(3, std::string(to_string(r.stage)))
        .bind(4, std::string(to_string(r.regime)))
        .bind(5, r.checked_on.iso())
        .bind(6, r.amount.cents())
        .bind(7, r.used.cents())
        .bind(8, r.ceiling.cents())
        .bind(9, r.room.cents())
        .bind(10, r.ok)
        .run();
  }

  std::vector<StateAidCheckRecord> state_aid_checks(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT stage, regime, checked_on, amount_cents, used_cents, ceiling_cents, room_cents, "
        "ok FROM state_aid_checks WHERE authority_id = ? AND application_id = ? ORDER BY id");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<StateAidCheckRecord> out;
    while (st.step())
      out.push_back(
          {id, parse_or_throw<StateAidStage>(st.text(0), parse_state_aid_stage, "state-aid stage"),
           parse_or_throw<AidRegime>(st.text(1), parse_aid_regime, "aid regime"),
           date_of(st.text(2)), Money::from_cents(st.int64(3)), Money::from_cents(st.int64(4)),
           Money::from_cents(st.int64(5)), Money::from_cents(st.int64(6)), st.int64(7) != 0});
    return out;
  }

  std::int64_t insert_condition(AuthorityId a, const ConditionRecord& c) override {
    scope(a);
    const std::int64_t new_id =
        c_.prepare(
              "INSERT INTO award_conditions (authority_id, application_id, label, status, due_on) "
              "VALUES (?,?,?,?,?) RETURNING id")
            .bind(1, a.value)
            .bind(2, c.application.value)
            .bind(3, c.label)
            .bind(4, c.status)
            .bind(5, iso(c.due_on))
            .run_returning_id();
    return new_id;
  }

  void update_condition(AuthorityId a, const ConditionRecord& c) override {
    scope(a);
    c_.prepare("UPDATE award_conditions SET status = ? WHERE authority_id = ? AND id = ?")
        .bind(1, c.status)
        .bind(2, a.value)
        .bind(3, c.id)
        .run();
    if (c_.changes() != 1) throw StoreError("condition to update not found");
  }

  std::vector<ConditionRecord> conditions_of(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, label, status, due_on FROM award_conditions WHERE authority_id = ? AND "
        "application_id = ? ORDER BY id");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<ConditionRecord> out;
    while (st.step())
      out.push_back({st.int64(0), id, st.text(1), st.text(2), opt_date(st.opt_text(3))});
    return out;
  }

  void insert_outcome(AuthorityId a, const OutcomeRecord& o) override {
    scope(a);
    c_.prepare(
          "INSERT INTO outcome_reports (authority_id, application_id, indicator, value, "
          "reported_on) VALUES (?,?,?,?,?)")
        .bind(1, a.value)
        .bind(2, o.application.value)
        .bind(3, o.indicator)
        .bind(4, o.value)
        .bind(5, o.reported_on.iso())
        .run();
  }

  std::vector<OutcomeRecord> outcomes_of_scheme(AuthorityId a, SchemeId sid) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT o.application_id, o.indicator, o.value, o.reported_on FROM outcome_reports o "
        "JOIN applications p ON p.id = o.application_id WHERE o.authority_id = ? AND "
        "p.scheme_id = ? ORDER BY o.id");
    st.bind(1, a.value).bind(2, sid.value);
    std::vector<OutcomeRecord> out;
    while (st.step())
      out.push_back({ApplicationId{st.int64(0)}, st.text(1), st.int64(2), date_of(st.text(3))});
    return out;
  }

  std::vector<OutcomeRecord> outcomes_of(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT application_id, indicator, value, reported_on FROM outcome_reports WHERE "
        "authority_id = ? AND application_id = ? ORDER BY id");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<OutcomeRecord> out;
    while (st.step())
      out.push_back({ApplicationId{st.int64(0)}, st.text(1), st.int64(2), date_of(st.text(3))});
    return out;
  }

  // ---- accounts, sessions, API tokens, idempotency, notes
  std::int64_t insert_user(const UserRecord& u) override {
    scope(u.authority);
    return c_
        .prepare(
            "INSERT INTO users (authority_id, login, display_name, role, service, password_hash, "
            "active, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id")
        .bind(1, u.authority.value)
        .bind(2, u.login)
        .bind(3, u.display_name)
        .bind(4, u.role)
        .bind(5, u.service)
        .bind(6, u.password_hash)
        .bind(7, u.active)
        .bind(8, u.created_at)
        .run_returning_id();
  }

  // Logins are unique in the whole database: no authority to scope to (the caller learns it
  // from the row).
  std::optional<UserRecord> find_user(const std::string& login) override {
    auto st = c_.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE login = ?");
    st.bind(1, login);
    if (!st.step()) return std::nullopt;
    return user_row(st);
  }

  std::optional<UserRecord> get_user(AuthorityId a, std::int64_t id) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kUserColumns +
                         " FROM users WHERE authority_id = ? AND id = ?");
    st.bind(1, a.value).bind(2, id);
    if (!st.step()) return std::nullopt;
    return user_row(st);
  }

  std::vector<UserRecord> list_users(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kUserColumns +
                         " FROM users WHERE authority_id = ? ORDER BY login LIMIT 10000");
    st.bind(1, a.value);
    std::vector<UserRecord> out;
    while (st.step())
      out.push_back(user_row(st));
    return out;
  }

  void update_user_password(AuthorityId a, std::int64_t id, const std::string& hash) override {
    scope(a);
    c_.prepare("UPDATE users SET password_hash = ? WHERE authority_id = ? AND id = ?")
        .bind(1, hash)
        .bind(2, a.value)
        .bind(3, id)
        .run();
    if (c_.changes() != 1) throw StoreError("user whose password to change not found");
  }

  void insert_login_session(const LoginSessionRecord& s) override {
    scope(s.authority);
    c_.prepare(std::string("INSERT INTO login_sessions (") + kLoginSessionColumns +
               ") VALUES (?,?,?,?,?,?,?)")
        .bind(1, s.token_hash)
        .bind(2, s.user_id)
        .bind(3, s.authority.value)
        .bind(4, s.csrf_token)
        .bind(5, s.created_at)
        .bind(6, s.last_seen_at)
        .bind(7, s.expires_at)
        .run();
  }

  // By the hash of the token the browser presented: the authority is what the row says.
  std::optional<LoginSessionRecord> find_login_session(const std::string& token_hash) override {
    auto st = c_.prepare(std::string("SELECT ") + kLoginSessionColumns +
                         " FROM login_sessions WHERE token_hash = ?");
    st.bind(1, token_hash);
    if (!st.step()) return std::nullopt;
    return LoginSessionRecord{st.text(0), st.int64(1), AuthorityId{st.int64(2)},
                              st.text(3), st.text(4),  st.text(5),
                              st.text(6)};
  }

  // touch and delete name a session by its token only; they lock the session's authority
  // first all the same (scope_session), so that the authority row stays the first lock a
  // PostgreSQL writer takes.
  void touch_login_session(const std::string& token_hash, const std::string& at) override {
    scope_session(token_hash);
    c_.prepare("UPDATE login_sessions SET last_seen_at = ? WHERE token_hash = ?")
        .bind(1, at)
        .bind(2, token_hash)
        .run();
    if (c_.changes() != 1) throw StoreError("login session to touch not found");
  }

  // Deleting a session that is already gone (expired and swept, or a second logout) is not an
  // error.
  void delete_login_session(const std::string& token_hash) override {
    scope_session(token_hash);
    c_.prepare("DELETE FROM login_sessions WHERE token_hash = ?").bind(1, token_hash).run();
  }

  void delete_login_sessions_of(AuthorityId a, std::int64_t user_id) override {
    scope(a);
    c_.prepare("DELETE FROM login_sessions WHERE authority_id = ? AND user_id = ?")
        .bind(1, a.value)
        .bind(2, user_id)
        .run();
  }

  std::int64_t insert_api_token(const ApiTokenRecord& t) override {
    scope(t.authority);
    return c_
        .prepare(
            "INSERT INTO api_tokens (authority_id, token_hash, label, role, created_at, "
            "revoked_at, service) VALUES (?,?,?,?,?,?,?) RETURNING id")
        .bind(1, t.authority.value)
        .bind(2, t.token_hash)
        .bind(3, t.label)
        .bind(4, t.role)
        .bind(5, t.created_at)
        .bind(6, t.revoked_at)
        .bind(7, t.service)
        .run_returning_id();
  }

  std::optional<ApiTokenRecord> find_api_token(const std::string& token_hash) override {
    auto st = c_.prepare(std::string("SELECT ") + kApiTokenColumns +
                         " FROM api_tokens WHERE token_hash = ?");
    st.bind(1, token_hash);
    if (!st.step()) return std::nullopt;
    return api_token_row(st);
  }

  std::vector<ApiTokenRecord> list_api_tokens(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kApiTokenColumns +
                         " FROM api_tokens WHERE authority_id = ? ORDER BY id LIMIT 10000");
    st.bind(1, a.value);
    std::vector<ApiTokenRecord> out;
    while (st.step())
      out.push_back(api_token_row(st));
    return out;
  }

  bool revoke_api_token(AuthorityId a, std::int64_t id, const std::string& at) override {
    scope(a);
    c_.prepare(
          "UPDATE api_tokens SET revoked_at = ? WHERE authority_id = ? AND id = ? AND "
          "revoked_at IS NULL")
        .bind(1, at)
        .bind(2, a.value)
        .bind(3, id)
        .run();
    return c_.changes() == 1;
  }

  static ApiTokenRecord api_token_row(Statement& st) {
    return ApiTokenRecord{st.int64(0), AuthorityId{st.int64(1)}, st.text(2), st.text(3), st.text(4),
                          st.text(5),  st.opt_text(6),           st.text(7)};
  }

  std::optional<IdempotencyRecord> find_idempotency(AuthorityId a,
                                                    const std::string& key) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kIdempotencyColumns +
                         " FROM idempotency_keys WHERE authority_id = ? AND key = ?");
    st.bind(1, a.value).bind(2, key);
    if (!st.step()) return std::nullopt;
    return IdempotencyRecord{AuthorityId{st.int64(0)},      st.text(1), st.text(2),
                             static_cast<int>(st.int64(3)), st.text(4), st.text(5)};
  }

  // A key already recorded for the authority is refused by the primary key
  // (ConstraintViolation): the first answer stays the one replayed.
  void insert_idempotency(const IdempotencyRecord& r) override {
    scope(r.authority);
    c_.prepare(std::string("INSERT INTO idempotency_keys (") + kIdempotencyColumns +
               ") VALUES (?,?,?,?,?,?)")
        .bind(1, r.authority.value)
        .bind(2, r.key)
        .bind(3, r.request_hash)
        .bind(4, r.status)
        .bind(5, r.response_body)
        .bind(6, r.created_at)
        .run();
  }

  // Only on an application of the same authority: the note is written from the dossier's own
  // row, and none is written (StoreError) when the authority has no such dossier.
  std::int64_t insert_note(AuthorityId a, const NoteRecord& n) override {
    scope(a);
    auto st = c_.prepare(
        "INSERT INTO application_notes (authority_id, application_id, author, at, text) "
        "SELECT authority_id, id, ?, ?, ? FROM applications WHERE authority_id = ? AND id = ? "
        "RETURNING id");
    st.bind(1, n.author).bind(2, n.at).bind(3, n.text);
    st.bind(4, a.value).bind(5, n.application.value);
    if (!st.step()) throw StoreError("application of the note not found");
    const std::int64_t id = st.int64(0);
    st.run();
    return id;
  }

  std::vector<NoteRecord> notes_of(AuthorityId a, ApplicationId id) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kNoteColumns +
                         " FROM application_notes WHERE authority_id = ? AND application_id = ? "
                         "ORDER BY id LIMIT 10000");
    st.bind(1, a.value).bind(2, id.value);
    std::vector<NoteRecord> out;
    while (st.step())
      out.push_back({st.int64(0), ApplicationId{st.int64(1)}, st.text(2), st.text(3), st.text(4)});
    return out;
  }

  // ---- imported awards
  bool imported_award_exists(AuthorityId a, const std::string& import_key) override {
    scope(a);
    auto st = c_.prepare("SELECT 1 FROM imported_awards WHERE authority_id = ? AND import_key = ?");
    st.bind(1, a.value).bind(2, import_key);
    return st.step();
  }

  std::int64_t insert_imported_award(AuthorityId a, const ImportedAwardRecord& r) override {
    scope(a);
    return c_
        .prepare(
            "INSERT INTO imported_awards (authority_id, party_id, import_key, grantor, "
            "grantor_id, granted_on, reference, object, amount_cents, share_bp, part_cents, "
            "nature, payment_terms, payment_period, regime, source, source_line, imported_at, "
            "imported_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id")
        .bind(1, a.value)
        .bind(2, r.party.value)
        .bind(3, r.import_key)
        .bind(4, r.grantor)
        .bind(5, r.grantor_id)
        .bind(6, r.granted_on.iso())
        .bind(7, r.reference)
        .bind(8, r.object)
        .bind(9, r.amount.cents())
        .bind(10, r.share_bp)
        .bind(11, r.part.cents())
        .bind(12, r.nature)
        .bind(13, r.payment_terms)
        .bind(14, r.payment_period)
        .bind(15, std::string(to_string(r.regime)))
        .bind(16, r.source)
        .bind(17, std::int64_t{r.source_line})
        .bind(18, r.imported_at)
        .bind(19, r.imported_by)
        .run_returning_id();
  }

  std::vector<ImportedAwardRecord> imported_awards_of(AuthorityId a, PartyId p) override {
    scope(a);
    auto st = c_.prepare(
        "SELECT id, party_id, import_key, grantor, grantor_id, granted_on, reference, object, "
        "amount_cents, share_bp, part_cents, nature, payment_terms, payment_period, regime, "
        "source, source_line, imported_at, imported_by FROM imported_awards "
        "WHERE authority_id = ? AND party_id = ? ORDER BY granted_on DESC, id DESC LIMIT 10000");
    st.bind(1, a.value).bind(2, p.value);
    std::vector<ImportedAwardRecord> out;
    while (st.step()) {
      ImportedAwardRecord r;
      r.id = st.int64(0);
      r.party = PartyId{st.int64(1)};
      r.import_key = st.text(2);
      r.grantor = st.text(3);
      r.grantor_id = st.text(4);
      r.granted_on = date_of(st.text(5));
      r.reference = st.text(6);
      r.object = st.text(7);
      r.amount = Money::from_cents(st.int64(8));
      r.share_bp = st.int64(9);
      r.part = Money::from_cents(st.int64(10));
      r.nature = st.text(11);
      r.payment_terms = st.text(12);
      r.payment_period = st.text(13);
      r.regime = parse_or_throw<AidRegime>(st.text(14), parse_aid_regime, "aid regime");
      r.source = st.text(15);
      r.source_line = static_cast<int>(st.int64(16));
      r.imported_at = st.text(17);
      r.imported_by = st.text(18);
      out.push_back(std::move(r));
    }
    return out;
  }

  void insert_imported_application(AuthorityId a, ApplicationId id, const std::string& source,
                                   int line, Money printed_amount, const std::string& at,
                                   const std::string& actor) override {
    scope(a);
    c_.prepare(
          "INSERT INTO imported_applications (application_id, authority_id, source, "
          "source_line, printed_amount_cents, imported_at, imported_by) VALUES (?,?,?,?,?,?,?)")
        .bind(1, id.value)
        .bind(2, a.value)
        .bind(3, source)
        .bind(4, std::int64_t{line})
        .bind(5, printed_amount.cents())
        .bind(6, at)
        .bind(7, actor)
        .run();
  }

  // ---- document templates
  std::int64_t insert_template(const TemplateRecord& t) override {
    scope(t.authority);
    return c_
        .prepare(
            "INSERT INTO document_templates (authority_id, name, version, adopted_by, "
            "applies_from, applies_until, content, sha256, uploaded_by, uploaded_at, note) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id")
        .bind(1, t.authority.value)
        .bind(2, t.name)
        .bind(3, std::int64_t{t.version})
        .bind(4, t.adopted_by)
        .bind(5, t.applies_from.iso())
        .bind(6, iso(t.applies_until))
        .bind(7, t.content)
        .bind(8, t.sha256)
        .bind(9, t.uploaded_by)
        .bind(10, t.uploaded_at)
        .bind(11, t.note)
        .run_returning_id();
  }

  std::vector<TemplateRecord> list_templates(AuthorityId a, const std::string& name,
                                             bool with_content) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT id, authority_id, name, version, adopted_by, "
                                     "applies_from, applies_until, ") +
                         (with_content ? "content" : "''") +
                         ", sha256, uploaded_by, uploaded_at, note FROM document_templates "
                         "WHERE authority_id = ? AND (? = '' OR name = ?) "
                         "ORDER BY name, version LIMIT 10000");
    st.bind(1, a.value).bind(2, name).bind(3, name);
    std::vector<TemplateRecord> out;
    while (st.step()) {
      TemplateRecord t;
      t.id = st.int64(0);
      t.authority = AuthorityId{st.int64(1)};
      t.name = st.text(2);
      t.version = static_cast<int>(st.int64(3));
      t.adopted_by = st.text(4);
      t.applies_from = date_of(st.text(5));
      t.applies_until = opt_date(st.opt_text(6));
      t.content = st.text(7);
      t.sha256 = st.text(8);
      t.uploaded_by = st.text(9);
      t.uploaded_at = st.text(10);
      t.note = st.text(11);
      out.push_back(std::move(t));
    }
    return out;
  }

  // ---- audit
  void append_audit(const AuditEntry& in) override {
    scope(in.authority);
    AuditEntry e = in;
    {
      auto st = c_.prepare(
          "SELECT authority_seq, hash FROM audit_log WHERE authority_id = ? "
          "ORDER BY authority_seq DESC LIMIT 1");
      st.bind(1, e.authority.value);
      if (st.step()) {
        e.authority_seq = st.int64(0) + 1;
        e.prev_hash = st.text(1);
      } else {
        e.authority_seq = 1;
        e.prev_hash.clear();
      }
    }
    e.hash = hasher_.sha256_hex(audit_chain_material(e, e.prev_hash));
    c_.prepare(
          "INSERT INTO audit_log (authority_id, authority_seq, at, actor, action, entity, "
          "entity_key, before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
        .bind(1, e.authority.value)
        .bind(2, e.authority_seq)
        .bind(3, e.at)
        .bind(4, e.actor)
        .bind(5, e.action)
        .bind(6, e.entity)
        .bind(7, e.entity_key)
        .bind(8, e.before)
        .bind(9, e.after)
        .bind(10, e.prev_hash)
        .bind(11, e.hash)
        .run();
  }

  std::vector<AuditEntry> list_audit(AuthorityId a, std::int64_t limit) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kAuditColumns +
                         " FROM audit_log WHERE authority_id = ? ORDER BY seq DESC LIMIT ?");
    st.bind(1, a.value).bind(2, std::clamp<std::int64_t>(limit, 1, 10000));
    std::vector<AuditEntry> out;
    while (st.step())
      out.push_back(audit_row(st));
    return out;
  }

  std::vector<AuditEntry> audit_of(AuthorityId a, const std::string& entity,
                                   const std::string& key) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kAuditColumns +
                         " FROM audit_log WHERE authority_id = ? AND entity = ? AND entity_key = ? "
                         "ORDER BY seq LIMIT 10000");
    st.bind(1, a.value).bind(2, entity).bind(3, key);
    std::vector<AuditEntry> out;
    while (st.step())
      out.push_back(audit_row(st));
    return out;
  }

  std::vector<AuditEntry> audit_trail(AuthorityId a) override {
    scope(a);
    auto st = c_.prepare(std::string("SELECT ") + kAuditColumns +
                         " FROM audit_log WHERE authority_id = ? ORDER BY authority_seq");
    st.bind(1, a.value);
    std::vector<AuditEntry> out;
    while (st.step())
      out.push_back(audit_row(st));
    return out;
  }

 private:
  template <class T>
  static std::optional<std::int64_t> id_of(const std::optional<T>& id) {
    if (!id) return std::nullopt;
    return id->value;
  }

  static BudgetLine line_row(Statement& st) {
    BudgetLine l;
    l.id = BudgetLineId{st.int64(0)};
    l.authority = AuthorityId{st.int64(1)};
    l.fiscal_year = static_cast<int>(st.int64(2));
    auto& im = l.imputation;
    im.nomenclature = parse_or_throw<Nomenclature>(st.text(3), parse_nomenclature, "nomenclature");
    im.chapter = st.text(4);
    im.function = st.text(5);
    im.nature = st.text(6);
    im.programme = st.text(7);
    im.free_code = st.text(8);
    l.programme_label = st.text(9);
    l.action = st.text(10);
    l.action_label = st.text(11);
    return l;
  }

  static LedgerEntry entry_row(Statement& st) {
    LedgerEntry e;
    e.id = LedgerEntryId{st.int64(0)};
    e.authority = AuthorityId{st.int64(1)};
    e.line = BudgetLineId{st.int64(2)};
    e.kind = parse_or_throw<MovementKind>(st.text(3), parse_movement_kind, "movement kind");
    e.amount = Money::from_cents(st.int64(4));
    e.reference = st.text(5);
    e.label = st.text(6);
    if (auto v = st.opt_int64(7)) e.application = ApplicationId{*v};
    if (auto v = st.opt_int64(8)) e.party = PartyId{*v};
    if (auto v = st.opt_int64(9)) e.article = ArticleId{*v};
    if (auto v = st.opt_int64(10)) e.reverses = LedgerEntryId{*v};
    e.at = st.text(11);
    e.actor = st.text(12);
    if (auto k = st.opt_text(13))
      e.reversed_kind = parse_or_throw<MovementKind>(*k, parse_movement_kind, "movement kind");
    return e;
  }

  static Session session_row(Statement& st) {
    return {SessionId{st.int64(0)}, AuthorityId{st.int64(1)},
            parse_or_throw<Body>(st.text(2), parse_body, "body"), date_of(st.text(3))};
  }

  static Report report_row(Statement& st) {
    Report r;
    r.id = ReportId{st.int64(0)};
    r.authority = AuthorityId{st.int64(1)};
    r.session = SessionId{st.int64(2)};
    r.number = st.text(3);
    r.title = st.text(4);
    r.state = st.text(5) == "adopted" ? ReportState::Adopted : ReportState::Draft;
    r.adopted_on = opt_date(st.opt_text(6));
    return r;
  }

  void load_articles(Report& r) {
    auto st = c_.prepare(
        "SELECT id, position, kind, title, budget_line_id, amount_cents, scheme_id, party_id, "
        "planned_total_cents, tranche_rate_numerator, tranche_rate_denominator, "
        "transfer_application_id, new_end_date FROM report_articles WHERE authority_id = ? AND "
        "report_id = ? ORDER BY position");
    st.bind(1, r.authority.value).bind(2, r.id.value);
    while (st.step()) {
      Article a;
      a.id = ArticleId{st.int64(0)};
      a.position = static_cast<int>(st.int64(1));
      a.kind = parse_or_throw<ArticleKind>(st.text(2), parse_article_kind, "article kind");
      a.title = st.text(3);
      a.line = BudgetLineId{st.int64(4)};
      a.amount = Money::from_cents(st.int64(5));
      if (auto v = st.opt_int64(6)) a.scheme = SchemeId{*v};
      if (auto v = st.opt_int64(7)) a.party = PartyId{*v};
      a.planned_total = money(st.opt_int64(8));
      if (auto n = st.opt_int64(9))
        if (auto d = st.opt_int64(10)) a.tranche_rate = Rate::ratio(*n, *d);
      if (auto v = st.opt_int64(11)) a.transfer_application = ApplicationId{*v};
      a.new_end = opt_date(st.opt_text(12));
      r.articles.push_back(std::move(a));
    }
    auto apps = c_.prepare(
        "SELECT application_id FROM report_article_applications WHERE article_id = ? "
        "ORDER BY position");
    for (auto& a : r.articles) {
      apps.reset();
      apps.bind(1, a.id.value);
      while (apps.step())
        a.applications.push_back(ApplicationId{apps.int64(0)});
    }
  }

  static AuditEntry audit_row(Statement& st) {
    AuditEntry e;
    e.seq = st.int64(0);
    e.authority = AuthorityId{st.int64(1)};
    e.authority_seq = st.int64(2);
    e.at = st.text(3);
    e.actor = st.text(4);
    e.action = st.text(5);
    e.entity = st.text(6);
    e.entity_key = st.text(7);
    e.before = st.text(8);
    e.after = st.text(9);
    e.prev_hash = st.text(10);
    e.hash = st.text(11);
    return e;
  }

  static UserRecord user_row(Statement& st) {
    UserRecord u;
    u.id = st.int64(0);
    u.authority = AuthorityId{st.int64(1)};
    u.login = st.text(2);
    u.display_name = st.text(3);
    u.role = st.text(4);
    u.service = st.text(5);
    u.password_hash = st.text(6);
    u.active = st.int64(7) != 0;
    u.created_at = st.text(8);
    return u;
  }

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
    const auto& pr = s.payment_rules;
    auto num = [](const std::optional<Rate>& rate) {
      return rate ? std::optional<std::int64_t>(rate->numerator()) : std::nullopt;
    };
    auto den = [](const std::optional<Rate>& rate) {
      return rate ? std::optional<std::int64_t>(rate->denominator()) : std::nullopt;
    };
    st.bind(i + 17, s.model_agreement);
    st.bind(i + 18, num(pr.advance_max)).bind(i + 19, den(pr.advance_max));
    st.bind(i + 20, num(pr.interim_max)).bind(i + 21, den(pr.interim_max));
    st.bind(i + 22, pr.balance_tolerance.numerator())
        .bind(i + 23, pr.balance_tolerance.denominator());
    st.bind(i + 24, opt_int(s.lapse_rules.first_request_years));
    st.bind(i + 25, opt_int(s.lapse_rules.balance_years));
    st.bind(i + 26, opt_int(s.obligation_years));
    st.bind(i + 27, std::string(to_string(s.aid_regime)));
    st.bind(i + 28, s.service);
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
    s.model_agreement = st.text(20);
    auto rate = [&](int n, int d) -> std::optional<Rate> {
      if (st.is_null(n) || st.is_null(d)) return std::nullopt;
      return Rate::ratio(st.int64(n), st.int64(d));
    };
    s.payment_rules.advance_max = rate(21, 22);
    s.payment_rules.interim_max = rate(23, 24);
    s.payment_rules.balance_tolerance = Rate::ratio(st.int64(25), st.int64(26));
    s.lapse_rules.first_request_years = int_of(st.opt_int64(27));
    s.lapse_rules.balance_years = int_of(st.opt_int64(28));
    s.obligation_years = int_of(st.opt_int64(29));
    s.aid_regime = parse_or_throw<AidRegime>(st.text(30), parse_aid_regime, "aid regime");
    s.service = st.text(31);
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
    st.bind(i + 10, std::string(to_string(app.state()))).bind(i + 11, iso(app.submitted_on));
    st.bind(i + 12, cents(app.proposed_award));
    if (app.award) {
      st.bind(i + 13, app.award->amount.cents()).bind(i + 14, app.award->date.iso());
      st.bind(i + 15, app.award->deliberation);
    } else {
      st.bind_null(i + 13).bind_null(i + 14).bind_null(i + 15);
    }
    st.bind(i + 16, std::string(to_string(app.aid_regime)));
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
    app.restore_state(parse_or_throw<ApplicationState>(st.text(15), parse_state, "state"));
    app.submitted_on = opt_date(st.opt_text(16));
    app.proposed_award = money(st.opt_int64(17));
    if (!st.is_null(18))
      app.award = Award{Money::from_cents(st.int64(18)), date_of(st.text(19)), st.text(20)};
    app.aid_regime = parse_or_throw<AidRegime>(st.text(21), parse_aid_regime, "aid regime");
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

  // On PostgreSQL, a write transaction locks the row of each authority it touches, the first
  // time it does, before reading anything of it (see the header). Nothing to do on SQLite.
  void scope(AuthorityId a) {
    if (mode_ != TxMode::Write || c_.dialect() != Dialect::Postgres) return;
    if (!locked_.insert(a.value).second) return;
    auto st = c_.prepare("SELECT id FROM authorities WHERE id = ? FOR UPDATE");
    st.bind(1, a.value).run();
  }

  // scope() for the authority of the login session with this token hash, if there is one.
  void scope_session(const std::string& token_hash) {
    if (mode_ != TxMode::Write || c_.dialect() != Dialect::Postgres) return;
    auto st = c_.prepare("SELECT authority_id FROM login_sessions WHERE token_hash = ?");
    st.bind(1, token_hash);
    if (!st.step()) return;
    const AuthorityId a{st.int64(0)};
    st.run();
    scope(a);
  }

  ConnectionPool& pool_;
  Hasher& hasher_;
  std::unique_ptr<Connection> owned_;
  Connection& c_;
  TxMode mode_;
  std::set<std::int64_t> locked_;
  bool open_ = false;
};

}  // namespace

std::unique_ptr<Transaction> begin_transaction(ConnectionPool& pool, Hasher& hasher,
                                               std::unique_ptr<Connection> c, TxMode mode) {
  return std::make_unique<SqlTransaction>(pool, hasher, std::move(c), mode);
}

}  // namespace octroi::sql
