// The data of the official documents: what each template prints, taken from the use cases'
// views and formatted here, once, so that a document can never show a figure the data does not
// hold (the seed's own avenant prints "78 4000 €"; octroi cannot).
#include <algorithm>
#include <cctype>
#include <functional>

#include "app/audit_json.h"
#include "app/ports/authorities.h"
#include "app/ports/committee.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "core/shares.h"
#include "domain/text.h"

namespace octroi {
namespace {

std::vector<DocRecord> plan_lines(const std::vector<PrintedLine>& lines) {
  std::vector<DocRecord> out;
  for (const auto& l : lines) {
    DocRecord r;
    // An ineligible expense is marked where it is printed: it is not part of the base.
    r.text = {{"libelle", l.eligible ? l.label : l.label + " (non éligible)"},
              {"montant", fr::amount(l.amount)},
              {"part", fr::percent_bp(l.share_bp)}};
    r.flags["non_eligible"] = !l.eligible;
    out.push_back(std::move(r));
  }
  return out;
}

// The latest session whose report names the dossier (an award article or a transfer), if any:
// "Commission permanente du 25 janvier 2023 - CP 2023-040".
std::string session_line(Transaction& tx, AuthorityId a, ApplicationId id) {
  std::optional<Session> best;
  std::string number;
  for (const auto& r : tx.committee().list_reports(a)) {
    bool names = false;
    for (const auto& art : r.articles) {
      names = names || (art.transfer_application && *art.transfer_application == id);
      for (const auto& app : art.applications)
        names = names || app == id;
    }
    if (!names) continue;
    auto s = tx.committee().get_session(a, r.session);
    if (s && (!best || best->date < s->date)) {
      best = s;
      number = r.number;
    }
  }
  if (!best) return "";
  std::string body(french(best->body));
  if (!body.empty())
    body[0] = static_cast<char>(body[0] - 'a' + 'A');  // "commission" -> "Commission"
  return body + " du " + fr::date_long(best->date) + " - " + number;
}

// The amount the deliberation decided below the rule's, and why (issue 18): only a proposal cut
// below the scale's amount, with its reason. An amount avenant later changes the award, not this
// decision: the avenant tells its own story.
struct Reduction {
  Money rule, kept;
  std::string reason;
};

std::optional<Reduction> reduction_of(const Application& app) {
  if (!app.proposed_award || !app.rule_award || app.proposal_reason.empty()) return std::nullopt;
  if (!(*app.proposed_award < *app.rule_award)) return std::nullopt;
  return Reduction{*app.rule_award, *app.proposed_award, app.proposal_reason};
}

// The flags and fields the notification, the agreement and the project sheet print it with.
void reduction_fields(DocRecord& d, const Application& app) {
  const auto cut = reduction_of(app);
  d.flags["montant_reduit"] = cut.has_value();
  d.text["montant_regle"] = app.rule_award ? fr::euros(*app.rule_award) : std::string();
  d.text["montant_retenu"] = cut ? fr::euros(cut->kept) : std::string();
  d.text["motif_montant"] = cut ? cut->reason : std::string();
}

}  // namespace

Result<DocRecord> project_sheet_data(Transaction& tx, AuthorityId a, const std::string& number) {
  auto shown = show_application(tx, a, number);
  if (!shown.ok()) return shown.refusal();
  const ApplicationView& v = shown.value();
  const Application& app = v.application;
  std::optional<Money> amount;
  if (app.award)
    amount = app.award->amount;
  else if (app.proposed_award)
    amount = *app.proposed_award;
  else if (v.award)
    amount = v.award->amount;
  if (!amount)
    return refuse("document.no_amount", "number",
                  "Le dossier " + app.number + " n'a pas encore de montant : " +
                      (v.award_refusal ? v.award_refusal->first().message : std::string("?")));
  DocRecord d;
  d.text = {
      {"numero", app.number},
      {"titre", app.project.title},
      {"dispositif", v.scheme.name},
      {"dispositif_numero", v.scheme.number},
      {"deliberation_cadre", v.scheme.framework_deliberation},
      {"imputation", v.scheme.budget_imputation},
      {"action", v.scheme.budget_action},
      {"libelle_montant", app.award            ? "Montant de la subvention attribuée"
                          : app.proposed_award ? "Montant de la subvention proposée"
                                               : "Par application du barème montant de la "
                                                 "subvention maximum"},
      {"montant", fr::euros(*amount)},
      {"organisme", v.party.legal_name},
      {"adresse", v.party.address.display()},
      {"statut", v.party.legal_status},
      {"representant", v.party.representative.display()},
      {"dates", fr::date_long(app.project.start) + " - " + fr::date_long(app.project.end)},
      {"motivation_anticipe", app.early_start.justification},
      {"description", app.project.description},
      {"localisation", app.project.place},
      {"exercice", std::to_string(app.reference_year)},
      {"tva", v.party.recovers_vat ? "L’organisme récupère la TVA : montants hors taxes."
                                   : "L’organisme ne récupère pas la TVA."},
      {"base", app.basis == AmountBasis::ExclTax ? "HT" : "TTC"},
      {"total_depenses", fr::amount(v.plan.total_expenses)},
      {"part_depenses", fr::percent_bp(v.plan.expense_shares_sum_bp)},
      {"total_recettes", fr::amount(v.plan.total_resources)},
      {"part_recettes", fr::percent_bp(v.plan.resource_shares_sum_bp)},
      {"seance", session_line(tx, a, app.id)},
  };
  d.flags["anticipe"] = app.early_start.requested;
  reduction_fields(d, app);
  d.text["base_eligible"] =
      fr::euros(v.plan.eligible_base) + (app.basis == AmountBasis::ExclTax ? " HT" : " TTC");
  d.lists["depenses"] = plan_lines(v.plan.expenses);
  d.lists["recettes"] = plan_lines(v.plan.resources);
  return d;
}

namespace {

// "chapitre 936 « Action économique », code fonctionnel 63 « Actions sectorielles », programme
// HP 632-003 « … », action 16300302 « … »"
std::string imputation_phrase(const BudgetLine& l) {
  std::string out = imputation_phrase_head(l.imputation);
  if (!l.programme_label.empty()) out += ", programme " + l.programme_label;
  out += ", action " + l.action;
  if (!l.action_label.empty()) out += " « " + l.action_label + " »";
  return out;
}

// The article's kind as the flags the report's and the deliberation's templates choose their
// sections with.
std::map<std::string, bool> kind_flags(ArticleKind k) {
  return {{"tranche", k == ArticleKind::Tranche},
          {"subventions", k == ArticleKind::SchemeAwards},
          {"directe", k == ArticleKind::Direct},
          {"transfert", k == ArticleKind::Transfer},
          {"avenant_montant", k == ArticleKind::AmountChange},
          {"prolongation", k == ArticleKind::Extension}};
}

std::string amount_of(const ApplicationView& v) {
  const Application& app = v.application;
  if (app.award) return fr::euros(app.award->amount);
  if (app.proposed_award) return fr::euros(*app.proposed_award);
  if (v.award) return fr::euros(v.award->amount);
  return "—";
}

}  // namespace

Result<DocRecord> deliberation_data(Transaction& tx, AuthorityId a, const std::string& number) {
  auto shown = show_report(tx, a, number);
  if (!shown.ok()) return shown.refusal();
  const ReportView& rv = shown.value();
  std::optional<Authority> authority;
  for (auto& au : tx.authorities().list_authorities())
    if (au.id == a) authority = au;
  OCTROI_CHECK(authority.has_value(), "the report's authority exists");
  const bool council = rv.session.body == Body::Council;
  DocRecord d;
  d.text = {{"instance",
             council ? "Le conseil régional" : "La commission permanente du conseil régional"},
            {"collectivite", authority->name},
            {"date", fr::date_long(rv.session.date)},
            {"titre", rv.report.title},
            {"rapport", rv.report.number},
            {"signataire", authority->executive},
            {"etat",
             rv.report.state == ReportState::Adopted ? "Délibération" : "Projet de délibération"}};

  // The VU clauses the data gives, in the order the seed prints them.
  std::vector<std::string> visas;
  bool de_minimis_1407 = false, de_minimis_2831 = false;
  std::vector<std::string> frameworks;
  const int year = rv.session.date.year();  // the budget the session votes on
  for (const auto& av : rv.articles) {
    for (const auto& app : av.applications) {
      const AidRegime r = aid_regime_of(app.application, app.scheme);
      de_minimis_1407 = de_minimis_1407 || r == AidRegime::DeMinimis1407;
      de_minimis_2831 = de_minimis_2831 || r == AidRegime::DeMinimis2831;
      if (!app.scheme.framework_deliberation.empty()) {
        const std::string v = "VU la délibération n° " + app.scheme.framework_deliberation +
                              " relative au dispositif « " + app.scheme.name + " » ;";
        if (std::find(frameworks.begin(), frameworks.end(), v) == frameworks.end())
          frameworks.push_back(v);
      }
    }
  }
  if (de_minimis_1407 || de_minimis_2831)
    visas.push_back(
        "VU le traité sur le fonctionnement de l’Union européenne, notamment ses articles 107 et "
        "108 ;");
  if (de_minimis_1407)
    visas.push_back(
        "VU le règlement (UE) n° 1407/2013 de la Commission du 18 décembre 2013 relatif aux aides "
        "de minimis ;");
  if (de_minimis_2831)
    visas.push_back(
        "VU le règlement (UE) 2023/2831 de la Commission du 13 décembre 2023 relatif aux aides de "
        "minimis ;");
  visas.push_back("VU le code général des collectivités territoriales ;");
  visas.insert(visas.end(), frameworks.begin(), frameworks.end());
  visas.push_back("VU le budget de la collectivité (" + authority->name + ") pour " +
                  std::to_string(year) + " ;");
  visas.push_back(
      "VU le rapport n° " + rv.report.number + " présenté par " +
      (authority->executive.empty() ? std::string("l’exécutif") : authority->executive) + " ;");
  for (const auto& v : visas) {
    DocRecord r;
    r.text["texte"] = v;
    d.lists["visas"].push_back(std::move(r));
  }
  d.lists["articles"];  // present, even empty: a report being composed has its draft too

  for (const auto& av : rv.articles) {
    const Article& ar = av.article;
    DocRecord r;
    const bool investment = av.line.imputation.section() == BudgetSection::Investment;
    r.text = {
        {"numero", ar.position == 1 ? "1er" : std::to_string(ar.position)},
        {"titre", ar.title},
        {"montant", fr::euros(ar.amount)},
        {"autorisation", investment ? "autorisation de programme" : "autorisation d’engagement"},
        {"imputation", imputation_phrase(av.line)},
        {"exercice", std::to_string(av.line.fiscal_year)},
        {"beneficiaire", av.party ? av.party->legal_name : std::string()},
        {"dispositif", ""},
        {"nombre_projets", std::to_string(av.applications.size())},
        {"projets_detailles", av.applications.size() == 1
                                  ? std::string("1 projet détaillé")
                                  : std::to_string(av.applications.size()) + " projets détaillés"},
        {"modele", ""},
        {"taux", ar.tranche_rate ? fr::percent(*ar.tranche_rate) : std::string()},
        {"total_prevu", ar.planned_total ? fr::euros(*ar.planned_total) : std::string()},
        {"dossier", ""},
        {"projet", ""},
        {"cedant", ""},
        {"origine", ""},
        {"nouvelle_fin", ar.new_end ? fr::date_long(*ar.new_end) : std::string()}};
    r.flags = kind_flags(ar.kind);
    r.flags["anticipe"] = false;
    r.flags["modele_connu"] = false;
    for (const auto& app : av.applications) {
      if (ar.kind == ArticleKind::SchemeAwards) {
        r.text["dispositif"] = app.scheme.name;
        r.text["modele"] = app.scheme.model_agreement;
        r.flags["modele_connu"] = !app.scheme.model_agreement.empty();
        if (app.application.early_start.requested) r.flags["anticipe"] = true;
        DocRecord b;
        b.text = {{"dept", app.party.departement},
                  {"dossier", app.application.number},
                  {"beneficiaire", app.party.legal_name},
                  {"montant", amount_of(app)}};
        r.lists["beneficiaires"].push_back(std::move(b));
        // A dossier whose amount was decided below the rule's: the rule's amount and why.
        if (const auto cut = reduction_of(app.application)) {
          DocRecord red;
          red.text = {{"dossier", app.application.number},
                      {"montant_regle", fr::euros(cut->rule)},
                      {"montant", fr::euros(cut->kept)},
                      {"motif", cut->reason}};
          r.lists["reductions"].push_back(std::move(red));
        }
      } else {
        r.text["dossier"] = app.application.number;
        r.text["projet"] = app.application.project.title;
        if (!av.party) r.text["beneficiaire"] = app.party.legal_name;
        if (app.application.award)
          r.text["origine"] = app.application.award->deliberation + " du " +
                              fr::date_long(app.application.award->date);
        // The transferor: the beneficiary before the transferee (its history's last change).
        for (const auto& [rec, party] : app.beneficiaries)
          if (!av.party || party.id != av.party->id) r.text["cedant"] = party.legal_name;
      }
    }
    r.lists.try_emplace("beneficiaires");
    r.lists.try_emplace("reductions");
    d.lists["articles"].push_back(std::move(r));
  }
  return d;
}

namespace {

// "Commune de Montfermeil (Commune), N° SIRET : 21930048500011, code APE : 8411Z, sise 7-11
// place Jean-Mermoz, 93370 Montfermeil, représentée par Monsieur Xavier Lemoine, Maire": only the
// parts the party has (an association's RNA number too), never "sise , représentée par ,".
std::string party_identity(const Party& p) {
  std::string out = p.legal_name;
  if (!p.legal_status.empty()) out += " (" + p.legal_status + ")";
  if (!p.siret.empty())
    out += ", N° SIRET : " + p.siret;
  else if (!p.siren.empty())
    out += ", N° SIREN : " + p.siren;
  if (!p.rna.empty()) out += ", N° RNA : " + p.rna;
  if (!p.naf.empty()) out += ", code APE : " + p.naf;
  if (const auto address = p.address.display(); !address.empty()) out += ", sise " + address;
  if (const auto rep = p.representative.display(); !rep.empty()) out += ", représentée par " + rep;
  return out;
}

// The authority the same way: "Région Île-de-France, sise 2 rue Simone Veil, 93400
// Saint-Ouen-sur-Seine, représentée par Valérie Pécresse, présidente du conseil régional".
std::string authority_identity(const Authority& a) {
  std::string out = a.name;
  if (!a.address.empty()) out += ", sise " + a.address;
  if (!a.executive.empty()) out += ", représentée par " + a.executive;
  return out;
}

// The share of the eligible base the award is, as the documents print it: the scheme's rate
// when the award is exactly that rate of the base ("50 %"); otherwise (a cap, the request, a
// step, a reduction lowered it) the real share, rounded half up to the hundredth as the plan's
// shares are ("47,85 %" for 8 000 € of 16 717,68 €), never a rate the award does not match.
std::string award_share(Money award, Money base, const AidScheme& scheme,
                        std::string (*exact)(const Rate&)) {
  if (!base.is_positive()) return "—";
  if (scheme.rule.kind == AwardKind::Rate && Rate::of(award, base) == scheme.rule.rate)
    return exact(scheme.rule.rate);
  return fr::percent_bp(share_basis_points(award, base, Rounding::HalfUp));
}

void party_fields(DocRecord& d, const std::string& prefix, const Party& p) {
  d.text[prefix + "nom"] = p.legal_name;
  d.text[prefix + "siret"] = !p.siret.empty() ? p.siret : !p.siren.empty() ? p.siren : "—";
  d.text[prefix + "ape"] = p.naf.empty() ? "—" : p.naf;
  d.text[prefix + "rna"] = p.rna;
  d.text[prefix + "adresse"] = p.address.display();
  d.text[prefix + "representant"] = p.representative.display();
  d.text[prefix + "identite"] = party_identity(p);
}

// "2 rue Simone Veil, 93400 Saint-Ouen-sur-Seine" -> "Saint-Ouen-sur-Seine" (after the postal
// code), or the whole address when it has none.
std::string city_of(const std::string& address) {
  for (std::size_t i = 0; i + 5 < address.size(); ++i) {
    bool code = true;
    for (std::size_t k = 0; k < 5; ++k)
      code = code && address[i + k] >= '0' && address[i + k] <= '9';
    if (code && address[i + 5] == ' ' && (i == 0 || address[i - 1] == ' '))
      return address.substr(i + 6);
  }
  return address;
}

}  // namespace

Result<DocRecord> transfer_amendment_data(Transaction& tx, AuthorityId a, const std::string& report,
                                          const std::string& number) {
  auto shown = show_report(tx, a, report);
  if (!shown.ok()) return shown.refusal();
  const ReportView& rv = shown.value();
  const ArticleView* article = nullptr;
  for (const auto& av : rv.articles)
    if (av.article.kind == ArticleKind::Transfer && !av.applications.empty() &&
        av.applications.front().application.number == number)
      article = &av;
  if (!article || !article->party)
    return refuse(
        "document.no_transfer", "number",
        "Le rapport " + rv.report.number + " ne transfère pas le dossier « " + number + " ».");
  auto award = show_award(tx, a, number);
  if (!award.ok()) return award.refusal();
  const AwardView& aw = award.value();
  const ApplicationView& v = aw.dossier;
  const Application& app = v.application;
  if (!app.award)
    return refuse("document.no_transfer", "number",
                  "Le dossier " + number + " n'a pas d'aide attribuée à transférer.");
  const Party& transferee = *article->party;
  Party transferor = v.party;
  for (const auto& [rec, party] : v.beneficiaries)
    if (party.id != transferee.id) transferor = party;
  std::optional<Authority> authority;
  for (auto& au : tx.authorities().list_authorities())
    if (au.id == a) authority = au;
  OCTROI_CHECK(authority.has_value(), "the report's authority exists");

  DocRecord d;
  // Its number: the one the vote recorded, else the next one.
  int amendment = 1;
  std::optional<int> recorded;
  for (const auto& am : aw.amendments) {
    amendment = std::max(amendment, am.number + 1);
    if (am.kind == "transfer" && am.deliberation == rv.report.number) recorded = am.number;
  }
  d.text = {{"numero_avenant", std::to_string(recorded.value_or(amendment))},
            {"dossier", app.number},
            {"objet", app.project.title},
            {"collectivite", authority->name},
            {"adresse_collectivite", authority->address},
            {"executif", authority->executive},
            {"collectivite_identite", authority_identity(*authority)},
            {"rapport", rv.report.number},
            {"date", fr::date_long(rv.session.date)},
            {"origine", app.award->deliberation + " du " + fr::date_long(app.award->date)},
            {"taux", award_share(app.award->amount, v.plan.eligible_base, v.scheme,
                                 [](const Rate& r) { return fr::percent(r); })},
            {"base", fr::euros(v.plan.eligible_base) +
                         (app.basis == AmountBasis::ExclTax ? " HT" : " TTC")},
            {"montant", fr::euros(app.award->amount)},
            {"verse", fr::euros(aw.paid)},
            {"montant_lettres", fr::euros_in_words(app.award->amount)},
            {"solde", fr::euros(article->article.amount)},
            {"solde_lettres", fr::euros_in_words(article->article.amount)},
            {"lieu", city_of(authority->address)},
            {"projet", app.project.title}};
  party_fields(d, "cedant_", transferor);
  party_fields(d, "cessionnaire_", transferee);
  d.flags["aucun_versement"] = aw.payments.empty();
  if (aw.agreement) {
    d.text["eligibilite"] = fr::date_long(aw.agreement->eligibility_start) + " - " +
                            fr::date_long(aw.agreement->eligibility_end);
  } else {
    // No agreement drafted yet: the period the agreement would get (from the award, three years).
    d.text["eligibilite"] =
        fr::date_long(app.award->date) + " - " + fr::date_long(app.award->date.add_years(3));
  }
  return d;
}

// ---- The report (exposé des motifs), the agreement, the notification letter -----------------

namespace {

std::optional<Authority> authority_of(Transaction& tx, AuthorityId a) {
  for (auto& au : tx.authorities().list_authorities())
    if (au.id == a) return au;
  return std::nullopt;
}

// "A", "A et B", "A, B et C": each item once, in the order first met (two dossiers of one
// beneficiary name it once).
std::string french_list(const std::vector<std::string>& all) {
  std::vector<std::string> items;
  for (const auto& s : all)
    if (std::find(items.begin(), items.end(), s) == items.end()) items.push_back(s);
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " et " : ", ";
    out += items[i];
  }
  return out;
}

// "1 an", "3 ans".
std::string years(int n) {
  return std::to_string(n) + (n > 1 ? " ans" : " an");
}

}  // namespace

Result<DocRecord> report_data(Transaction& tx, AuthorityId a, const std::string& number) {
  auto shown = show_report(tx, a, number);
  if (!shown.ok()) return shown.refusal();
  const ReportView& rv = shown.value();
  const auto authority = authority_of(tx, a);
  OCTROI_CHECK(authority.has_value(), "the report's authority exists");
  const bool council = rv.session.body == Body::Council;
  DocRecord d;
  d.text = {
      {"rapport", rv.report.number},
      {"titre", rv.report.title},
      {"collectivite", authority->name},
      {"instance", council ? "conseil régional" : "commission permanente"},
      {"date", fr::date_long(rv.session.date)},
      {"signataire", authority->executive},
      {"nombre_articles", std::to_string(rv.articles.size())},
      {"decisions", rv.articles.size() == 1 ? std::string("une décision")
                                            : std::to_string(rv.articles.size()) + " décisions"}};
  d.lists["articles"];  // present, even empty: a report being composed has its documents too
  Money total;
  for (const auto& av : rv.articles)
    total = total + av.article.amount;
  d.text["total"] = fr::euros(total);
  for (const auto& av : rv.articles) {
    const Article& ar = av.article;
    const bool investment = av.line.imputation.section() == BudgetSection::Investment;
    DocRecord r;
    r.text = {{"numero", std::to_string(ar.position)},
              {"titre", ar.title},
              {"montant", fr::euros(ar.amount)},
              {"autorisation",
               investment ? "d’autorisation de programme" : "d’autorisation d’engagement"},
              {"exercice", std::to_string(av.line.fiscal_year)},
              {"beneficiaire", av.party ? av.party->legal_name : std::string()},
              {"nombre", std::to_string(av.applications.size())},
              {"beneficiaires", ""},
              {"dispositif", ""},
              {"taux", ar.tranche_rate ? fr::percent_short(*ar.tranche_rate) : std::string()},
              {"total_prevu", ar.planned_total ? fr::euros(*ar.planned_total) : std::string()},
              {"dossier", ""},
              {"projet", ""},
              {"cedant", ""},
              {"origine", ""},
              {"montant_origine", ""},
              {"nouvelle_fin", ar.new_end ? fr::date_long(*ar.new_end) : std::string()}};
    r.flags = kind_flags(ar.kind);
    r.flags["pluriel"] = av.applications.size() > 1;
    std::vector<std::string> names;
    for (const auto& app : av.applications) {
      if (ar.kind == ArticleKind::SchemeAwards) {
        r.text["dispositif"] = app.scheme.name;
        names.push_back(app.party.legal_name +
                        (app.party.departement.empty() ? "" : " (" + app.party.departement + ")"));
        continue;
      }
      r.text["dossier"] = app.application.number;
      r.text["projet"] = app.application.project.title;
      if (!av.party) r.text["beneficiaire"] = app.party.legal_name;
      if (app.application.award) {
        r.text["origine"] = app.application.award->deliberation + " du " +
                            fr::date_long(app.application.award->date);
        r.text["montant_origine"] = fr::euros(app.application.award->amount);
      }
      for (const auto& [rec, party] : app.beneficiaries)
        if (!av.party || party.id != av.party->id) r.text["cedant"] = party.legal_name;
    }
    r.text["beneficiaires"] = french_list(names);
    d.lists["articles"].push_back(std::move(r));
  }
  return d;
}

namespace {

struct AwardDocBasis {
  AwardView award;
  Authority authority;
};

Result<AwardDocBasis> awarded(Transaction& tx, AuthorityId a, const std::string& number) {
  auto award = show_award(tx, a, number);
  if (!award.ok()) return award.refusal();
  if (!award->dossier.application.award)
    return refuse("document.no_award", "number",
                  "Le dossier " + number +
                      " n'a pas d'aide attribuée : pas de convention ni de notification avant le "
                      "vote.");
  auto authority = authority_of(tx, a);
  OCTROI_CHECK(authority.has_value(), "the dossier's authority exists");
  return AwardDocBasis{std::move(award).value(), *authority};
}

// The fields agreements and letters share: the authority, the beneficiary, the award.
void award_fields(DocRecord& d, const AwardDocBasis& b) {
  const ApplicationView& v = b.award.dossier;
  const Application& app = v.application;
  const Award& aw = *app.award;
  const std::string basis = app.basis == AmountBasis::ExclTax ? " HT" : " TTC";
  d.text["dossier"] = app.number;
  d.text["objet"] = app.project.title;
  d.text["description"] = app.project.description;
  d.text["localisation"] = app.project.place;
  // "« Titre » (Lieu)", or "« Titre »" when the dossier gives no place: never "()".
  d.text["projet_lieu"] = "« " + app.project.title + " »" +
                          (app.project.place.empty() ? "" : " (" + app.project.place + ")");
  d.text["collectivite"] = b.authority.name;
  d.text["adresse_collectivite"] = b.authority.address;
  d.text["executif"] = b.authority.executive;
  d.text["collectivite_identite"] = authority_identity(b.authority);
  d.text["lieu"] = city_of(b.authority.address);
  d.text["deliberation"] = aw.deliberation;
  d.text["date_deliberation"] = fr::date_long(aw.date);
  d.text["dispositif"] = v.scheme.name;
  d.text["deliberation_cadre"] = v.scheme.framework_deliberation;
  d.text["imputation"] = v.scheme.budget_imputation;
  d.text["action"] = v.scheme.budget_action;
  d.text["montant"] = fr::euros(aw.amount);
  d.text["montant_lettres"] = fr::euros_in_words(aw.amount);
  d.text["taux"] = award_share(aw.amount, v.plan.eligible_base, v.scheme,
                               [](const Rate& r) { return fr::percent_short(r); });
  d.text["base"] = fr::euros(v.plan.eligible_base) + basis;
  // The amount decided below the rule's, and why (issue 18): "Le barème du dispositif donnait
  // 200 000,00 € ; le montant retenu est de 110 000,00 €, au motif suivant : …".
  reduction_fields(d, app);
  d.text["base_lettres"] = fr::euros_in_words(v.plan.eligible_base);
  d.text["verse"] = fr::euros(b.award.paid);
  d.text["reste"] = fr::euros(b.award.remaining);
  party_fields(d, "beneficiaire_", v.party);
  d.text["beneficiaire_statut"] = v.party.legal_status;
  d.flags["cadre_connu"] = !v.scheme.framework_deliberation.empty();
}

}  // namespace

Result<DocRecord> agreement_data(Transaction& tx, AuthorityId a, const std::string& number) {
  auto basis = awarded(tx, a, number);
  if (!basis.ok()) return basis.refusal();
  const AwardDocBasis& b = basis.value();
  const ApplicationView& v = b.award.dossier;
  const Application& app = v.application;
  DocRecord d;
  award_fields(d, b);
  const std::string model = b.award.agreement && !b.award.agreement->model_deliberation.empty()
                                ? b.award.agreement->model_deliberation
                                : v.scheme.model_agreement;
  d.text["modele"] = model;
  d.flags["modele_connu"] = !model.empty();
  // The eligibility period: the agreement's, else the one it will get (award date, or the early
  // start when granted, for three years).
  Date start = app.award->date, end = app.award->date.add_years(3);
  std::optional<Date> early;
  if (b.award.agreement) {
    start = b.award.agreement->eligibility_start;
    end = b.award.agreement->eligibility_end;
    early = b.award.agreement->early_start;
  } else if (app.early_start.requested) {
    early = app.project.start;
  }
  d.text["eligibilite_debut"] = fr::date_long(early && *early < start ? *early : start);
  d.text["eligibilite_fin"] = fr::date_long(end);
  d.flags["anticipe"] = early.has_value();
  d.text["date_anticipe"] = early ? fr::date_long(*early) : std::string();
  d.text["motivation_anticipe"] = app.early_start.justification;
  const PaymentRules& pr = v.scheme.payment_rules;
  d.flags["avance"] = pr.advance_max.has_value();
  d.text["avance_taux"] = pr.advance_max ? fr::percent_short(*pr.advance_max) : std::string();
  d.flags["acomptes"] = pr.interim_max.has_value();
  d.text["acomptes_taux"] = pr.interim_max ? fr::percent_short(*pr.interim_max) : std::string();
  d.flags["tolerance"] = !pr.balance_tolerance.is_zero();
  d.text["tolerance_taux"] = fr::percent_short(pr.balance_tolerance);
  const LapseRules& lr = v.scheme.lapse_rules;
  d.flags["caducite_premier"] = lr.first_request_years.has_value();
  d.text["delai_premier"] = lr.first_request_years ? years(*lr.first_request_years) : "";
  d.flags["caducite_solde"] = lr.balance_years.has_value();
  d.text["delai_solde"] = lr.balance_years ? years(*lr.balance_years) : "";
  d.flags["caducite_regles"] = lr.first_request_years || lr.balance_years;
  d.flags["obligations"] = v.scheme.obligation_years.has_value();
  d.text["obligations_duree"] =
      v.scheme.obligation_years ? years(*v.scheme.obligation_years) : std::string();
  const AidRegime regime = aid_regime_of(app, v.scheme);
  d.flags["de_minimis"] = regime == AidRegime::DeMinimis1407 || regime == AidRegime::DeMinimis2831;
  d.text["reglement"] = regime == AidRegime::DeMinimis2831
                            ? "règlement (UE) 2023/2831 de la Commission du 13 décembre 2023"
                            : "règlement (UE) n° 1407/2013 de la Commission du 18 décembre 2013";
  const auto signed_on = [&](auto member) -> std::optional<Date> {
    if (!b.award.agreement) return std::nullopt;
    return (*b.award.agreement).*member;
  };
  const auto by_beneficiary = signed_on(&Agreement::signed_by_beneficiary_on);
  const auto by_authority = signed_on(&Agreement::signed_by_authority_on);
  d.flags["signe_beneficiaire"] = by_beneficiary.has_value();
  d.text["date_signature_beneficiaire"] =
      by_beneficiary ? fr::date_long(*by_beneficiary) : std::string();
  d.flags["signe_collectivite"] = by_authority.has_value();
  d.text["date_signature_collectivite"] =
      by_authority ? fr::date_long(*by_authority) : std::string();
  d.lists["depenses"] = plan_lines(v.plan.expenses);
  d.lists["recettes"] = plan_lines(v.plan.resources);
  d.text["total_depenses"] = fr::amount(v.plan.total_expenses);
  d.text["total_recettes"] = fr::amount(v.plan.total_resources);
  return d;
}

Result<DocRecord> notification_data(Transaction& tx, AuthorityId a, const std::string& number,
                                    const Date& on) {
  auto basis = awarded(tx, a, number);
  if (!basis.ok()) return basis.refusal();
  const AwardDocBasis& b = basis.value();
  const ApplicationView& v = b.award.dossier;
  DocRecord d;
  award_fields(d, b);
  d.text["date_lettre"] = fr::date_long(on);
  const Representative& rep = v.party.representative;
  d.text["destinataire"] = rep.display();
  d.flags["destinataire_connu"] = !rep.display().empty();
  d.flags["adresse_beneficiaire_connue"] = !v.party.address.display().empty();
  d.flags["adresse_collectivite_connue"] = !b.authority.address.empty();
  d.text["appel"] = rep.civility.empty() ? "Madame, Monsieur" : rep.civility;
  d.flags["convention_signee"] = b.award.agreement && b.award.agreement->is_signed();
  d.flags["modele_connu"] = !v.scheme.model_agreement.empty();
  d.text["modele"] = v.scheme.model_agreement;
  const LapseRules& lr = v.scheme.lapse_rules;
  d.flags["caducite_premier"] = lr.first_request_years.has_value();
  d.text["delai_premier"] = lr.first_request_years ? years(*lr.first_request_years) : "";
  d.flags["caducite_solde"] = lr.balance_years.has_value();
  d.text["delai_solde"] = lr.balance_years ? years(*lr.balance_years) : "";
  return d;
}

}  // namespace octroi
