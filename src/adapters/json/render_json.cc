#include <nlohmann/json.hpp>

#include "adapters/json/render_json.h"
#include "core/french.h"

namespace octroi::json {
namespace {

using nlohmann::ordered_json;

std::string percent_string(std::int64_t bp) {
  const bool neg = bp < 0;
  const std::int64_t m = neg ? -bp : bp;
  std::string frac = std::to_string(m % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return (neg ? "-" : "") + std::to_string(m / 100) + "." + frac;
}

ordered_json opt_money(const std::optional<Money>& m) {
  return m ? ordered_json(m->to_decimal_string()) : ordered_json(nullptr);
}

ordered_json opt_date(const std::optional<Date>& d) {
  return d ? ordered_json(d->iso()) : ordered_json(nullptr);
}

ordered_json problems(const std::vector<Problem>& ps) {
  ordered_json arr = ordered_json::array();
  for (const auto& p : ps)
    arr.push_back({{"code", p.code}, {"field", p.field}, {"message", p.message}});
  return arr;
}

ordered_json rule_json(const AwardRule& r) {
  return {{"kind", to_string(r.kind)},
          {"rate_percent", r.rate.to_percent_string()},
          {"rate_rounding", to_string(r.rate_rounding)},
          {"base", to_string(r.base)},
          {"step", opt_money(r.step)},
          {"step_rounding", to_string(r.step_rounding)},
          {"cap", opt_money(r.cap)},
          {"not_above_request", r.not_above_request},
          {"fixed_amount", opt_money(r.fixed_amount)},
          {"description", r.describe()}};
}

ordered_json approval_chain_json(const std::vector<ApprovalLevel>& chain) {
  ordered_json arr = ordered_json::array();
  for (const auto& l : chain)
    arr.push_back(
        {{"level", l.level}, {"label", l.label}, {"role", l.role}, {"may_return", l.may_return}});
  return arr;
}

ordered_json scheme_json(const AidScheme& s) {
  return {
      {"number", s.number},
      {"name", s.name},
      {"framework_deliberation", s.framework_deliberation},
      {"section", to_string(s.section)},
      {"budget_imputation", s.budget_imputation},
      {"budget_action", s.budget_action},
      {"opens_on", opt_date(s.opens_on)},
      {"closes_on", opt_date(s.closes_on)},
      {"rule", rule_json(s.rule)},
      {"model_agreement", s.model_agreement},
      {"service", s.service},
      {"advance_max_percent", s.payment_rules.advance_max
                                  ? ordered_json(s.payment_rules.advance_max->to_percent_string())
                                  : ordered_json(nullptr)},
      {"interim_max_percent", s.payment_rules.interim_max
                                  ? ordered_json(s.payment_rules.interim_max->to_percent_string())
                                  : ordered_json(nullptr)},
      {"balance_tolerance_percent", s.payment_rules.balance_tolerance.to_percent_string()},
      {"lapse_first_request_years", s.lapse_rules.first_request_years
                                        ? ordered_json(*s.lapse_rules.first_request_years)
                                        : ordered_json(nullptr)},
      {"lapse_balance_years", s.lapse_rules.balance_years
                                  ? ordered_json(*s.lapse_rules.balance_years)
                                  : ordered_json(nullptr)},
      {"obligation_years",
       s.obligation_years ? ordered_json(*s.obligation_years) : ordered_json(nullptr)},
      {"aid_regime", to_string(s.aid_regime)},
      {"approval_chain", approval_chain_json(s.approval_chain)}};
}

ordered_json party_json(const Party& p) {
  const auto& r = p.representative;
  const auto& a = p.address;
  return {{"id", p.id.value},
          {"legal_name", p.legal_name},
          {"legal_status", p.legal_status},
          {"siren", p.siren},
          {"siret", p.siret},
          {"rna", p.rna},
          {"naf", p.naf},
          {"recovers_vat", p.recovers_vat},
          {"representative",
           {{"civility", r.civility},
            {"first_name", r.first_name},
            {"last_name", r.last_name},
            {"role", r.role}}},
          {"address",
           {{"line1", a.line1},
            {"line2", a.line2},
            {"postal_code", a.postal_code},
            {"city", a.city},
            {"insee_code", a.insee_code}}},
          {"departement", p.departement}};
}

ordered_json lines_json(const std::vector<PrintedLine>& lines, bool expenses,
                        const FinancingPlan& plan) {
  ordered_json arr = ordered_json::array();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    ordered_json j = {{"position", i + 1},
                      {"label", l.label},
                      {"amount", l.amount.to_decimal_string()},
                      {"share_percent", percent_string(l.share_bp)}};
    if (expenses) {
      j["eligible"] = l.eligible;
    } else {
      j["kind"] = to_string(plan.resources[i].kind);
      j["status"] = plan.resources[i].status;
    }
    arr.push_back(j);
  }
  return arr;
}

ordered_json application_json(const ApplicationView& v) {
  const auto& a = v.application;
  ordered_json award = nullptr;
  if (v.award) {
    award = {{"amount", v.award->amount.to_decimal_string()},
             {"capped", v.award->capped},
             {"limited_by_request", v.award->limited_by_request},
             {"explanation", v.award->explanation}};
  }
  ordered_json awarded = nullptr;
  if (a.award)
    awarded = {{"amount", a.award->amount.to_decimal_string()},
               {"date", a.award->date.iso()},
               {"deliberation", a.award->deliberation}};
  ordered_json history = ordered_json::array();
  for (const auto& h : v.history)
    history.push_back({{"at", h.at.iso()},
                       {"actor", h.actor},
                       {"event", h.event},
                       {"from", h.from_state},
                       {"to", h.to_state},
                       {"reason", h.reason}});
  ordered_json beneficiaries = ordered_json::array();
  for (const auto& [record, party] : v.beneficiaries)
    beneficiaries.push_back({{"party_id", party.id.value},
                             {"legal_name", party.legal_name},
                             {"since", record.since.iso()},
                             {"deliberation", record.deliberation}});
  return {
      {"number", a.number},
      {"state", to_string(a.state())},
      {"state_label", french(a.state())},
      {"scheme", scheme_json(v.scheme)},
      {"party", party_json(v.party)},
      {"project",
       {{"title", a.project.title},
        {"description", a.project.description},
        {"place", a.project.place},
        {"start", a.project.start.iso()},
        {"end", a.project.end.iso()}}},
      {"early_start",
       {{"requested", a.early_start.requested},
        {"date", opt_date(a.early_start.date)},
        {"justification", a.early_start.justification}}},
      {"reference_year", a.reference_year},
      {"basis", to_string(a.basis)},
      {"plan",
       {{"expenses", lines_json(v.plan.expenses, true, a.plan)},
        {"resources", lines_json(v.plan.resources, false, a.plan)},
        {"total_expenses", v.plan.total_expenses.to_decimal_string()},
        {"total_resources", v.plan.total_resources.to_decimal_string()},
        {"expense_shares_sum_percent", percent_string(v.plan.expense_shares_sum_bp)},
        {"resource_shares_sum_percent", percent_string(v.plan.resource_shares_sum_bp)},
        {"balanced", v.plan.balanced}}},
      {"eligible_base", v.plan.eligible_base.to_decimal_string()},
      {"requested", v.plan.requested.to_decimal_string()},
      {"computed_award", award},
      {"award_problems",
       v.award_refusal ? problems(v.award_refusal->problems) : ordered_json(nullptr)},
      {"submitted_on", opt_date(a.submitted_on)},
      {"proposed_award", opt_money(a.proposed_award)},
      {"rule_award", opt_money(a.rule_award)},
      {"proposal_reason", a.proposal_reason},
      {"award", awarded},
      {"history", history},
      {"history_total", v.history_total},
      {"beneficiaries", beneficiaries},
  };
}

std::string dump(const ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string json_application(const ApplicationView& v) {
  return dump(application_json(v));
}

std::string json_application_list(const std::vector<ApplicationView>& list) {
  ordered_json arr = ordered_json::array();
  for (const auto& v : list)
    arr.push_back(application_json(v));
  return dump(arr);
}

std::string json_scheme(const AidScheme& s) {
  return dump(scheme_json(s));
}

std::string json_schemes(const std::vector<AidScheme>& list) {
  ordered_json arr = ordered_json::array();
  for (const auto& s : list)
    arr.push_back(scheme_json(s));
  return dump(arr);
}

std::string json_party(const Party& p, const std::vector<Problem>& warnings) {
  ordered_json j = party_json(p);
  j["warnings"] = problems(warnings);
  return dump(j);
}

std::string json_parties(const std::vector<Party>& list) {
  ordered_json arr = ordered_json::array();
  for (const auto& p : list)
    arr.push_back(party_json(p));
  return dump(arr);
}

namespace {

ordered_json balances_json(const LineBalances& b) {
  return {{"ae_voted", b.ae_voted.to_decimal_string()},
          {"allocated", b.allocated.to_decimal_string()},
          {"committed", b.committed.to_decimal_string()},
          {"paid", b.paid.to_decimal_string()},
          {"available", b.available().to_decimal_string()},
          {"cp_voted", b.cp_voted.to_decimal_string()},
          {"cp_used", b.cp_used.to_decimal_string()},
          {"cp_available", (b.cp_voted - b.cp_used).to_decimal_string()}};
}

ordered_json line_json(const BudgetLine& l) {
  return {{"key", l.key()},
          {"fiscal_year", l.fiscal_year},
          {"imputation", l.imputation.str()},
          {"nomenclature", to_string(l.imputation.nomenclature)},
          {"section", to_string(l.imputation.section())},
          {"chapter", l.imputation.chapter},
          {"function", l.imputation.function},
          {"nature", l.imputation.nature},
          {"programme", l.imputation.programme},
          {"programme_label", l.programme_label},
          {"action", l.action},
          {"action_label", l.action_label}};
}

template <class T>
ordered_json opt_id(const std::optional<T>& id) {
  return id ? ordered_json(id->value) : ordered_json(nullptr);
}

}  // namespace

std::string json_budget(const std::vector<BudgetLineView>& lines) {
  ordered_json arr = ordered_json::array();
  for (const auto& v : lines) {
    ordered_json j = line_json(v.line);
    j["balances"] = balances_json(v.balances);
    arr.push_back(j);
  }
  return dump(arr);
}

std::string json_journal(const std::vector<LedgerEntry>& entries) {
  ordered_json arr = ordered_json::array();
  for (const auto& e : entries)
    arr.push_back({{"id", e.id.value},
                   {"kind", to_string(e.kind)},
                   {"amount", e.amount.to_decimal_string()},
                   {"reference", e.reference},
                   {"label", e.label},
                   {"application_id", opt_id(e.application)},
                   {"party_id", opt_id(e.party)},
                   {"article_id", opt_id(e.article)},
                   {"reverses", opt_id(e.reverses)},
                   {"on", opt_date(e.on)},
                   {"at", e.at.iso()},
                   {"actor", e.actor}});
  return dump(arr);
}

std::string json_ledger_verification(const LedgerVerification& v) {
  ordered_json diffs = ordered_json::array();
  for (const auto& d : v.differences)
    diffs.push_back({{"line", d.line.key()},
                     {"what", d.what},
                     {"stored", balances_json(d.stored)},
                     {"journal", balances_json(d.journal)}});
  return dump({{"lines", v.lines},
               {"entries", v.entries},
               {"ok", v.differences.empty()},
               {"differences", diffs}});
}

std::string json_report(const ReportView& v) {
  const auto& r = v.report;
  ordered_json articles = ordered_json::array();
  for (const auto& av : v.articles) {
    const auto& a = av.article;
    ordered_json apps = ordered_json::array();
    for (const auto& app : av.applications)
      apps.push_back(
          {{"number", app.application.number},
           {"beneficiary", app.party.legal_name},
           {"state", to_string(app.application.state())},
           {"proposed_award", opt_money(app.application.proposed_award)},
           {"rule_award", opt_money(app.application.rule_award)},
           {"proposal_reason", app.application.proposal_reason},
           {"award", app.application.award
                         ? ordered_json(app.application.award->amount.to_decimal_string())
                         : ordered_json(nullptr)}});
    articles.push_back(
        {{"position", a.position},
         {"kind", to_string(a.kind)},
         {"title", a.title},
         {"line", line_json(av.line)},
         {"amount", a.amount.to_decimal_string()},
         {"scheme",
          av.scheme_number.empty() ? ordered_json(nullptr) : ordered_json(av.scheme_number)},
         {"applications", apps},
         {"party", av.party ? ordered_json(av.party->legal_name) : ordered_json(nullptr)},
         {"planned_total", opt_money(a.planned_total)},
         {"tranche_rate_percent", a.tranche_rate ? ordered_json(a.tranche_rate->to_percent_string())
                                                 : ordered_json(nullptr)}});
  }
  ordered_json checks = ordered_json::array();
  for (const auto& c : v.checks)
    checks.push_back({{"line", c.line.key()},
                      {"needed", c.needed.to_decimal_string()},
                      {"available", c.available.to_decimal_string()},
                      {"enough", c.enough}});
  return dump({{"number", r.number},
               {"title", r.title},
               {"body", to_string(v.session.body)},
               {"session_date", v.session.date.iso()},
               {"state", to_string(r.state)},
               {"adopted_on", opt_date(r.adopted_on)},
               {"articles", articles},
               {"budget_check", checks},
               {"vote_refusal",
                v.vote_refusal ? problems(v.vote_refusal->problems) : ordered_json(nullptr)}});
}

std::string json_authority(const Authority& a) {
  return dump(ordered_json{{"code", a.code},
                           {"name", a.name},
                           {"siret", a.siret},
                           {"address", a.address},
                           {"executive", a.executive}});
}

std::string json_sessions(const std::vector<Session>& list) {
  ordered_json arr = ordered_json::array();
  for (const auto& s : list)
    arr.push_back({{"body", to_string(s.body)}, {"date", s.date.iso()}});
  return dump(arr);
}

std::string json_party_view(const PartyView& v) {
  ordered_json j = party_json(v.party);
  ordered_json dossiers = ordered_json::array();
  for (const auto& d : v.dossiers)
    dossiers.push_back({{"number", d.dossier.application.number},
                        {"title", d.dossier.application.project.title},
                        {"scheme", d.dossier.scheme.number},
                        {"state", to_string(d.dossier.application.state())},
                        {"awarded", d.awarded.to_decimal_string()},
                        {"paid", d.paid.to_decimal_string()}});
  j["dossiers"] = dossiers;
  j["total_awarded"] = v.total_awarded.to_decimal_string();
  j["total_paid"] = v.total_paid.to_decimal_string();
  ordered_json undertaking = ordered_json::array();
  for (const auto& p : v.undertaking)
    undertaking.push_back({{"id", p.id.value}, {"legal_name", p.legal_name}});
  ordered_json aids = ordered_json::array();
  for (const auto& a : v.de_minimis_aids)
    aids.push_back({{"granted_on", a.granted_on.iso()},
                    {"amount", a.amount.to_decimal_string()},
                    {"regime", to_string(a.regime)},
                    {"source", a.source}});
  j["de_minimis"] = {{"regime", to_string(v.de_minimis_regime)},
                     {"window_start", v.de_minimis.window_start.iso()},
                     {"window_end", v.de_minimis.window_end.iso()},
                     {"used", v.de_minimis.used.to_decimal_string()},
                     {"ceiling", v.de_minimis.ceiling.to_decimal_string()},
                     {"room", v.de_minimis.room.to_decimal_string()},
                     {"single_undertaking_with", undertaking},
                     {"aids", aids}};
  ordered_json imported = ordered_json::array();
  for (const auto& r : v.imported)
    imported.push_back({{"granted_on", r.granted_on.iso()},
                        {"grantor", r.grantor},
                        {"grantor_id", r.grantor_id},
                        {"reference", r.reference},
                        {"object", r.object},
                        {"amount", r.amount.to_decimal_string()},
                        {"share_basis_points", r.share_bp},
                        {"part", r.part.to_decimal_string()},
                        {"regime", to_string(r.regime)},
                        {"beneficiary_name", r.beneficiary_name},
                        {"beneficiary_siret", r.beneficiary_siret},
                        {"source", r.source},
                        {"source_line", r.source_line}});
  j["imported_awards"] = imported;
  ordered_json establishments = ordered_json::array();
  for (const auto& e : v.establishments)
    establishments.push_back({{"siret", e.siret},
                              {"name", e.name},
                              {"source", e.source},
                              {"since", e.created_at.iso()}});
  j["establishments"] = establishments;
  j["total_imported"] = v.total_imported.to_decimal_string();
  return dump(j);
}

std::string json_line(const BudgetLine& line, const LineBalances& b) {
  ordered_json j = line_json(line);
  j["balances"] = balances_json(b);
  return dump(j);
}

std::string json_awards(const AwardsOverview& overview) {
  ordered_json arr = ordered_json::array();
  for (const auto& v : overview.awards) {
    const auto& app = v.dossier.application;
    arr.push_back({{"number", app.number},
                   {"beneficiary", v.dossier.party.legal_name},
                   {"state", to_string(app.state())},
                   {"awarded", app.award ? ordered_json(app.award->amount.to_decimal_string())
                                         : ordered_json(nullptr)},
                   {"agreement", !v.agreement               ? "none"
                                 : v.agreement->is_signed() ? "signed"
                                                            : "drafted"},
                   {"paid", v.paid.to_decimal_string()},
                   {"remaining", v.remaining.to_decimal_string()}});
  }
  return dump({{"total_awarded", overview.total_awarded.to_decimal_string()},
               {"total_paid", overview.total_paid.to_decimal_string()},
               {"total_remaining", overview.total_remaining.to_decimal_string()},
               {"items", arr}});
}

std::string json_tokens(const std::vector<ApiTokenRecord>& list) {
  ordered_json arr = ordered_json::array();
  for (const auto& t : list)
    arr.push_back(
        {{"id", t.id},
         {"label", t.label},
         {"role", t.role},
         {"service", t.service},
         {"owner", t.owner_login.empty() ? ordered_json(nullptr) : ordered_json(t.owner_login)},
         {"created_at", t.created_at.iso()},
         {"expires_at", t.expires_at.iso()},
         {"revoked_at", t.revoked_at ? ordered_json(t.revoked_at->iso()) : ordered_json(nullptr)}});
  return dump(arr);
}

namespace {

std::string one_json_line(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string json_import_head(const ImportReport& r) {
  return one_json_line(
      {{"file", r.source},
       {"encoding", r.encoding},
       {"separator",
        r.delimiter == '\0' ? ordered_json(nullptr) : ordered_json(std::string(1, r.delimiter))},
       {"dry_run", r.dry_run},
       {"header_line", r.header_line},
       {"columns_kept", r.columns_kept}});
}

std::string json_import_line(const LineReport& l) {
  ordered_json notes = ordered_json::array();
  for (const auto& n : l.notes)
    notes.push_back({{"column", n.column}, {"message", n.message}});
  return one_json_line({{"line", l.line},
                        {"outcome", std::string(kLineOutcomeNames.code(l.outcome))},
                        {"beneficiary", l.beneficiary},
                        {"amount", l.amount},
                        {"notes", notes}});
}

std::string json_import_tail(const ImportReport& r) {
  return one_json_line({{"accepted", r.accepted},
                        {"with_warnings", r.with_warnings},
                        {"rejected", r.rejected},
                        {"already_imported", r.already},
                        {"duplicates", r.duplicates},
                        {"parties_created", r.parties_created},
                        {"establishments_added", r.establishments_added},
                        {"summary", import_summary(r)}});
}

std::string json_import_lines(const ImportReport& r, bool problems_only) {
  std::string out = json_import_head(r);
  for (const auto& l : r.lines)
    if (!problems_only || l.outcome != LineOutcome::Accepted) out += json_import_line(l);
  return out + json_import_tail(r);
}

std::string json_users(const std::vector<UserRecord>& list) {
  ordered_json arr = ordered_json::array();
  for (const auto& u : list)  // never the password hash
    arr.push_back({{"login", u.login},
                   {"display_name", u.display_name},
                   {"role", u.role},
                   {"service", u.service},
                   {"active", u.active},
                   {"must_change_password", u.must_change_password},
                   {"created_at", u.created_at.iso()}});
  return dump(arr);
}

std::string json_audit_verification(const AuditVerification& v) {
  ordered_json problems_j = ordered_json::array();
  for (const auto& p : v.problems)
    problems_j.push_back({{"authority_seq", p.authority_seq}, {"what", p.what}});
  return dump({{"entries", v.entries},
               {"ok", v.problems.empty()},
               {"head", {{"seq", v.head_seq}, {"hash", v.head_hash}}},
               {"problems", problems_j}});
}

std::string json_copy_report(const stores::CopyReport& r) {
  ordered_json authorities = ordered_json::array();
  for (const auto& a : r.authorities) {
    ordered_json tables = ordered_json::object();
    for (const auto& t : a.tables)
      tables[t.table] = {{"source", t.source}, {"target", t.target}};
    authorities.push_back({{"code", a.code},
                           {"tables", tables},
                           {"budget_lines", a.budget_lines},
                           {"ledger_entries", a.ledger_entries},
                           {"audit_entries", a.audit_entries},
                           {"audit_head", a.audit_head_hash}});
  }
  return dump({{"from", r.from},
               {"to", r.to},
               {"rows", r.rows},
               {"verified", true},
               {"authorities", authorities}});
}

std::string json_award(const AwardView& v) {
  ordered_json j = application_json(v.dossier);
  if (v.agreement) {
    const auto& ag = *v.agreement;
    j["agreement"] = {{"model_deliberation", ag.model_deliberation},
                      {"eligibility_start", ag.eligibility_start.iso()},
                      {"eligibility_end", ag.eligibility_end.iso()},
                      {"early_start", opt_date(ag.early_start)},
                      {"signed_by_beneficiary_on", opt_date(ag.signed_by_beneficiary_on)},
                      {"signed_by_authority_on", opt_date(ag.signed_by_authority_on)},
                      {"signed", ag.is_signed()}};
  } else {
    j["agreement"] = nullptr;
  }
  j["aid_regime"] = to_string(v.dossier.application.aid_regime);
  j["paid"] = v.paid.to_decimal_string();
  j["remaining"] = v.remaining.to_decimal_string();
  ordered_json payments = ordered_json::array();
  for (const auto& p : v.payments) {
    ordered_json lines = ordered_json::array();
    for (const auto& l : p.lines)
      lines.push_back(
          {{"label", l.label}, {"amount", l.amount.to_decimal_string()}, {"eligible", l.eligible}});
    payments.push_back({{"reference", p.reference},
                        {"kind", to_string(p.kind)},
                        {"requested_on", p.requested_on.iso()},
                        {"amount", p.amount.to_decimal_string()},
                        {"realised_eligible", opt_money(p.realised_eligible)},
                        {"lines", lines}});
  }
  j["payments"] = payments;
  ordered_json clawbacks = ordered_json::array();
  for (const auto& c : v.clawbacks)
    clawbacks.push_back(
        {{"amount", c.amount.to_decimal_string()},
         {"reason", c.reason},
         {"decided_on", c.decided_on.iso()},
         {"reference", c.reference},
         {"years_total", c.years_total ? ordered_json(*c.years_total) : nullptr},
         {"years_remaining", c.years_remaining ? ordered_json(*c.years_remaining) : nullptr}});
  j["clawbacks"] = clawbacks;
  ordered_json amendments = ordered_json::array();
  for (const auto& m : v.amendments)
    amendments.push_back({{"number", m.number},
                          {"kind", m.kind},
                          {"deliberation", m.deliberation},
                          {"approved_on", m.approved_on.iso()}});
  j["amendments"] = amendments;
  ordered_json checks = ordered_json::array();
  for (const auto& c : v.state_aid_checks)
    checks.push_back(ordered_json::parse(json_state_aid_check(c)));
  j["state_aid_checks"] = checks;
  ordered_json conditions = ordered_json::array();
  for (const auto& c : v.conditions)
    conditions.push_back(
        {{"id", c.id}, {"label", c.label}, {"status", c.status}, {"due_on", opt_date(c.due_on)}});
  j["conditions"] = conditions;
  ordered_json outcomes = ordered_json::array();
  for (const auto& o : v.outcomes)
    outcomes.push_back(
        {{"indicator", o.indicator}, {"value", o.value}, {"reported_on", o.reported_on.iso()}});
  j["outcomes"] = outcomes;
  return dump(j);
}

std::string json_lapse(const std::vector<LapseSweepItem>& items, bool dry_run) {
  ordered_json arr = ordered_json::array();
  for (const auto& i : items)
    arr.push_back({{"number", i.number},
                   {"reason", i.decision.reason},
                   {"deadline", i.decision.deadline.iso()},
                   {"to_release", i.decision.to_release.to_decimal_string()}});
  return dump({{"dry_run", dry_run}, {"lapsed", arr}});
}

std::string json_state_aid_check(const StateAidCheckRecord& r) {
  return dump({{"stage", std::string(to_string(r.stage))},
               {"regime", to_string(r.regime)},
               {"checked_on", r.checked_on.iso()},
               {"amount", r.amount.to_decimal_string()},
               {"used", r.used.to_decimal_string()},
               {"ceiling", r.ceiling.to_decimal_string()},
               {"room", r.room.to_decimal_string()},
               {"ok", r.ok}});
}

std::string json_refusal(const Refusal& r) {
  return dump({{"refused", problems(r.problems)}});
}

std::string json_audit(const std::vector<AuditEntry>& list) {
  ordered_json arr = ordered_json::array();
  for (const auto& e : list)
    arr.push_back({{"seq", e.seq},
                   {"at", e.at.iso()},
                   {"actor", e.actor},
                   {"action", e.action},
                   {"entity", e.entity},
                   {"key", e.entity_key},
                   {"before", e.before},
                   {"after", e.after}});
  return dump(arr);
}

}  // namespace octroi::json
