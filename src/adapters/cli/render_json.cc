#include <nlohmann/json.hpp>

#include "adapters/cli/render.h"
#include "core/french.h"

namespace octroi::cli {
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

ordered_json scheme_json(const AidScheme& s) {
  return {{"number", s.number},
          {"name", s.name},
          {"framework_deliberation", s.framework_deliberation},
          {"section", to_string(s.section)},
          {"budget_imputation", s.budget_imputation},
          {"budget_action", s.budget_action},
          {"opens_on", opt_date(s.opens_on)},
          {"closes_on", opt_date(s.closes_on)},
          {"rule", rule_json(s.rule)}};
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
    history.push_back({{"at", h.at},
                       {"actor", h.actor},
                       {"event", h.event},
                       {"from", h.from_state},
                       {"to", h.to_state},
                       {"reason", h.reason}});
  return {
      {"number", a.number},
      {"state", to_string(a.state)},
      {"state_label", french(a.state)},
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
      {"award", awarded},
      {"history", history},
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

std::string json_refusal(const Refusal& r) {
  return dump({{"refused", problems(r.problems)}});
}

std::string json_audit(const std::vector<AuditEntry>& list) {
  ordered_json arr = ordered_json::array();
  for (const auto& e : list)
    arr.push_back({{"seq", e.seq},
                   {"at", e.at},
                   {"actor", e.actor},
                   {"action", e.action},
                   {"entity", e.entity},
                   {"key", e.entity_key},
                   {"before", e.before},
                   {"after", e.after}});
  return dump(arr);
}

}  // namespace octroi::cli
