// The schemes port (app/ports/schemes.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/schemes.h"

namespace octroi::sql {
namespace {

constexpr const char* kSchemeColumns =
    "id, authority_id, number, name, framework_deliberation, section, budget_imputation, "
    "budget_action, opens_on, closes_on, rule_kind, rate_numerator, rate_denominator, "
    "rate_rounding, base, step_cents, step_rounding, cap_cents, not_above_request, fixed_cents, "
    "model_agreement, advance_max_num, advance_max_den, interim_max_num, interim_max_den, "
    "tolerance_num, tolerance_den, lapse_first_request_years, lapse_balance_years, "
    "obligation_years, aid_regime, service";

class SqlSchemes final : public SchemesPort {
 public:
  explicit SqlSchemes(TxContext& t) : t_(t) {}

  std::optional<AidScheme> find_scheme(AuthorityId a, const std::string& number) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kSchemeColumns +
                           " FROM aid_schemes WHERE authority_id = ? AND number = ?");
    Params(st).add(a.value).add(number);
    if (!st.step()) return std::nullopt;
    return with_chain(scheme_row(st));
  }

  std::optional<AidScheme> get_scheme(AuthorityId a, SchemeId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kSchemeColumns +
                           " FROM aid_schemes WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    return with_chain(scheme_row(st));
  }

  std::vector<AidScheme> list_schemes(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kSchemeColumns +
                           " FROM aid_schemes WHERE authority_id = ? ORDER BY number");
    Params(st).add(a.value);
    std::vector<AidScheme> out;
    while (st.step())
      out.push_back(scheme_row(st));
    st.reset();
    auto levels = t_.c.prepare(std::string("SELECT scheme_id, ") + kLevelColumns +
                               " FROM scheme_approval_levels WHERE authority_id = ? "
                               "ORDER BY scheme_id, level");
    Params(levels).add(a.value);
    while (levels.step()) {
      Row c(levels);
      const SchemeId scheme = c.id<SchemeId>();
      const ApprovalLevel l = level_row(c);
      for (auto& s : out)
        if (s.id == scheme) s.approval_chain.push_back(l);
    }
    return out;
  }

  SchemeId insert_scheme(const AidScheme& s) override {
    t_.scope(s.authority);
    auto st = t_.c.prepare(
        "INSERT INTO aid_schemes (authority_id, number, name, framework_deliberation, section, "
        "budget_imputation, budget_action, opens_on, closes_on, rule_kind, rate_numerator, "
        "rate_denominator, rate_rounding, base, step_cents, step_rounding, cap_cents, "
        "not_above_request, fixed_cents, model_agreement, advance_max_num, advance_max_den, "
        "interim_max_num, interim_max_den, tolerance_num, tolerance_den, "
        "lapse_first_request_years, lapse_balance_years, obligation_years, aid_regime, service) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    Params p(st);
    p.add(s.authority).add(s.number);
    bind_scheme(p, s);
    return SchemeId{st.run_returning_id()};
  }

  void update_scheme(const AidScheme& s) override {
    t_.scope(s.authority);
    auto st = t_.c.prepare(
        "UPDATE aid_schemes SET name = ?, framework_deliberation = ?, section = ?, "
        "budget_imputation = ?, budget_action = ?, opens_on = ?, closes_on = ?, rule_kind = ?, "
        "rate_numerator = ?, rate_denominator = ?, rate_rounding = ?, base = ?, step_cents = ?, "
        "step_rounding = ?, cap_cents = ?, not_above_request = ?, fixed_cents = ?, "
        "model_agreement = ?, advance_max_num = ?, advance_max_den = ?, interim_max_num = ?, "
        "interim_max_den = ?, tolerance_num = ?, tolerance_den = ?, lapse_first_request_years = ?, "
        "lapse_balance_years = ?, obligation_years = ?, aid_regime = ?, service = ? "
        "WHERE authority_id = ? AND id = ?");
    Params p(st);
    bind_scheme(p, s);
    p.add(s.authority).add(s.id).run();
    if (t_.c.changes() != 1) throw StoreError("scheme to update not found");
  }

  void replace_approval_chain(AuthorityId a, SchemeId id,
                              const std::vector<ApprovalLevel>& chain) override {
    t_.scope(a);
    Params(
        t_.c.prepare("DELETE FROM scheme_approval_levels WHERE authority_id = ? AND scheme_id = ?"))
        .add(a.value)
        .add(id.value)
        .run();
    for (const auto& l : chain)
      Params(t_.c.prepare("INSERT INTO scheme_approval_levels (authority_id, scheme_id, level, "
                          "label, role, may_return) VALUES (?, ?, ?, ?, ?, ?)"))
          .add(a.value)
          .add(id.value)
          .add(l.level)
          .add(l.label)
          .add(l.role)
          .add(l.may_return)
          .run();
  }

 private:
  static constexpr const char* kLevelColumns = "level, label, role, may_return";

  static ApprovalLevel level_row(Row& c) {
    ApprovalLevel l;
    l.level = static_cast<int>(c.int64());
    l.label = c.text();
    l.role = c.text();
    l.may_return = c.flag();
    return l;
  }

  // The scheme with its approval chain.
  AidScheme with_chain(AidScheme s) {
    auto st = t_.c.prepare(std::string("SELECT ") + kLevelColumns +
                           " FROM scheme_approval_levels WHERE authority_id = ? AND "
                           "scheme_id = ? ORDER BY level");
    Params(st).add(s.authority.value).add(s.id.value);
    while (st.step()) {
      Row c(st);
      s.approval_chain.push_back(level_row(c));
    }
    return s;
  }

  // The scheme's fields, from name to service (29 parameters).
  static void bind_scheme(Params& p, const AidScheme& s) {
    const auto& r = s.rule;
    p.add(s.name).add(s.framework_deliberation).add(to_string(s.section));
    p.add(s.budget_imputation).add(s.budget_action).add(s.opens_on).add(s.closes_on);
    p.add(to_string(r.kind)).add(r.rate).add(to_string(r.rate_rounding)).add(to_string(r.base));
    p.add(r.step).add(to_string(r.step_rounding)).add(r.cap).add(r.not_above_request);
    p.add(r.fixed_amount).add(s.model_agreement);
    const auto& pr = s.payment_rules;
    p.add(pr.advance_max).add(pr.interim_max).add(pr.balance_tolerance);
    p.add(s.lapse_rules.first_request_years).add(s.lapse_rules.balance_years);
    p.add(s.obligation_years).add(to_string(s.aid_regime)).add(s.service);
  }

  static AidScheme scheme_row(const Statement& st) {
    Row c(st);
    AidScheme s;
    s.id = c.id<SchemeId>();
    s.authority = c.id<AuthorityId>();
    s.number = c.text();
    s.name = c.text();
    s.framework_deliberation = c.text();
    s.section = c.parsed<BudgetSection>(parse_budget_section, "section");
    s.budget_imputation = c.text();
    s.budget_action = c.text();
    s.opens_on = c.opt_date();
    s.closes_on = c.opt_date();
    auto& r = s.rule;
    r.kind = c.parsed<AwardKind>(parse_award_kind, "rule kind");
    r.rate = c.rate();
    r.rate_rounding = c.parsed<Rounding>(parse_rounding, "rounding");
    r.base = c.parsed<BaseRequirement>(parse_base_requirement, "base");
    r.step = c.opt_money();
    r.step_rounding = c.parsed<Rounding>(parse_rounding, "rounding");
    r.cap = c.opt_money();
    r.not_above_request = c.flag();
    r.fixed_amount = c.opt_money();
    s.model_agreement = c.text();
    s.payment_rules.advance_max = c.opt_rate();
    s.payment_rules.interim_max = c.opt_rate();
    s.payment_rules.balance_tolerance = c.rate();
    s.lapse_rules.first_request_years = c.opt_integer();
    s.lapse_rules.balance_years = c.opt_integer();
    s.obligation_years = c.opt_integer();
    s.aid_regime = c.parsed<AidRegime>(parse_aid_regime, "aid regime");
    s.service = c.text();
    return s;
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<SchemesPort> schemes_rows(TxContext& t) {
  return std::make_unique<SqlSchemes>(t);
}

}  // namespace octroi::sql
