// The reference demonstration: CP 2023-040, the Île-de-France Region's standing committee of
// 25 January 2023, as its report and annexes print it (tests/fixtures/cp-2023-040.md holds the
// figures as data). Everything is loaded through the ordinary use cases, so the demonstration
// exercises the same validations as a user would; the shares, totals and awards it shows are
// computed from the lines below, never stored.
//
// Not in the seed, so not invented here: the authority's SIRET, the communes' SIREN/SIRET and
// the dates on which the dossiers were received (the demo dates each dossier's submission,
// instruction and proposal at the date of the committee that voted it).
#include "app/portal.h"
#include "app/ports/authorities.h"
#include "app/use_cases.h"

namespace octroi {
namespace {

constexpr const char* kChequeNumerique = "00001176";
constexpr const char* kLieuxInnovation = "00001033";

constexpr const char* kEarlyStartText =
    "Conformément au règlement d'intervention et en application de l'article 29 du règlement "
    "budgétaire et financier, il est demandé, à titre exceptionnel, une dérogation à engager la "
    "dépense avant la notification de la subvention afin de prendre en compte le démarrage du "
    "projet au ";

template <class T>
T expect(Result<T> r, const char* what) {
  if (!r.ok())
    throw InvariantViolation(std::string("demo data refused (") + what +
                             "): " + r.refusal().describe());
  return std::move(r).value();
}

std::vector<SchemeInput> schemes() {
  SchemeInput cheque;
  cheque.number = kChequeNumerique;
  cheque.name =
      "Chèque numérique en faveur des artisans et commerçants franciliens "
      "(fonctionnement) – volet 2 communes et groupements";
  cheque.framework_deliberation = "CR 2019-043";
  cheque.section = "operating";
  cheque.budget_imputation = "936-632-657341-163003-400";
  cheque.budget_action = "16300302 - Soutien à l'artisanat et aux TPE";
  // The seed says "par application du barème", maximum 8 000 € per project, without the scale.
  // First reading (cp-2023-040.md): min(request, 50 % of the eligible base, 8 000 €).
  cheque.rule.rate_percent = "50";
  cheque.rule.cap = "8000";
  cheque.rule.not_above_request = true;
  // Article 2: agreements "conformes au modèle-type adopté par délibération n° CP 2022-111".
  cheque.model_agreement = "CP 2022-111";
  cheque.service = "Service de l'artisanat";

  SchemeInput lieux;
  lieux.number = kLieuxInnovation;
  lieux.name = "Lieux d'innovation – projets d'investissement";
  lieux.framework_deliberation = "CR 2017-101";
  lieux.section = "investment";
  lieux.budget_imputation = "905-56-20421-156001-400";
  lieux.budget_action = "15600105 - Tiers lieux";
  lieux.rule.rate_percent = "40";
  // The Casaco sheet: "Règlement de minimis 1407/2013 … modifié par le règlement 2020/972".
  lieux.aid_regime = "de_minimis_1407_2013";
  lieux.service = "Service de l'innovation";
  return {cheque, lieux};
}

PartyInput commune(const char* name, const char* civility, const char* first, const char* last,
                   const char* line1, const char* postal, const char* city) {
  PartyInput p;
  p.legal_name = name;
  p.legal_status = "Commune";
  p.recovers_vat = false;  // "L'organisme ne récupère pas la TVA."
  p.civility = civility;
  p.first_name = first;
  p.last_name = last;
  p.role = "Maire";
  p.address_line1 = line1;
  p.postal_code = postal;
  p.city = city;
  return p;
}

PartyInput casaco_party(const char* name, const char* siret, const char* status) {
  PartyInput p;
  p.legal_name = name;
  p.siret = siret;  // printed as "N° SIRET" in the seed, but 9 digits: a SIREN
  p.naf = "68.20B";
  p.legal_status = status;
  p.recovers_vat = true;  // "L'organisme récupère tout ou partie de la TVA."
  p.civility = "Madame";
  p.first_name = "Prisca";  // the seed also spells it "Pisca"
  p.last_name = "Liotard";
  p.role = "Gérante";
  p.address_line1 = "6 avenue Jean Jaurès";
  p.postal_code = "92240";
  p.city = "Malakoff";
  return p;
}

ApplicationInput cheque_dossier(const char* number, std::int64_t party, const char* commune_name,
                                const char* place, const char* start, const char* end,
                                const char* early_fr, const char* description) {
  ApplicationInput a;
  a.number = number;
  a.scheme_number = kChequeNumerique;
  a.party_id = party;
  a.title = std::string(
                "Chèque numérique « Pour un commerce connecté » – volet 2 communes et "
                "groupements – ") +
            commune_name;
  a.description = description;
  a.place = place;
  a.start = start;
  a.end = end;
  a.early_start = true;
  a.early_start_date = start;
  a.early_start_justification =
      std::string(kEarlyStartText) + early_fr + " au regard des dépenses d'abonnements.";
  a.reference_year = "2023";
  return a;
}

void propose(Transaction& tx, const Context& ctx, const std::string& number, const char* on) {
  for (const char* ev : {"submit", "start_instruction", "propose"}) {
    EventInput in;
    in.event = ev;
    in.on = on;
    expect(apply_application_event(tx, ctx, number, in), ev);
  }
}

// The demo's two schemes.
void register_schemes(Transaction& tx, const Context& ctx) {
  for (const auto& s : schemes())
    expect(create_scheme(tx, ctx, s), "scheme");
  // The chèque numérique is open to applications on the portal (/portail).
  SchemePortalInput portal;
  portal.published = true;
  portal.eligibility =
      "Communes et établissements publics de coopération intercommunale d'Île-de-France qui "
      "financent, pour leurs artisans et commerçants, un abonnement à une solution numérique.\n"
      "Aide de 50 % des dépenses éligibles, plafonnée à 8 000 € par projet.";
  portal.documents =
      "Délibération de la collectivité approuvant le projet\nDevis ou factures des abonnements\n"
      "Relevé d'identité bancaire";
  portal.file_types = "application/pdf\nimage/jpeg\nimage/png";
  portal.contact = "artisanat@iledefrance.fr — 01 53 85 53 85";
  portal.max_file_bytes = "10";
  expect(set_scheme_portal(tx, ctx, kChequeNumerique, portal), "portal");
}

// The beneficiaries of the two committees.
struct DemoParties {
  RegisteredParty cpr_party, clayes, montfermeil, perreux, casaco, sci;
};

DemoParties register_parties(Transaction& tx, const Context& ctx) {
  PartyInput cpr;
  cpr.legal_name = "Choose Paris Region";
  cpr.legal_status = "Association";
  const auto cpr_party = expect(register_party(tx, ctx, cpr), "Choose Paris Region");
  const auto clayes = expect(
      register_party(tx, ctx,
                     commune("Commune des Clayes-sous-Bois", "Monsieur", "Philippe", "Guiguen",
                             "Place Charles de Gaulle", "78340", "Les Clayes-sous-Bois")),
      "Les Clayes-sous-Bois");
  const auto montfermeil =
      expect(register_party(tx, ctx,
                            commune("Commune de Montfermeil", "Monsieur", "Xavier", "Lemoine",
                                    "7-11 place Jean-Mermoz", "93370", "Montfermeil")),
             "Montfermeil");
  const auto perreux =
      expect(register_party(tx, ctx,
                            commune("Commune du Perreux-sur-Marne", "Madame", "Christel", "Royer",
                                    "Place de la Libération", "94170", "Le Perreux-sur-Marne")),
             "Le Perreux-sur-Marne");
  const auto casaco =
      expect(register_party(tx, ctx,
                            casaco_party("SAS SCIC Casaco", "801568296",
                                         "Société coopérative d'intérêt collectif (SAS)")),
             "Casaco");
  const auto sci = expect(
      register_party(tx, ctx,
                     casaco_party("SCI 6 avenue JJ", "910876390", "Société civile immobilière")),
      "SCI 6 avenue JJ");
  return {cpr_party, clayes, montfermeil, perreux, casaco, sci};
}

// The three communes' dossiers of the chèque numérique.
void create_cheque_dossiers(Transaction& tx, const Context& ctx, const RegisteredParty& clayes,
                            const RegisteredParty& montfermeil, const RegisteredParty& perreux,
                            DemoSummary& out) {
  {
    auto a = cheque_dossier(
        "EX070162", clayes.party.id.value, "Commune des Clayes-sous-Bois", "Les Clayes-sous-Bois",
        "2022-11-01", "2023-10-31", "01/11/2022",
        "Redynamiser le pôle commercial de proximité du centre-ville en déployant une carte "
        "cadeau locale digitale, activable uniquement dans les commerces de proximité.");
    a.expenses = {{"Communication", "10580.00", true},
                  {"Accompagnement / formation à la solution (personnalisation, paramétrage, ...)",
                   "4200.00", true}};
    a.resources = {{"Autofinancement", "7780.00", "self_funding", ""},
                   {"Région", "7000.00", "authority", "sollicité"}};
    out.applications.push_back(expect(create_application(tx, ctx, a), "EX070162").number);
  }
  {
    auto a = cheque_dossier(
        "EX070158", montfermeil.party.id.value, "Commune de Montfermeil", "Montfermeil",
        "2022-12-01", "2023-11-30", "01/12/2022",
        "Application mobile de mise en valeur des 1 200 commerces, artisans et forains de la "
        "ville, avec annuaire, accompagnement et formations collectives.");
    a.expenses = {
        {"Abonnement sur 12 mois (pour commerces)", "10117.08", true},
        {"Frais de formation liés à l'acquisition de la solution", "2200.20", true},
        {"Frais de formation collective à distance en faveur des commerces", "4400.40", true},
        {"Développement solution pour autres cibles", "2882.32", false}};
    a.resources = {{"Autofinancement", "8600.00", "self_funding", ""},
                   {"Région", "8000.00", "authority", "sollicité"},
                   {"ANCT", "3000.00", "other_public", ""}};
    out.applications.push_back(expect(create_application(tx, ctx, a), "EX070158").number);
  }
  {
    auto a = cheque_dossier(
        "EX069984", perreux.party.id.value, "Commune du Perreux-sur-Marne", "Le Perreux-sur-Marne",
        "2022-01-01", "2022-12-31", "01/01/2022",
        "« J'achète au Perreux » : plateforme d'achat local permettant aux commerçants et "
        "artisans de vendre en ligne, en livraison et en click and collect (année 2).");
    a.expenses = {
        {"Abonnement annuel plateforme (Eshop, gestion du SAV, logistique, assistance, "
         "hébergement, serveur, ...)",
         "17280.00", true}};
    a.resources = {{"Autofinancement", "9280.00", "self_funding", ""},
                   {"Région", "8000.00", "authority", "sollicité"}};
    out.applications.push_back(expect(create_application(tx, ctx, a), "EX069984").number);
  }
}

// Casaco's dossier of the lieux d'innovation.
void create_casaco_dossier(Transaction& tx, const Context& ctx, const RegisteredParty& casaco,
                           DemoSummary& out) {
  ApplicationInput a;
  a.number = "EX065392";
  a.scheme_number = kLieuxInnovation;
  a.party_id = casaco.party.id.value;
  a.title = "AAP tiers-lieux – Casaco : extension du tiers-lieu Casaco à Malakoff";
  a.description =
      "Casaco, espace de travail et de coopération créé en 2014, acquiert le bâtiment qu'il "
      "occupe et l'agrandit de 85 m² (terrasse, bureau partagé, bureau privé, espace de "
      "réunion), avec la remise aux normes du bâtiment.";
  a.place = "Malakoff";
  a.start = "2022-09-01";
  a.end = "2023-12-29";
  a.reference_year = "2022";
  a.expenses = {{"Travaux d'aménagement", "131500", true},
                {"Mobilier et équipement", "39500", true},
                {"Frais d'étude", "25000", true},
                {"Autres dépenses non éligibles à la subvention régionale (travaux de gros "
                 "œuvre, bureau de contrôle)",
                 "4000", false}};
  a.resources = {{"Subvention Région Île-de-France", "78400", "authority", "sollicité"},
                 {"Fonds propres", "7600", "self_funding", ""},
                 {"Emprunt bancaire", "100000", "loan", "attribué"},
                 {"Financement participatif", "4000", "private", "sollicité"},
                 {"Autres recettes (participation de la société Intis)", "10000", "private", ""}};
  out.applications.push_back(expect(create_application(tx, ctx, a), "EX065392").number);
}

void vote_budget_lines(Transaction& tx, const Context& ctx) {
  // Budget lines of the four imputations. The votes are illustrative: the seed does not give
  // them (the 2023 amount of the Choose Paris Region line is the planned subsidy the seed
  // implies, 5 490 000 € being 60 % of it).
  struct LineData {
    const char *year, *imputation, *nomenclature, *programme, *action, *label, *ae, *cp;
  };
  const LineData lines[] = {
      {"2022", "905-56-20421-156001-400", "M71", "", "15600105", "Tiers lieux", "1000000",
       "500000"},
      {"2023", "936-62--162001", "M57", "HP 62-001 « Choose Paris Region »", "16200102",
       "Choose Paris Region", "9150000", "9150000"},
      {"2023", "936-632-657341-163003-400", "M57",
       "HP 632-003 « Soutien à l'artisanat, au commerce et aux métiers d'art »", "16300302",
       "Soutien à l'artisanat et aux TPE", "1000000", "800000"},
      {"2023", "936-61--161001", "M57",
       "HP 61-001 « Soutien à la création et au développement des entreprises »", "16100107",
       "Accompagnement des entrepreneurs et des jeunes entreprises", "200000", "200000"},
  };
  for (const auto& l : lines) {
    const auto line =
        expect(create_budget_line(
                   tx, ctx, {l.year, l.imputation, l.nomenclature, l.programme, l.action, l.label}),
               "budget line");
    MovementInput vote;
    vote.line = line.key();
    vote.ae = l.ae;
    vote.cp = l.cp;
    vote.reference = std::string("BP ") + l.year + " (montant illustratif)";
    vote.label = "Vote du budget primitif (montant illustratif, absent du rapport)";
    expect(vote_budget(tx, ctx, vote), "vote");
  }
}

// 2022: Casaco's award by CP 2022-285 of 7 July 2022.
void award_casaco(Transaction& tx, const Context& ctx) {
  expect(create_report(tx, ctx,
                       {"CP 2022-285", "Tiers-lieux et autres affaires économiques",
                        "standing_committee", "2022-07-07"}),
         "CP 2022-285");
  ArticleInput casaco_award;
  casaco_award.kind = "scheme_awards";
  casaco_award.title = "Lieux d'innovation – projets d'investissement : tiers-lieu Casaco";
  casaco_award.line = "2022/15600105";
  casaco_award.amount = "78400";
  casaco_award.scheme = kLieuxInnovation;
  casaco_award.applications = {"EX065392"};
  expect(add_article(tx, ctx, "CP 2022-285", casaco_award), "CP 2022-285 article");
  expect(adopt_report(tx, ctx, "CP 2022-285"), "CP 2022-285 adoption");
}

// Report CP 2023-040 and its four articles.
void compose_cp_2023_040(Transaction& tx, const Context& ctx, const RegisteredParty& cpr_party,
                         const RegisteredParty& sci) {
  expect(create_report(tx, ctx,
                       {"CP 2023-040", "Attractivité et aménagement économique",
                        "standing_committee", "2023-01-25"}),
         "CP 2023-040");
  ArticleInput a1;
  a1.kind = "tranche";
  a1.title =
      "Soutien à Choose Paris Region : première affectation de la subvention globale de "
      "fonctionnement pour 2023";
  a1.line = "2023/16200102";
  a1.amount = "5490000";
  a1.party = std::to_string(cpr_party.party.id.value);
  a1.planned_total = "9150000";
  a1.tranche_rate = "60";
  ArticleInput a2;
  a2.kind = "scheme_awards";
  a2.title = "Chèque numérique pour un commerce connecté – volet 2";
  a2.line = "2023/16300302";
  a2.amount = "23000";
  a2.scheme = kChequeNumerique;
  a2.applications = {"EX070162", "EX070158", "EX069984"};
  ArticleInput a3;
  a3.kind = "direct";
  a3.title = "Participation de la Région aux Journées Européennes des Métiers d'Art";
  a3.line = "2023/16100107";
  a3.amount = "24500";
  ArticleInput a4;
  a4.kind = "transfer";
  a4.title = "Transfert de subvention du projet de tiers-lieu Casaco à la SCI 6 avenue JJ";
  a4.line = "2022/15600105";
  a4.amount = "78400";
  a4.application = "EX065392";
  a4.party = std::to_string(sci.party.id.value);
  for (const auto* a : {&a1, &a2, &a3, &a4})
    expect(add_article(tx, ctx, "CP 2023-040", *a), "article");
}

}  // namespace

Result<DemoSummary> load_demo(Transaction& tx, const std::string& actor, Clock& clock,
                              const DemoOptions& options) {
  if (tx.authorities().find_authority("idf"))
    return refuse("demo.exists", "authority",
                  "La démonstration est déjà chargée dans cette base (collectivité « idf »).");
  AuthorityInput ai;
  ai.code = "idf";
  ai.name = "Région Île-de-France";
  ai.address = "2 rue Simone Veil, 93400 Saint-Ouen-sur-Seine";
  ai.executive = "Valérie Pécresse, présidente du conseil régional";
  const Authority idf = expect(create_authority(tx, actor, clock, ai), "authority");
  const Context ctx{idf.id, actor, &clock};

  register_schemes(tx, ctx);

  const auto [cpr_party, clayes, montfermeil, perreux, casaco, sci] = register_parties(tx, ctx);

  DemoSummary out;
  create_cheque_dossiers(tx, ctx, clayes, montfermeil, perreux, out);
  create_casaco_dossier(tx, ctx, casaco, out);
  for (const char* n : {"EX070162", "EX070158", "EX069984"})
    propose(tx, ctx, n, "2023-01-25");
  propose(tx, ctx, "EX065392", "2022-07-07");

  vote_budget_lines(tx, ctx);

  award_casaco(tx, ctx);

  // 2023: report CP 2023-040 and its four articles, ready to be adopted (unless the clerk is
  // to compose it).
  if (!options.with_report) return out;
  compose_cp_2023_040(tx, ctx, cpr_party, sci);
  return out;
}

Result<DemoLife> play_demo_life(Transaction& tx, const std::string& actor, Clock& clock) {
  auto idf = authority_by_code(tx, "idf");
  if (!idf.ok()) return idf.refusal();
  const Context ctx{idf->id, actor, &clock};
  DemoLife out;
  // Payment ceilings of the State's décret 2018-514 (art. 12), as an illustration: Île-de-France's
  // own are not in the report.
  auto scheme = scheme_by_number(tx, ctx.authority, kChequeNumerique);
  if (!scheme.ok()) return scheme.refusal();
  SchemeInput rules = scheme_input_of(scheme.value());
  rules.advance_max = "30";
  rules.interim_max = "80";
  expect(edit_scheme(tx, ctx, kChequeNumerique, rules), "payment rules");
  out.adoption = expect(adopt_report(tx, ctx, "CP 2023-040"), "adoption");
  expect(create_agreement(tx, ctx, "EX070158", {}), "agreement");
  expect(sign_agreement(tx, ctx, "EX070158", {"beneficiary", "2023-02-10"}), "signature");
  expect(sign_agreement(tx, ctx, "EX070158", {"authority", "2023-02-15"}), "signature");
  PaymentInput advance;
  advance.kind = "advance";
  advance.amount = "2400";
  advance.on = "2023-03-01";
  out.payments.push_back(expect(request_payment(tx, ctx, "EX070158", advance), "advance"));
  PaymentInput balance;
  balance.kind = "balance";
  balance.on = "2023-12-15";
  balance.lines = {{"Abonnement sur 12 mois (pour commerces)", "9000.00", true},
                   {"Frais de formation liés à l'acquisition de la solution", "1000.00", true},
                   {"Frais de formation collective à distance", "2000.00", true},
                   {"Développement solution pour autres cibles", "2500.00", false}};
  out.payments.push_back(expect(request_payment(tx, ctx, "EX070158", balance), "balance"));
  return out;
}

}  // namespace octroi
