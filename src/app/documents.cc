// The data of the official documents: what each template prints, taken from the use cases'
// views and formatted here, once, so that a document can never show a figure the data does not
// hold (the seed's own avenant prints "78 4000 €"; octroi cannot).
#include <algorithm>
#include <cctype>
#include <functional>

#include "app/audit_json.h"
#include "app/ports/applications.h"
#include "app/ports/authorities.h"
#include "app/ports/committee.h"
#include "app/ports/templates.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

std::vector<DocRecord> plan_lines(const std::vector<PrintedLine>& lines) {
  std::vector<DocRecord> out;
  for (const auto& l : lines) {
    DocRecord r;
    r.text = {{"libelle", l.label},
              {"montant", fr::amount(l.amount)},
              {"part", fr::percent_bp(l.share_bp)}};
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
      {"libelle_montant", app.award ? "Montant de la subvention attribuée"
                                    : "Par application du barème montant de la subvention maximum"},
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
    d.lists["articles"].push_back(std::move(r));
  }
  return d;
}

namespace {

void party_fields(DocRecord& d, const std::string& prefix, const Party& p) {
  d.text[prefix + "nom"] = p.legal_name;
  d.text[prefix + "siret"] = !p.siret.empty() ? p.siret : !p.siren.empty() ? p.siren : "—";
  d.text[prefix + "ape"] = p.naf.empty() ? "—" : p.naf;
  d.text[prefix + "adresse"] = p.address.display();
  d.text[prefix + "representant"] = p.representative.display();
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
            {"rapport", rv.report.number},
            {"date", fr::date_long(rv.session.date)},
            {"origine", app.award->deliberation + " du " + fr::date_long(app.award->date)},
            {"taux", fr::percent(v.scheme.rule.rate)},
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

// "A", "A et B", "A, B et C".
std::string french_list(const std::vector<std::string>& items) {
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
  d.text = {{"rapport", rv.report.number},
            {"titre", rv.report.title},
            {"collectivite", authority->name},
            {"instance", council ? "conseil régional" : "commission permanente"},
            {"date", fr::date_long(rv.session.date)},
            {"signataire", authority->executive},
            {"nombre_articles", std::to_string(rv.articles.size())}};
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
  d.text["collectivite"] = b.authority.name;
  d.text["adresse_collectivite"] = b.authority.address;
  d.text["executif"] = b.authority.executive;
  d.text["lieu"] = city_of(b.authority.address);
  d.text["deliberation"] = aw.deliberation;
  d.text["date_deliberation"] = fr::date_long(aw.date);
  d.text["dispositif"] = v.scheme.name;
  d.text["deliberation_cadre"] = v.scheme.framework_deliberation;
  d.text["imputation"] = v.scheme.budget_imputation;
  d.text["action"] = v.scheme.budget_action;
  d.text["montant"] = fr::euros(aw.amount);
  d.text["montant_lettres"] = fr::euros_in_words(aw.amount);
  d.text["taux"] = fr::percent_short(v.scheme.rule.rate);
  d.text["base"] = fr::euros(v.plan.eligible_base) + basis;
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

// ---- Kinds, templates, generation -----------------------------------------------------------

const std::vector<DocumentKind>& all_document_kinds() {
  static const std::vector<DocumentKind> kinds = {
      DocumentKind::Report,    DocumentKind::Deliberation,      DocumentKind::ProjectSheet,
      DocumentKind::Agreement, DocumentKind::TransferAmendment, DocumentKind::Notification};
  return kinds;
}

std::string_view template_name(DocumentKind k) {
  switch (k) {
    case DocumentKind::Report:
      return "rapport";
    case DocumentKind::Deliberation:
      return "deliberation";
    case DocumentKind::ProjectSheet:
      return "fiche_projet";
    case DocumentKind::Agreement:
      return "convention";
    case DocumentKind::TransferAmendment:
      return "avenant_transfert";
    case DocumentKind::Notification:
      return "notification";
  }
  return "?";
}

std::optional<DocumentKind> parse_template_name(std::string_view name) {
  for (const auto k : all_document_kinds())
    if (template_name(k) == name) return k;
  return std::nullopt;
}

std::string_view french(DocumentKind k) {
  switch (k) {
    case DocumentKind::Report:
      return "rapport (exposé des motifs)";
    case DocumentKind::Deliberation:
      return "projet de délibération";
    case DocumentKind::ProjectSheet:
      return "fiche projet";
    case DocumentKind::Agreement:
      return "convention";
    case DocumentKind::TransferAmendment:
      return "avenant de transfert";
    case DocumentKind::Notification:
      return "lettre de notification";
  }
  return "?";
}

namespace {

std::string template_names() {
  std::vector<std::string> names;
  for (const auto k : all_document_kinds())
    names.emplace_back(template_name(k));
  return french_list(names);
}

Result<TemplateRecord> builtin(DocumentEngine& engine, Hasher& hasher, AuthorityId a,
                               DocumentKind kind) {
  auto content = engine.builtin_template(template_name(kind));
  if (!content)
    return refuse("template.unknown", "name",
                  "octroi n'a pas de modèle intégré « " + std::string(template_name(kind)) + " ».");
  TemplateRecord t;
  t.authority = a;
  t.name = template_name(kind);
  t.version = 0;
  t.adopted_by = "modèle intégré à octroi";
  t.applies_from = Date(1, 1, 1);
  t.content = std::move(*content);
  t.sha256 = hasher.sha256_hex(t.content);
  return t;
}

// Whether `text` ("CP 2022-111", "CP 2022-111 modifiée par CR 2022-078") names the act `act` as a
// whole: "CP 2022-111" is not named by "CP 2022-1110".
bool names_act(const std::string& text, const std::string& act) {
  if (act.empty()) return false;
  const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (auto at = text.find(act); at != std::string::npos; at = text.find(act, at + 1)) {
    const std::size_t end = at + act.size();
    if ((at == 0 || !alnum(text[at - 1])) && (end == text.size() || !alnum(text[end]))) return true;
  }
  return false;
}

bool in_force(const TemplateRecord& t, const Date& on) {
  return t.applies_from <= on && (!t.applies_until || on <= *t.applies_until);
}

}  // namespace

namespace {

// A document of `kind` the authority's data can fill, to try a new template on before storing
// it: the newest report, its transfer or its first dossier, an awarded dossier. None when the
// data has nothing of the kind yet.
std::optional<DocumentRequest> sample_request(Transaction& tx, AuthorityId a, DocumentKind kind) {
  if (kind == DocumentKind::Agreement || kind == DocumentKind::Notification) {
    for (const auto state : {ApplicationState::Awarded, ApplicationState::Closed}) {
      ApplicationFilter f;
      f.state = state;
      f.limit = 1;
      const auto apps = tx.applications().list_applications(a, f);
      if (!apps.empty()) return DocumentRequest{kind, "", apps.front().number, ""};
    }
    return std::nullopt;
  }
  auto reports = tx.committee().list_reports(a);
  std::reverse(reports.begin(), reports.end());
  for (const auto& r : reports) {
    if (kind == DocumentKind::Report || kind == DocumentKind::Deliberation)
      return DocumentRequest{kind, r.number, "", ""};
    for (const auto& ar : r.articles) {
      if (kind == DocumentKind::TransferAmendment && ar.kind == ArticleKind::Transfer &&
          ar.transfer_application)
        if (auto app = tx.applications().get_application(a, *ar.transfer_application))
          return DocumentRequest{kind, r.number, app->number, ""};
      if (kind == DocumentKind::ProjectSheet && ar.kind == ArticleKind::SchemeAwards &&
          !ar.applications.empty())
        if (auto app = tx.applications().get_application(a, ar.applications.front()))
          return DocumentRequest{kind, r.number, app->number, ""};
    }
  }
  return std::nullopt;
}

Result<std::pair<DocRecord, Date>> data_of(Transaction& tx, const Context& ctx,
                                           const DocumentRequest& r, std::string& preferred_act);

std::string describe(const DocumentRequest& r) {
  std::string out(french(r.kind));
  if (!r.number.empty()) out += " du dossier " + r.number;
  if (!r.report.empty()) out += " (rapport " + r.report + ")";
  return out;
}

}  // namespace

Result<TemplateRecord> upload_template(Transaction& tx, const Context& ctx, DocumentEngine& engine,
                                       Hasher& hasher, const TemplateUpload& in) {
  std::vector<Problem> problems;
  const auto kind = parse_template_name(text::trim(in.name));
  if (!kind)
    problems.push_back(
        {"template.name", "name",
         "Modèle inconnu « " + in.name + " » : les modèles sont " + template_names() + "."});
  const std::string act = text::trim(in.adopted_by);
  if (auto p = text::check_required(act, "adopted_by",
                                    "L'acte qui a adopté le modèle (ex. « CP 2022-111 »)", 200))
    problems.push_back(*p);
  std::optional<Date> from, until;
  if (text::trim(in.applies_from).empty()) {
    problems.push_back({"template.applies_from", "applies_from",
                        "La date d'entrée en vigueur du modèle est obligatoire."});
  } else {
    auto d = Date::parse(text::trim(in.applies_from), "applies_from");
    if (d.ok())
      from = d.value();
    else
      for (const auto& p : d.refusal().problems)
        problems.push_back(p);
  }
  if (!text::trim(in.applies_until).empty()) {
    auto d = Date::parse(text::trim(in.applies_until), "applies_until");
    if (!d.ok())
      for (const auto& p : d.refusal().problems)
        problems.push_back(p);
    else if (from && d.value() < *from)
      problems.push_back({"template.applies_until", "applies_until",
                          "La fin d'application du modèle (" + fr::date_long(d.value()) +
                              ") précède son entrée en vigueur (" + fr::date_long(*from) + ")."});
    else
      until = d.value();
  }
  if (auto p = text::check_optional(in.note, "note", "La note", 2000)) problems.push_back(*p);
  if (in.content.empty()) {
    problems.push_back({"template.content", "content", "Le fichier du modèle (.fodt) est vide."});
  } else if (in.content.size() > 5000000) {
    problems.push_back({"template.content", "content",
                        "Le fichier du modèle dépasse 5 Mo : enregistrez-le en .fodt sans images "
                        "intégrées."});
  } else if (!text::is_valid_utf8(in.content)) {
    problems.push_back({"template.content", "content",
                        "Le fichier du modèle n'est pas du texte UTF-8 : enregistrez-le dans "
                        "LibreOffice au format « Texte OpenDocument à plat (.fodt) »."});
  } else if (auto s = engine.check_template(in.content, in.name); !s.ok()) {
    for (auto p : s.refusal().problems) {
      p.field = "content";
      problems.push_back(std::move(p));
    }
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  // Tried on the authority's own data before it is stored: a field the data does not have is
  // refused now, not on the morning of the committee.
  if (const auto sample = sample_request(tx, ctx.authority, *kind)) {
    std::string preferred_act;
    auto data = data_of(tx, ctx, *sample, preferred_act);
    if (data.ok()) {
      auto tried = engine.render_odt(in.content, data->first, text::trim(in.name));
      if (!tried.ok())
        return refuse(tried.refusal().first().code, "content",
                      tried.refusal().first().message + " (essai sur " + describe(*sample) + ")");
    }
  }

  TemplateRecord t;
  t.authority = ctx.authority;
  t.name = template_name(*kind);
  int last = 0;
  for (const auto& v : tx.templates().list_templates(ctx.authority, t.name, false))
    last = std::max(last, v.version);
  t.version = last + 1;
  t.adopted_by = act;
  t.applies_from = *from;
  t.applies_until = until;
  t.content = in.content;
  t.sha256 = hasher.sha256_hex(in.content);
  t.uploaded_by = ctx.actor;
  t.uploaded_at = ctx.clock->now_iso();
  t.note = in.note;
  t.id = tx.templates().insert_template(t);
  record_audit(
      tx, ctx,
      {.action = "template.upload",
       .entity = "template",
       .key = t.name + " v" + std::to_string(t.version),
       .after =
           "{\"name\":" + audit_json::quote(t.name) + ",\"version\":" + std::to_string(t.version) +
           ",\"adopted_by\":" + audit_json::quote(t.adopted_by) +
           ",\"applies_from\":" + audit_json::quote(t.applies_from.iso()) + ",\"applies_until\":" +
           (t.applies_until ? audit_json::quote(t.applies_until->iso()) : "null") + ",\"sha256\":" +
           audit_json::quote(t.sha256) + ",\"note\":" + audit_json::quote(t.note) + "}",
       .at = t.uploaded_at});
  return t;
}

std::vector<TemplateFamily> list_templates(Transaction& tx, AuthorityId a) {
  std::vector<TemplateFamily> out;
  const auto stored = tx.templates().list_templates(a, "", false);
  for (const auto k : all_document_kinds()) {
    TemplateFamily f{k, {}};
    for (const auto& t : stored)
      if (t.name == template_name(k)) f.versions.push_back(t);
    out.push_back(std::move(f));
  }
  return out;
}

Result<TemplateRecord> find_template(Transaction& tx, AuthorityId a, DocumentEngine& engine,
                                     Hasher& hasher, const std::string& name, int version) {
  const auto kind = parse_template_name(name);
  if (!kind)
    return refuse("template.unknown", "name",
                  "Modèle inconnu « " + name + " » : les modèles sont " + template_names() + ".");
  if (version == 0) return builtin(engine, hasher, a, *kind);
  for (auto& t : tx.templates().list_templates(a, name, true))
    if (t.version == version) return std::move(t);
  return refuse("template.unknown", "version",
                "Le modèle « " + name + " » n'a pas de version " + std::to_string(version) + ".");
}

Result<TemplateRecord> choose_template(Transaction& tx, AuthorityId a, DocumentEngine& engine,
                                       Hasher& hasher, DocumentKind kind, const Date& on,
                                       const std::string& preferred_act) {
  std::optional<TemplateRecord> newest, adopted;
  for (auto& t : tx.templates().list_templates(a, std::string(template_name(kind)), true)) {
    if (!in_force(t, on)) continue;
    if (names_act(t.adopted_by, preferred_act)) adopted = t;
    newest = std::move(t);  // ascending versions: the last one in force is the newest
  }
  if (adopted) return std::move(*adopted);
  if (newest) return std::move(*newest);
  return builtin(engine, hasher, a, kind);
}

Result<std::vector<DocumentRequest>> report_documents(Transaction& tx, AuthorityId a,
                                                      const std::string& report) {
  auto shown = show_report(tx, a, report);
  if (!shown.ok()) return shown.refusal();
  std::vector<DocumentRequest> out;
  out.push_back({DocumentKind::Report, shown->report.number, "", "rapport"});
  out.push_back({DocumentKind::Deliberation, shown->report.number, "", "deliberation"});
  for (const auto& av : shown->articles)
    for (const auto& dossier : av.applications) {
      const std::string& n = dossier.application.number;
      if (av.article.kind == ArticleKind::Transfer)  // annex 2: the avenant, then the sheet
        out.push_back(
            {DocumentKind::TransferAmendment, shown->report.number, n, "annexe-2-avenant-" + n});
      out.push_back(
          {DocumentKind::ProjectSheet, shown->report.number, n,
           std::string(av.article.kind == ArticleKind::SchemeAwards ? "annexe-1-" : "annexe-2-") +
               n});
    }
  return out;
}

namespace {

void canonical(const DocRecord& d, std::string& out) {
  out += "{\"flags\":{";
  bool first = true;
  for (const auto& [k, v] : d.flags) {
    out += (first ? "" : ",") + audit_json::quote(k) + ":" + (v ? "true" : "false");
    first = false;
  }
  out += "},\"lists\":{";
  first = true;
  for (const auto& [k, items] : d.lists) {
    out += (first ? "" : ",") + audit_json::quote(k) + ":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ",";
      canonical(items[i], out);
    }
    out += "]";
    first = false;
  }
  out += "},\"text\":{";
  first = true;
  for (const auto& [k, v] : d.text) {
    out += (first ? "" : ",") + audit_json::quote(k) + ":" + audit_json::quote(v);
    first = false;
  }
  out += "}}";
}

// The data of a request, and the date that chooses its template.
Result<std::pair<DocRecord, Date>> data_of(Transaction& tx, const Context& ctx,
                                           const DocumentRequest& r, std::string& preferred_act) {
  const AuthorityId a = ctx.authority;
  Date on = ctx.clock->today();
  if (!r.report.empty()) {
    auto report = tx.committee().find_report(a, r.report);
    if (!report)
      return refuse("report.unknown", "report",
                    "Aucun rapport n° « " + r.report + " » pour cette collectivité.");
    auto session = tx.committee().get_session(a, report->session);
    OCTROI_CHECK(session.has_value(), "a report's session exists (foreign key)");
    on = session->date;
  }
  Result<DocRecord> data = refuse("document.request", "kind", "Document inconnu.");
  switch (r.kind) {
    case DocumentKind::Report:
      data = report_data(tx, a, r.report);
      break;
    case DocumentKind::Deliberation:
      data = deliberation_data(tx, a, r.report);
      break;
    case DocumentKind::ProjectSheet:
      data = project_sheet_data(tx, a, r.number);
      break;
    case DocumentKind::TransferAmendment:
      data = transfer_amendment_data(tx, a, r.report, r.number);
      break;
    case DocumentKind::Agreement: {
      data = agreement_data(tx, a, r.number);
      if (data.ok()) {
        auto app = tx.applications().find_application(a, r.number);
        OCTROI_CHECK(app && app->award, "agreement_data accepted an awarded dossier");
        on = app->award->date;
        preferred_act = data->text.at("modele");
      }
      break;
    }
    case DocumentKind::Notification:
      data = notification_data(tx, a, r.number, on);
      break;
  }
  if (!data.ok()) return data.refusal();
  return std::pair<DocRecord, Date>{std::move(data).value(), on};
}

std::string default_file(const DocumentRequest& r) {
  std::string stem(template_name(r.kind));
  std::replace(stem.begin(), stem.end(), '_', '-');
  std::string key = r.number.empty() ? r.report : r.number;
  for (auto& c : key)
    if (c == ' ') c = '-';
  return key.empty() ? stem : stem + "-" + key;
}

}  // namespace

std::string canonical_json(const DocRecord& d) {
  std::string out;
  canonical(d, out);
  return out;
}

Result<GeneratedDocument> generate_document(Transaction& tx, const Context& ctx,
                                            DocumentEngine& engine, Hasher& hasher,
                                            const DocumentRequest& request) {
  std::string preferred_act;
  auto data = data_of(tx, ctx, request, preferred_act);
  if (!data.ok()) return data.refusal();
  auto chosen =
      choose_template(tx, ctx.authority, engine, hasher, request.kind, data->second, preferred_act);
  if (!chosen.ok()) return chosen.refusal();
  TemplateRecord used = std::move(chosen).value();
  const std::string label = used.name + (used.version == 0 ? std::string(" (intégré)")
                                                           : " v" + std::to_string(used.version));
  auto odt = engine.render_odt(used.content, data->first, label);
  if (!odt.ok()) return odt.refusal();
  GeneratedDocument g;
  g.request = request;
  if (g.request.file.empty()) g.request.file = default_file(request);
  g.odt = std::move(odt).value();
  used.content.clear();
  g.used = std::move(used);
  g.data_sha256 = hasher.sha256_hex(canonical_json(data->first));
  g.document_sha256 = hasher.sha256_hex(g.odt);
  record_audit(
      tx, ctx,
      {.action = "document.generate",
       .entity = "document",
       .key = g.request.file,
       .after = "{\"kind\":" + audit_json::quote(std::string(template_name(request.kind))) +
                ",\"report\":" + audit_json::quote(request.report) +
                ",\"number\":" + audit_json::quote(request.number) +
                ",\"template\":" + audit_json::quote(g.used.name) +
                ",\"template_version\":" + std::to_string(g.used.version) +
                ",\"template_adopted_by\":" + audit_json::quote(g.used.adopted_by) +
                ",\"template_sha256\":" + audit_json::quote(g.used.sha256) +
                ",\"data_sha256\":" + audit_json::quote(g.data_sha256) +
                ",\"document_sha256\":" + audit_json::quote(g.document_sha256) + "}"});
  return g;
}

}  // namespace octroi
