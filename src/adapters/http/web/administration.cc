// Administration in the back office (issue 18, finding 5), each action audited by its use case:
//   /admin/collectivite   the authority's identity (name, SIRET published as idAttribuant,
//                         address, executive) — administrators (Action::ManageUsers)
//   /dispositifs          the aid schemes, their rule, payment ceilings, lapse periods, regime
//                         and instructing service; created and edited by Action::ManageSchemes
//   /budget               the budget lines with their balances; a line created and AE/CP voted
//                         by Action::ManageBudget
// A refused form shows what was typed again, with the messages at their fields.
#include <map>
#include <string>

#include "adapters/http/web/pages.h"
#include "app/approvals.h"
#include "app/portal.h"
#include "app/ports/authorities.h"
#include "app/ports/portal.h"
#include "app/ports/schemes.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi::http::pages {
namespace {

using Typed = std::map<std::string, std::string>;

std::string typed_or(const Typed* typed, const std::string& k, const std::string& stored) {
  if (!typed) return stored;
  const auto it = typed->find(k);
  return it == typed->end() ? stored : it->second;
}

// ---- the authority ------------------------------------------------------------------------------

constexpr FormField<AuthorityInput> kAuthorityForm[] = {
    {"name", &AuthorityInput::name},
    {"siret", &AuthorityInput::siret},
    {"address", &AuthorityInput::address},
    {"executive", &AuthorityInput::executive},
};

HttpResponse authority_page(WebContext& w, const Principal& who, const Refusal* refusal = nullptr,
                            const Typed* typed = nullptr, const std::string& flash = "") {
  std::optional<Authority> a;
  for (auto& au :
       run_read(w.store, [&](Transaction& tx) { return tx.authorities().list_authorities(); }))
    if (au.id == who.authority) a = au;
  OCTROI_CHECK(a.has_value(), "the signed-in user's authority exists");
  mstch::map ctx{{"code", a->code},
                 {"name", typed_or(typed, "name", a->name)},
                 {"siret", typed_or(typed, "siret", a->siret)},
                 {"address", typed_or(typed, "address", a->address)},
                 {"executive", typed_or(typed, "executive", a->executive)},
                 {"no_siret", a->siret.empty()},
                 {"csrf", who.csrf_token}};
  return w.page("admin_authority", "La collectivité", ctx, &who, refusal, refusal ? 422 : 200,
                flash);
}

HttpResponse edit_authority_form(WebContext& w, const HttpRequest& r, const Principal& who) {
  const auto in = read_form(r, kAuthorityForm);
  const Context ctx = w.context(who);
  auto edited = run_write(w.store, [&](Transaction& tx) { return edit_authority(tx, ctx, in); });
  if (!edited.ok()) {
    const auto typed = form_values(r, kAuthorityForm);
    return authority_page(w, who, &edited.refusal(), &typed);
  }
  return redirect("/admin/collectivite?enregistre=1");
}

// ---- the schemes
// ----------------------------------------------------------------------------------

constexpr FormField<SchemeInput> kSchemeForm[] = {
    {"number", &SchemeInput::number},
    {"name", &SchemeInput::name},
    {"framework_deliberation", &SchemeInput::framework_deliberation},
    {"section", &SchemeInput::section},
    {"budget_imputation", &SchemeInput::budget_imputation},
    {"budget_action", &SchemeInput::budget_action},
    {"opens_on", &SchemeInput::opens_on},
    {"closes_on", &SchemeInput::closes_on},
    {"model_agreement", &SchemeInput::model_agreement},
    {"advance_max", &SchemeInput::advance_max},
    {"interim_max", &SchemeInput::interim_max},
    {"balance_tolerance", &SchemeInput::balance_tolerance},
    {"lapse_first_request_years", &SchemeInput::lapse_first_request_years},
    {"lapse_balance_years", &SchemeInput::lapse_balance_years},
    {"obligation_years", &SchemeInput::obligation_years},
    {"aid_regime", &SchemeInput::aid_regime},
    {"service", &SchemeInput::service},
};
constexpr FormField<AwardRuleInput> kRuleForm[] = {
    {"rule_kind", &AwardRuleInput::kind},
    {"rate_percent", &AwardRuleInput::rate_percent},
    {"rate_rounding", &AwardRuleInput::rate_rounding},
    {"base", &AwardRuleInput::base},
    {"step", &AwardRuleInput::step},
    {"step_rounding", &AwardRuleInput::step_rounding},
    {"cap", &AwardRuleInput::cap},
    {"fixed_amount", &AwardRuleInput::fixed_amount},
};

SchemeInput scheme_form(const HttpRequest& r) {
  SchemeInput in = read_form(r, kSchemeForm);
  in.rule = read_form(r, kRuleForm);
  in.rule.not_above_request = param(r, "not_above_request") == "1";
  return in;
}

// The form's fields, from `in` (the stored scheme, or what was typed).
mstch::map scheme_fields(const SchemeInput& in) {
  mstch::map f;
  for (const auto& field : kSchemeForm)
    f[field.name] = in.*field.member;
  for (const auto& field : kRuleForm)
    f[field.name] = in.rule.*field.member;
  f["not_above_request"] = in.rule.not_above_request;
  auto options = [](const std::vector<std::pair<std::string, std::string>>& all,
                    const std::string& chosen) {
    mstch::array out;
    for (const auto& [value, label] : all)
      out.push_back(mstch::map{{"value", value}, {"label", label}, {"selected", value == chosen}});
    return out;
  };
  f["sections"] =
      options({{"operating", "fonctionnement"}, {"investment", "investissement"}}, in.section);
  f["kinds"] = options({{"rate", "taux d'intervention"}, {"fixed", "forfait"}}, in.rule.kind);
  f["bases"] = options({{"by_vat_recovery", "HT ou TTC selon la récupération de la TVA"},
                        {"ht", "HT"},
                        {"ttc", "TTC"}},
                       in.rule.base);
  mstch::array regimes;
  for (AidRegime r : {AidRegime::None, AidRegime::DeMinimis1407, AidRegime::DeMinimis2831,
                      AidRegime::Sieg360, AidRegime::Gber})
    regimes.push_back(mstch::map{{"value", std::string(to_string(r))},
                                 {"label", std::string(french(r))},
                                 {"selected", std::string(to_string(r)) == in.aid_regime}});
  f["regimes"] = regimes;
  return f;
}

HttpResponse schemes_page(WebContext& w, const Principal& who, const Refusal* refusal = nullptr,
                          const SchemeInput* typed = nullptr) {
  auto list =
      run_read(w.store, [&](Transaction& tx) { return tx.schemes().list_schemes(who.authority); });
  mstch::array rows;
  for (const auto& s : list)
    rows.push_back(mstch::map{
        {"number", s.number},
        {"name", s.name},
        {"rule", s.rule.describe()},
        {"regime", std::string(french(s.aid_regime))},
        {"advance", s.payment_rules.advance_max ? fr::percent_short(*s.payment_rules.advance_max)
                                                : std::string("aucune")},
        {"service", s.service.empty() ? std::string("administrateurs") : s.service}});
  SchemeInput blank;
  mstch::map ctx{{"schemes", rows},
                 {"can_edit", permits(who.role, Action::ManageSchemes)},
                 {"form", scheme_fields(typed ? *typed : blank)},
                 {"csrf", who.csrf_token}};
  return w.page("schemes", "Dispositifs", ctx, &who, refusal, refusal ? 422 : 200);
}

// What the portal shows of the scheme (app/portal.h), as stored or as typed.
mstch::map portal_fields(const std::optional<SchemePortalRecord>& stored,
                         const SchemePortalInput* typed) {
  SchemePortalInput in;
  if (typed) {
    in = *typed;
  } else if (stored) {
    in = {stored->published, stored->eligibility,
          stored->documents, stored->file_types,
          stored->contact,   std::to_string(stored->max_file_bytes / (1024 * 1024))};
  } else {
    in.file_types = "application/pdf";
    in.max_file_bytes = "10";
  }
  return mstch::map{{"published", in.published},
                    {"eligibility", in.eligibility},
                    {"documents", in.documents},
                    {"file_types", in.file_types},
                    {"contact", in.contact},
                    {"max_file_mib", in.max_file_bytes},
                    {"on_portal", stored && stored->published}};
}

HttpResponse scheme_page(WebContext& w, const std::string& number, const Principal& who,
                         const Refusal* refusal = nullptr, const SchemeInput* typed = nullptr,
                         const std::string& flash = "",
                         const std::vector<ApprovalLevelInput>* typed_levels = nullptr,
                         const SchemePortalInput* typed_portal = nullptr) {
  auto s = run_read(w.store,
                    [&](Transaction& tx) { return scheme_by_number(tx, who.authority, number); });
  if (!s.ok()) return w.not_found(who, s.refusal());
  const AidScheme& scheme = s.value();
  const SchemeInput stored = scheme_input_of(scheme);
  const auto on_portal = run_read(w.store, [&](Transaction& tx) {
    return tx.portal().scheme_portal(who.authority, scheme.id);
  });
  // The approval chain: its levels, then empty rows to add some (as typed after a refusal).
  mstch::array levels;
  const std::size_t rows = std::min<std::size_t>(
      9, std::max(scheme.approval_chain.size() + 2, typed_levels ? typed_levels->size() : 0));
  for (std::size_t i = 0; i < rows; ++i) {
    ApprovalLevelInput l;
    if (typed_levels && i < typed_levels->size())
      l = (*typed_levels)[i];
    else if (!typed_levels && i < scheme.approval_chain.size())
      l = {scheme.approval_chain[i].label, scheme.approval_chain[i].role,
           scheme.approval_chain[i].may_return};
    mstch::array roles;
    for (const Role r : {Role::Approver, Role::Administrator, Role::Instructor})
      roles.push_back(mstch::map{{"value", std::string(to_string(r))},
                                 {"label", std::string(role_label(r))},
                                 {"selected", l.role == to_string(r)}});
    levels.push_back(mstch::map{{"i", std::to_string(i)},
                                {"n", std::to_string(i + 1)},
                                {"label", l.label},
                                {"roles", roles},
                                {"may_return", l.label.empty() || l.may_return}});
  }
  mstch::map ctx{{"chain", describe_chain(scheme.approval_chain)},
                 {"chain_levels", levels},
                 {"number", scheme.number},
                 {"name", scheme.name},
                 {"rule", scheme.rule.describe()},
                 {"regime", std::string(french(scheme.aid_regime))},
                 {"can_edit", permits(who.role, Action::ManageSchemes)},
                 {"form", scheme_fields(typed ? *typed : stored)},
                 {"portal", portal_fields(on_portal, typed_portal)},
                 {"csrf", who.csrf_token}};
  return w.page("scheme", "Dispositif " + scheme.number, ctx, &who, refusal, refusal ? 422 : 200,
                flash);
}

HttpResponse create_scheme_form(WebContext& w, const HttpRequest& r, const Principal& who) {
  const SchemeInput in = scheme_form(r);
  const Context ctx = w.context(who);
  auto created = run_write(w.store, [&](Transaction& tx) { return create_scheme(tx, ctx, in); });
  if (!created.ok()) return schemes_page(w, who, &created.refusal(), &in);
  return redirect("/dispositifs/" + url_encode(created->number) + "?cree=1");
}

HttpResponse edit_scheme_form(WebContext& w, const HttpRequest& r, const std::string& number,
                              const Principal& who) {
  SchemeInput in = scheme_form(r);
  in.number = number;  // never changes
  const Context ctx = w.context(who);
  auto edited =
      run_write(w.store, [&](Transaction& tx) { return edit_scheme(tx, ctx, number, in); });
  if (!edited.ok()) return scheme_page(w, number, who, &edited.refusal(), &in);
  return redirect("/dispositifs/" + url_encode(number) + "?enregistre=1");
}

// The chain's rows as typed: levels[i].label, levels[i].role, levels[i].may_return (a
// checkbox); a row left empty ends the chain.
std::vector<ApprovalLevelInput> chain_form(const HttpRequest& r) {
  std::vector<ApprovalLevelInput> out;
  for (int i = 0; i < 9; ++i) {
    const std::string at = "levels[" + std::to_string(i) + "]";
    ApprovalLevelInput l{param(r, at + ".label"), param(r, at + ".role"),
                         param(r, at + ".may_return") == "1"};
    if (text::trim(l.label).empty()) break;
    out.push_back(std::move(l));
  }
  return out;
}

HttpResponse chain_form_post(WebContext& w, const HttpRequest& r, const std::string& number,
                             const Principal& who) {
  const auto levels = chain_form(r);
  const Context ctx = w.context(who);
  auto set = run_write(
      w.store, [&](Transaction& tx) { return set_approval_chain(tx, ctx, number, levels); });
  if (!set.ok()) return scheme_page(w, number, who, &set.refusal(), nullptr, "", &levels);
  return redirect("/dispositifs/" + url_encode(number) + "?circuit=1");
}

HttpResponse portal_form_post(WebContext& w, const HttpRequest& r, const std::string& number,
                              const Principal& who) {
  const SchemePortalInput in{param(r, "published") == "1", param(r, "eligibility"),
                             param(r, "documents"),        param(r, "file_types"),
                             param(r, "contact"),          param(r, "max_file_bytes")};
  const Context ctx = w.context(who);
  auto set =
      run_write(w.store, [&](Transaction& tx) { return set_scheme_portal(tx, ctx, number, in); });
  if (!set.ok()) return scheme_page(w, number, who, &set.refusal(), nullptr, "", nullptr, &in);
  return redirect("/dispositifs/" + url_encode(number) + "?portail=1");
}

// ---- the budget
// -----------------------------------------------------------------------------------

constexpr FormField<BudgetLineInput> kLineForm[] = {
    {"year", &BudgetLineInput::year},
    {"imputation", &BudgetLineInput::imputation},
    {"nomenclature", &BudgetLineInput::nomenclature},
    {"programme_label", &BudgetLineInput::programme_label},
    {"action", &BudgetLineInput::action},
    {"action_label", &BudgetLineInput::action_label},
};
constexpr FormField<MovementInput> kVoteForm[] = {
    {"line", &MovementInput::line},   {"ae", &MovementInput::ae},
    {"cp", &MovementInput::cp},       {"reference", &MovementInput::reference},
    {"label", &MovementInput::label}, {"on", &MovementInput::on},
};

HttpResponse budget_page(WebContext& w, const Principal& who, const Refusal* refusal = nullptr,
                         const Typed* typed = nullptr, const std::string& flash = "") {
  auto lines = run_read(
      w.store, [&](Transaction& tx) { return budget_overview(tx, who.authority, std::nullopt); });
  mstch::array rows, options;
  if (lines.ok())
    for (const auto& v : lines.value()) {
      const std::string key = v.line.key();
      rows.push_back(budget_line_row(v));
      options.push_back(mstch::map{{"key", key},
                                   {"label", v.line.action_label},
                                   {"selected", typed_or(typed, "line", "") == key}});
    }
  mstch::map ctx{{"lines", rows},
                 {"line_options", options},
                 {"can_manage", permits(who.role, Action::ManageBudget)},
                 {"csrf", who.csrf_token},
                 {"today", fr::date_short(w.clock.today())}};
  for (const auto& f : kLineForm)
    ctx[std::string("l_") + f.name] = typed_or(
        typed, f.name, f.name == std::string("nomenclature") ? std::string("M57") : std::string());
  for (const auto& f : kVoteForm)
    ctx[std::string("v_") + f.name] =
        typed_or(typed, f.name,
                 f.name == std::string("on") ? fr::date_short(w.clock.today()) : std::string());
  return w.page("budget", "Budget", ctx, &who, refusal, refusal ? 422 : 200, flash);
}

HttpResponse create_line_form(WebContext& w, const HttpRequest& r, const Principal& who) {
  const auto in = read_form(r, kLineForm);
  const Context ctx = w.context(who);
  auto created =
      run_write(w.store, [&](Transaction& tx) { return create_budget_line(tx, ctx, in); });
  if (!created.ok()) {
    const auto typed = form_values(r, kLineForm);
    return budget_page(w, who, &created.refusal(), &typed);
  }
  return redirect("/budget?ligne=1");
}

HttpResponse vote_form(WebContext& w, const HttpRequest& r, const Principal& who) {
  const auto in = read_form(r, kVoteForm);
  const Context ctx = w.context(who);
  auto voted = run_write(w.store, [&](Transaction& tx) { return vote_budget(tx, ctx, in); });
  if (!voted.ok()) {
    const auto typed = form_values(r, kVoteForm);
    return budget_page(w, who, &voted.refusal(), &typed);
  }
  return redirect("/budget?vote=1");
}

}  // namespace

void add_administration_pages(Router& router, WebContext& w) {
  router.add({"GET", "/admin/collectivite", Access::needs(Action::ManageUsers), "La collectivité"},
             [&w](RouteCall& c) {
               return authority_page(
                   w, c.caller(), nullptr, nullptr,
                   flash_of(c.request, {{"enregistre", "Collectivité enregistrée."}}));
             });
  router.add({"POST", "/admin/collectivite", Access::needs(Action::ManageUsers),
              "Modifier l'identité de la collectivité"},
             [&w](RouteCall& c) { return edit_authority_form(w, c.request, c.caller()); });
  router.add({"GET", "/dispositifs", Access::needs(Action::Read), "Les dispositifs d'aide"},
             [&w](RouteCall& c) { return schemes_page(w, c.caller()); });
  router.add({"POST", "/dispositifs", Access::needs(Action::ManageSchemes), "Créer un dispositif"},
             [&w](RouteCall& c) { return create_scheme_form(w, c.request, c.caller()); });
  router.add({"GET", "/dispositifs/{number}", Access::needs(Action::Read), "Un dispositif"},
             [&w](RouteCall& c) {
               return scheme_page(
                   w, c.param("number"), c.caller(), nullptr, nullptr,
                   flash_of(c.request, {{"cree", "Dispositif créé."},
                                        {"enregistre", "Dispositif enregistré."},
                                        {"circuit", "Circuit de visa enregistré."},
                                        {"portail", "Présentation sur le portail enregistrée."}}));
             });
  router.add(
      {"POST", "/dispositifs/{number}/portail", Access::needs(Action::ManageSchemes),
       "Présenter un dispositif sur le portail des demandeurs"},
      [&w](RouteCall& c) { return portal_form_post(w, c.request, c.param("number"), c.caller()); });
  router.add(
      {"POST", "/dispositifs/{number}/circuit", Access::needs(Action::ManageSchemes),
       "Définir le circuit de visa d'un dispositif"},
      [&w](RouteCall& c) { return chain_form_post(w, c.request, c.param("number"), c.caller()); });
  router.add(
      {"POST", "/dispositifs/{number}", Access::needs(Action::ManageSchemes),
       "Modifier un dispositif"},
      [&w](RouteCall& c) { return edit_scheme_form(w, c.request, c.param("number"), c.caller()); });
  router.add({"GET", "/budget", Access::needs(Action::Read), "Le budget : lignes et votes"},
             [&w](RouteCall& c) {
               return budget_page(w, c.caller(), nullptr, nullptr,
                                  flash_of(c.request, {{"ligne", "Ligne budgétaire créée."},
                                                       {"vote", "Vote enregistré."}}));
             });
  router.add(
      {"POST", "/budget/lignes", Access::needs(Action::ManageBudget), "Créer une ligne budgétaire"},
      [&w](RouteCall& c) { return create_line_form(w, c.request, c.caller()); });
  router.add(
      {"POST", "/budget/votes", Access::needs(Action::ManageBudget), "Voter des AE/AP et des CP"},
      [&w](RouteCall& c) { return vote_form(w, c.request, c.caller()); });
}

}  // namespace octroi::http::pages
