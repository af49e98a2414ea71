// The back office's search of dossiers (search_applications) and the instructors' services
// (check_instructing_service), at the use-case level, after the reference demonstration
// (CP 2023-040). The search ignores accents and case, matches each word as a prefix of a word of
// the dossier (number, title, description, place, beneficiary's name and city), ANDs the words,
// never lets a query syntax through, filters by département, committee session, party, state
// and scheme, pages, and refuses malformed filters with a Result (never an exception). An
// instructor changes only the dossiers of their own service's schemes: every refusal leaves the
// database as it was. Runs on SQLite and on PostgreSQL like every integration test.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/crypto/sodium_passwords.h"
#include "app/accounts.h"
#include "app/ports/parties.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::ApplicationSearch;
using octroi::ApplicationView;
using octroi::Context;
using octroi::PlanChange;
using octroi::Transaction;
using Numbers = std::vector<std::string>;

const Numbers kAllDemo = {"EX065392", "EX069984", "EX070158", "EX070162"};
const Numbers kCheques = {"EX069984", "EX070158", "EX070162"};

std::string codes(const octroi::Refusal& r) {
  std::string out;
  for (const auto& p : r.problems)
    out += "[" + p.code + " @ " + p.field + "] ";
  return out;
}

Numbers numbers_of(const std::vector<ApplicationView>& views) {
  Numbers out;
  for (const auto& v : views)
    out.push_back(v.application.number);
  return out;
}

ApplicationSearch text_search(const std::string& q) {
  ApplicationSearch s;
  s.text = q;
  return s;
}

class SearchAndServiceTest : public DemoDatabaseTest {
 protected:
  octroi::Result<std::vector<ApplicationView>> search(const ApplicationSearch& s) {
    return octroi::run_read(
        *store_, [&](Transaction& tx) { return octroi::search_applications(tx, idf_, s); });
  }

  // The numbers the search finds, in order; fails the test (and returns {"refused"}) if refused.
  Numbers found(const ApplicationSearch& s) {
    auto r = search(s);
    if (!r.ok()) {
      ADD_FAILURE() << "search refused: " << codes(r.refusal());
      return {"refused"};
    }
    return numbers_of(r.value());
  }
  Numbers found(const std::string& q) { return found(text_search(q)); }

  // A new party (and a dossier of the chèque numérique for it) whose words are nowhere else.
  std::string create_dossier(const std::string& party_name, const std::string& city,
                             const std::string& title, const std::string& description = "") {
    auto party = write([&](Transaction& tx, const Context& ctx) {
      octroi::PartyInput in;
      in.legal_name = party_name;
      in.city = city;
      in.postal_code = "91580";
      return octroi::register_party(tx, ctx, in);
    });
    EXPECT_TRUE(party.ok()) << party.refusal().describe();
    if (!party.ok()) return "";
    auto created = write([&](Transaction& tx, const Context& ctx) {
      octroi::ApplicationInput in;
      in.scheme_number = "00001176";
      in.party_id = party->party.id.value;
      in.title = title;
      in.description = description;
      in.start = "2023-03-01";
      in.end = "2023-12-31";
      in.reference_year = "2023";
      in.expenses = {{"Abonnement", "1000.00", true}};
      in.resources = {{"Autofinancement", "1000.00", "self_funding", ""}};
      return octroi::create_application(tx, ctx, in);
    });
    EXPECT_TRUE(created.ok()) << created.refusal().describe();
    return created.ok() ? created->number : "";
  }

  // The database is as `before` (a dump_database); else the first difference.
  ::testing::AssertionResult unchanged(const std::string& before) {
    const std::string after = dump_database(db_);
    if (after == before) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << first_difference(before, after);
  }

  Context in_service(const std::string& service) {
    return Context{idf_, "web:instructeur", &clock_, service};
  }
};

// ---- words: accents, case, prefixes, AND ---------------------------------------------------

TEST_F(SearchAndServiceTest, AccentsAndCaseAreIgnoredOnBothSides) {
  // Titles "Chèque numérique …": typed without accents, in capitals, or with them.
  EXPECT_EQ(found("cheque numerique"), kCheques);
  EXPECT_EQ(found("CHEQUE NUMERIQUE"), kCheques);
  EXPECT_EQ(found("Chèque Numérique"), kCheques);
  EXPECT_EQ(found("CHÈQUE NUMÉRIQUE"), kCheques);
  // "J'achète au Perreux" in EX069984's description.
  EXPECT_EQ(found("achete"), Numbers{"EX069984"});
  EXPECT_EQ(found("ACHÈTE"), Numbers{"EX069984"});
  // Accents in a party's name and city, typed without them, and the other way round.
  const std::string elan = create_dossier("Société coopérative Élan d'Étampes", "Étréchy",
                                          "Boutique en ligne des artisans");
  const std::string cafe =
      create_dossier("Cafe des Arts", "Saint-Cheron", "Carte cadeau des commercants");
  ASSERT_FALSE(elan.empty());
  ASSERT_FALSE(cafe.empty());
  EXPECT_EQ(found("societe elan etampes"), Numbers{elan});
  EXPECT_EQ(found("SOCIETE ELAN"), Numbers{elan});
  EXPECT_EQ(found("étréchy"), Numbers{elan});
  EXPECT_EQ(found("ETRECHY"), Numbers{elan});
  EXPECT_EQ(found("Café des arts"), Numbers{cafe});
  EXPECT_EQ(found("saint chéron"), Numbers{cafe});
  EXPECT_EQ(found("café commerçants"), Numbers{cafe});
}

TEST_F(SearchAndServiceTest, EachWordIsAPrefixOfAWordNeverASuffixOrAMiddle) {
  EXPECT_EQ(found("montf"), Numbers{"EX070158"});
  EXPECT_EQ(found("c"), kAllDemo);  // Chèque…, Casaco
  EXPECT_EQ(found("ex0701"), (Numbers{"EX070158", "EX070162"}));
  EXPECT_EQ(found("EX070158"), Numbers{"EX070158"});
  EXPECT_EQ(found("ex070158x"), Numbers{});
  EXPECT_EQ(found("ermeil"), Numbers{});
  EXPECT_EQ(found("070158"), Numbers{});
  EXPECT_EQ(found("ontfermeil"), Numbers{});
  EXPECT_EQ(found("montfermeils"), Numbers{});
  // Digits are words too: "(année 2)" in EX069984's description, "2014" in Casaco's.
  EXPECT_EQ(found("2014"), Numbers{"EX065392"});
}

TEST_F(SearchAndServiceTest, SeveralWordsMustAllBeFoundInAnyOrderAndAnyField) {
  EXPECT_EQ(found("cheque montfermeil"), Numbers{"EX070158"});
  EXPECT_EQ(found("montfermeil cheque"), Numbers{"EX070158"});
  EXPECT_EQ(found("cheque malakoff"), Numbers{});
  EXPECT_EQ(found("casaco malakoff"), Numbers{"EX065392"});
  // Title word + description word + city.
  EXPECT_EQ(found("connecte forains montfermeil"), Numbers{"EX070158"});
  EXPECT_EQ(found("connecte forains malakoff"), Numbers{});
  // The same word twice is the same as once.
  EXPECT_EQ(found("casaco casaco"), Numbers{"EX065392"});
  // Spaces, tabs, newlines, no-break spaces and French dashes separate words.
  EXPECT_EQ(found("  cheque\t\nmontfermeil  "), Numbers{"EX070158"});
  EXPECT_EQ(found("cheque" OCTROI_NBSP "montfermeil"), Numbers{"EX070158"});
  EXPECT_EQ(found("tiers\xE2\x80\x93lieu"), Numbers{"EX065392"});
  EXPECT_EQ(found("clayes-sous-bois"), Numbers{"EX070162"});
}

TEST_F(SearchAndServiceTest, TheBeneficiarysNameAndCityAreSearched) {
  // "SAS SCIC Casaco": "scic" is only in the party's legal name.
  EXPECT_EQ(found("scic"), Numbers{"EX065392"});
  const std::string n =
      create_dossier("Association Zéphyrine", "Boissy-le-Cutté", "Outil de réservation");
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(found("zephyrine"), Numbers{n});  // its name only
  EXPECT_EQ(found("cutte"), Numbers{n});      // its city only
  EXPECT_EQ(found("boissy reservation"), Numbers{n});
  // The demonstration's dossiers are found as before.
  EXPECT_EQ(found("cheque"), kCheques);
}

TEST_F(SearchAndServiceTest, ATransferredDossierIsFoundByItsNewBeneficiaryNotItsFormerOne) {
  // No use case changes a dossier's title; its beneficiary changes by the transfer article of
  // CP 2023-040 (SAS SCIC Casaco -> SCI 6 avenue JJ), which the index follows.
  EXPECT_EQ(found("avenue"), Numbers{});
  EXPECT_EQ(found("scic"), Numbers{"EX065392"});
  auto adopted = write([&](Transaction& tx, const Context& ctx) {
    return octroi::adopt_report(tx, ctx, "CP 2023-040");
  });
  ASSERT_TRUE(adopted.ok()) << adopted.refusal().describe();
  EXPECT_EQ(found("avenue jj"), Numbers{"EX065392"});
  EXPECT_EQ(found("scic"), Numbers{});
  EXPECT_EQ(found("casaco"), Numbers{"EX065392"});  // still in its title
  // The other dossiers of the report, now awarded, are found as before.
  EXPECT_EQ(found("cheque montfermeil"), Numbers{"EX070158"});
}

// French ligatures typed as such: « œuvre », « Œ » (the index folds their case).
TEST_F(SearchAndServiceTest, LigaturesTypedAsSuchAreFound) {
  const std::string n = create_dossier("Commune de Sœurs-sur-Yerres", "Yerres",
                                       "Mise en œuvre du cœur de ville numérique");
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(found("œuvre"), Numbers{n});
  EXPECT_EQ(found("ŒUVRE CŒUR"), Numbers{n});
  EXPECT_EQ(found("sœurs numerique"), Numbers{n});
}

// « œuvre » typed « oeuvre » (as most French keyboards make people type it) is found on both
// stores: octroi_fold() maps œ to oe on PostgreSQL; on SQLite, whose FTS5 tokenizer removes
// diacritics but does not untie ligatures, the triggers and text::search_words do it.
TEST_F(SearchAndServiceTest, LigaturesAreFoldedLikeAccentsOnBothStores) {
  const std::string n = create_dossier("Commune de Sœurs-sur-Yerres", "Yerres",
                                       "Mise en œuvre du cœur de ville numérique");
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(found("oeuvre"), Numbers{n});
  EXPECT_EQ(found("coeur de ville"), Numbers{n});
  EXPECT_EQ(found("soeurs"), Numbers{n});
}

// Words of a web address, an e-mail address or a path: the e-mail's first word is found on both
// stores (a prefix of the whole address).
TEST_F(SearchAndServiceTest, AnAddressIsFoundByItsFirstWord) {
  const std::string n =
      create_dossier("Commune de Quincampoix", "Quincampoix", "Place de marché en ligne",
                     "Site www.quincampoix-vitrine.fr, contact mairie@quincampoix.fr, offre "
                     "drive/consigne.");
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(found("mairie"), Numbers{n});
  EXPECT_EQ(found("quincampoix"), Numbers{n});  // also its name and city
}

// SQLite's FTS5 splits "www.quincampoix-vitrine.fr" and "drive/consigne" into words;
// PostgreSQL's default text-search parser would keep a host name, an e-mail address or a path as
// one token, so the PostgreSQL trigger turns punctuation into spaces first.
TEST_F(SearchAndServiceTest, WordsInsideAddressesAndPathsAreFoundOnBothStores) {
  const std::string n =
      create_dossier("Commune de Quincampoix", "Quincampoix", "Place de marché en ligne",
                     "Site www.quincampoix-vitrine.fr, contact mairie@quincampoix.fr, offre "
                     "drive/consigne.");
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(found("vitrine"), Numbers{n});
  EXPECT_EQ(found("consigne"), Numbers{n});
  EXPECT_EQ(found("drive consigne"), Numbers{n});
  EXPECT_EQ(found("quincampoix vitrine"), Numbers{n});
}

// ---- the query is text: no operator, no SQL ------------------------------------------------

TEST_F(SearchAndServiceTest, QuerySyntaxIsSearchedAsTextNeverInterpreted) {
  const std::int64_t rows = count_rows(db_, "applications");
  const std::string before = dump_database(db_);
  struct Case {
    std::string q;
    Numbers expected;
  };
  const std::vector<Case> cases = {
      {"\"montfermeil\"", {"EX070158"}},
      {"'montfermeil'", {"EX070158"}},
      {"montf*", {"EX070158"}},
      {"montfermeil:*", {"EX070158"}},
      {"{montfermeil}", {"EX070158"}},
      {"montfermeil^", {"EX070158"}},
      {"montfermeil^2", {"EX070158"}},  // "2" is a word, and EX070158's title says "volet 2"
      {"montfermeil\\", {"EX070158"}},
      {"\xC2\xAB"
       "montfermeil"
       "\xC2\xBB",
       {"EX070158"}},                                         // « montfermeil »
      {"\xEF\xBC\x88montfermeil\xEF\xBC\x89", {"EX070158"}},  // fullwidth parentheses
      // Operators of FTS5, tsquery and search engines are words (ANDed) or separators.
      {"montfermeil OR casaco", {}},
      {"montfermeil or casaco", {}},
      {"montfermeil | casaco", {}},
      {"montfermeil || casaco", {}},
      {"montfermeil & casaco", {}},
      {"montfermeil AND casaco", {}},
      {"montfermeil NOT casaco", {}},
      {"NEAR(montfermeil casaco, 10)", {}},
      {"(montfermeil) NEAR (casaco)", {}},
      {"montfermeil <-> casaco", {}},
      {"montfermeil <2> casaco", {}},
      {"!casaco", {"EX065392"}},
      {"-casaco", {"EX065392"}},
      {"+casaco", {"EX065392"}},
      {"title:casaco", {}},
      {"number : EX070158", {}},
      {"{title description}: casaco", {}},
      {"^casaco", {"EX065392"}},
      // SQL: bound as a parameter, and its words are words.
      {"casaco' OR '1'='1", {}},
      {"casaco\" OR \"1\"=\"1", {}},
      {"casaco'; DROP TABLE applications; --", {}},
      {"casaco); DELETE FROM applications WHERE (1=1", {}},
      {"' OR 1=1 --", {}},
      {"%ermeil", {}},
      {"_ontfermeil", {}},
      {"*ermeil", {}},
      {"montfer%", {"EX070158"}},  // "montfer" is a prefix, "%" is not a wildcard
      // A symbol that is no word at all finds nothing (rather than everything).
      {"\xF0\x9F\x98\x80", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.q);
    octroi::Result<std::vector<ApplicationView>> r = octroi::refuse("test.unset", "", "");
    EXPECT_NO_THROW(r = search(text_search(c.q)));
    ASSERT_TRUE(r.ok()) << codes(r.refusal());
    EXPECT_EQ(numbers_of(r.value()), c.expected);
    EXPECT_LT(r->size(), kAllDemo.size());
  }
  // Punctuation alone holds no word: the same as an empty search (no text filter, no error).
  for (const std::string q : {"*", "\"", "'", "()", "--", ":*", "&|!", "%", "\"\"*", "'; --"}) {
    SCOPED_TRACE(q);
    EXPECT_EQ(found(q), kAllDemo);
  }
  EXPECT_EQ(count_rows(db_, "applications"), rows);
  EXPECT_TRUE(unchanged(before));
}

// ---- filters ---------------------------------------------------------------------------------

TEST_F(SearchAndServiceTest, TheDepartementFilterIsTheBeneficiarys) {
  // Derived from the postal codes: Clayes 78, Montfermeil 93, Perreux 94, Casaco (Malakoff) 92.
  auto dep = [&](const std::string& d, const std::string& q = "") {
    ApplicationSearch s;
    s.departement = d;
    s.text = q;
    return found(s);
  };
  EXPECT_EQ(dep("93"), Numbers{"EX070158"});
  EXPECT_EQ(dep(" 92 "), Numbers{"EX065392"});
  EXPECT_EQ(dep("78"), Numbers{"EX070162"});
  EXPECT_EQ(dep("94"), Numbers{"EX069984"});
  EXPECT_EQ(dep("75"), Numbers{});
  EXPECT_EQ(dep("2a"), Numbers{});
  EXPECT_EQ(dep("2B"), Numbers{});
  EXPECT_EQ(dep("971"), Numbers{});
  EXPECT_EQ(dep("93", "cheque"), Numbers{"EX070158"});
  EXPECT_EQ(dep("92", "cheque"), Numbers{});
  // A dossier in Corsica is found by 2A whichever way it is typed.
  auto corsica = write([&](Transaction& tx, const Context& ctx) {
    octroi::PartyInput in;
    in.legal_name = "Commune d'Ajaccio";
    in.departement = "2A";
    in.postal_code = "20000";
    in.city = "Ajaccio";
    return octroi::register_party(tx, ctx, in);
  });
  ASSERT_TRUE(corsica.ok()) << corsica.refusal().describe();
  auto created = write([&](Transaction& tx, const Context& ctx) {
    octroi::ApplicationInput in;
    in.scheme_number = "00001176";
    in.party_id = corsica->party.id.value;
    in.title = "Place de marché";
    in.start = "2023-03-01";
    in.end = "2023-12-31";
    in.reference_year = "2023";
    in.expenses = {{"Abonnement", "1000.00", true}};
    in.resources = {{"Autofinancement", "1000.00", "self_funding", ""}};
    return octroi::create_application(tx, ctx, in);
  });
  ASSERT_TRUE(created.ok()) << created.refusal().describe();
  EXPECT_EQ(dep("2A"), Numbers{created->number});
  EXPECT_EQ(dep("2a"), Numbers{created->number});
  EXPECT_EQ(dep("2B"), Numbers{});
}

TEST_F(SearchAndServiceTest, PartyStateAndSchemeFiltersCombineWithTheText) {
  ApplicationSearch s;
  s.party = std::to_string(party_id("Commune de Montfermeil"));
  EXPECT_EQ(found(s), Numbers{"EX070158"});
  s.text = "casaco";
  EXPECT_EQ(found(s), Numbers{});
  s = {};
  s.party = "999999";
  EXPECT_EQ(found(s), Numbers{});  // an unknown party finds nothing: it is not refused
  s = {};
  s.state = "proposed";
  EXPECT_EQ(found(s), kCheques);
  s.state = " awarded ";
  EXPECT_EQ(found(s), Numbers{"EX065392"});
  s = {};
  s.scheme = "00001033";
  EXPECT_EQ(found(s), Numbers{"EX065392"});
  s.scheme = "00001176";
  s.text = "perreux";
  EXPECT_EQ(found(s), Numbers{"EX069984"});
}

TEST_F(SearchAndServiceTest, TheSessionFilterFindsTheDossiersOfItsReports) {
  ApplicationSearch s;
  // CP 2022-285 (7 July 2022) awarded Casaco; CP 2023-040 (25 January 2023) names the three
  // chèques and Casaco's transfer.
  s.session = "2022-07-07";
  EXPECT_EQ(found(s), Numbers{"EX065392"});
  s.session = "2023-01-25";
  EXPECT_EQ(found(s), kAllDemo);
  s.session = "25/01/2023";
  EXPECT_EQ(found(s), kAllDemo);
  s.text = "montfermeil";
  EXPECT_EQ(found(s), Numbers{"EX070158"});
  s.text.clear();
  s.departement = "92";
  EXPECT_EQ(found(s), Numbers{"EX065392"});
  s.departement.clear();
  s.session = "2023-01-26";  // no session that day: nothing, and no refusal
  EXPECT_EQ(found(s), Numbers{});
  // Still so once the report is adopted.
  auto adopted = write([&](Transaction& tx, const Context& ctx) {
    return octroi::adopt_report(tx, ctx, "CP 2023-040");
  });
  ASSERT_TRUE(adopted.ok()) << adopted.refusal().describe();
  s.session = "2023-01-25";
  EXPECT_EQ(found(s), kAllDemo);
  s.state = "awarded";
  EXPECT_EQ(found(s), kAllDemo);
}

TEST_F(SearchAndServiceTest, PagesFollowTheNumbersOrder) {
  ApplicationSearch s;
  s.limit = 2;
  EXPECT_EQ(found(s), (Numbers{"EX065392", "EX069984"}));
  s.offset = 2;
  EXPECT_EQ(found(s), (Numbers{"EX070158", "EX070162"}));
  s.offset = 3;
  EXPECT_EQ(found(s), Numbers{"EX070162"});
  s.offset = 4;
  EXPECT_EQ(found(s), Numbers{});
  s.offset = 1000000;
  EXPECT_EQ(found(s), Numbers{});
  s.limit = 1;
  s.offset = 1;
  s.text = "cheque";
  EXPECT_EQ(found(s), Numbers{"EX070158"});
  // Out of bounds: refused, not clamped.
  for (const auto& [limit, offset, code] :
       {std::tuple{std::int64_t{0}, std::int64_t{0}, "list.limit"},
        std::tuple{std::int64_t{1001}, std::int64_t{0}, "list.limit"},
        std::tuple{std::int64_t{-5}, std::int64_t{0}, "list.limit"},
        std::tuple{std::int64_t{10}, std::int64_t{-1}, "list.offset"}}) {
    SCOPED_TRACE(std::to_string(limit) + "/" + std::to_string(offset));
    ApplicationSearch bad;
    bad.limit = limit;
    bad.offset = offset;
    auto r = search(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.refusal().first().code, code);
  }
  s = {};
  s.limit = 1000;
  EXPECT_EQ(found(s), kAllDemo);
}

// ---- refusals --------------------------------------------------------------------------------

TEST_F(SearchAndServiceTest, EachMalformedFilterIsRefusedWithItsCodeAndField) {
  struct Case {
    ApplicationSearch in;
    std::string code, field;
  };
  auto with = [](auto set) {
    ApplicationSearch s;
    set(s);
    return s;
  };
  const std::vector<Case> cases = {
      {with([](auto& s) { s.state = "attribué"; }), "search.state", "state"},
      {with([](auto& s) { s.state = "AWARDED"; }), "search.state", "state"},
      {with([](auto& s) { s.scheme = "99999999"; }), "scheme.unknown", "scheme"},
      {with([](auto& s) { s.party = "abc"; }), "search.party", "party"},
      {with([](auto& s) { s.party = "-1"; }), "search.party", "party"},
      {with([](auto& s) { s.party = "1 OR 1=1"; }), "search.party", "party"},
      {with([](auto& s) { s.party = "1234567890123"; }), "search.party", "party"},
      {with([](auto& s) { s.departement = "9"; }), "search.departement", "departement"},
      {with([](auto& s) { s.departement = "2C"; }), "search.departement", "departement"},
      {with([](auto& s) { s.departement = "999"; }), "search.departement", "departement"},
      {with([](auto& s) { s.departement = "93100"; }), "search.departement", "departement"},
      {with([](auto& s) { s.departement = "Seine"; }), "search.departement", "departement"},
      {with([](auto& s) { s.departement = "9'3"; }), "search.departement", "departement"},
      {with([](auto& s) { s.session = "hier"; }), "search.session", "session"},
      {with([](auto& s) { s.session = "2023-02-30"; }), "search.session", "session"},
      {with([](auto& s) { s.session = "2023-01-25'; --"; }), "search.session", "session"},
      {with([](auto& s) { s.text = std::string(201, 'a'); }), "search.text", "q"},
      {with([](auto& s) { s.text = "montfermeil \xC3"; }), "search.text", "q"},
      {with([](auto& s) { s.text = "\xFF\xFE"; }), "search.text", "q"},
  };
  const std::string before = dump_database(db_);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.code + " " + c.in.state + c.in.scheme + c.in.party + c.in.departement +
                 c.in.session + std::to_string(c.in.text.size()));
    octroi::Result<std::vector<ApplicationView>> r = octroi::refuse("test.unset", "", "");
    EXPECT_NO_THROW(r = search(c.in));
    ASSERT_FALSE(r.ok()) << "accepted";
    ASSERT_EQ(r.refusal().problems.size(), 1u) << codes(r.refusal());
    EXPECT_EQ(r.refusal().first().code, c.code);
    EXPECT_EQ(r.refusal().first().field, c.field);
    EXPECT_FALSE(r.refusal().first().message.empty());
  }
  // Every problem at once, each named.
  ApplicationSearch all;
  all.state = "x";
  all.scheme = "x";
  all.party = "x";
  all.departement = "x";
  all.session = "x";
  all.text = std::string(300, 'x');
  auto r = search(all);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(codes(r.refusal()),
            "[search.state @ state] [scheme.unknown @ scheme] [search.party @ party] "
            "[search.departement @ departement] [search.session @ session] [search.text @ q] ");
  // 200 characters are fine, however many bytes they take.
  std::string two_hundred;
  for (int i = 0; i < 200; ++i)
    two_hundred += "é";
  EXPECT_EQ(found(two_hundred), Numbers{});
  EXPECT_TRUE(unchanged(before));
}

TEST_F(SearchAndServiceTest, OnlyTheAuthoritysOwnDossiersAreSearched) {
  auto cd93 = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::create_authority(tx, "test:admin", clock_,
                                    {"cd93", "Département de la Seine-Saint-Denis", "", "", ""});
  });
  ASSERT_TRUE(cd93.ok()) << cd93.refusal().describe();
  const Context other{cd93->id, "test:cd93", &clock_};
  auto made = octroi::run_write(*store_, [&](Transaction& tx) -> octroi::Result<std::string> {
    auto idf_scheme = octroi::scheme_by_number(tx, idf_, "00001176");
    if (!idf_scheme.ok()) return idf_scheme.refusal();
    auto scheme = octroi::create_scheme(tx, other, octroi::scheme_input_of(idf_scheme.value()));
    if (!scheme.ok()) return scheme.refusal();
    octroi::PartyInput p;
    p.legal_name = "Commune de Montfermeil";
    p.postal_code = "93370";
    p.city = "Montfermeil";
    auto party = octroi::register_party(tx, other, p);
    if (!party.ok()) return party.refusal();
    octroi::ApplicationInput in;
    in.number = "EX070158";
    in.scheme_number = "00001176";
    in.party_id = party->party.id.value;
    in.title = "Chèque numérique – Commune de Montfermeil (département)";
    in.start = "2023-03-01";
    in.end = "2023-12-31";
    in.reference_year = "2023";
    in.expenses = {{"Abonnement", "1000.00", true}};
    in.resources = {{"Autofinancement", "1000.00", "self_funding", ""}};
    auto app = octroi::create_application(tx, other, in);
    if (!app.ok()) return app.refusal();
    return app->number;
  });
  ASSERT_TRUE(made.ok()) << made.refusal().describe();
  EXPECT_EQ(found("montfermeil"), Numbers{"EX070158"});
  EXPECT_EQ(found("departement"), Numbers{});
  ApplicationSearch s;
  s.departement = "93";
  EXPECT_EQ(found(s), Numbers{"EX070158"});
  auto theirs = octroi::run_read(*store_, [&](Transaction& tx) {
    return octroi::search_applications(tx, cd93->id, text_search("montfermeil departement"));
  });
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(theirs->size(), 1u);
  EXPECT_EQ(theirs->front().application.project.title,
            "Chèque numérique – Commune de Montfermeil (département)");
}

// The session filter follows the reports as they are composed (the demonstration without
// CP 2023-040, for a clerk to compose it).
class SearchAndServiceSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(dir_.path());
    db_ = database_->locator();
    store_ = octroi::stores::open(db_, octroi::stores::OpenMode::Create);
    auto loaded = octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::load_demo(tx, "demo", clock_, octroi::DemoOptions{.with_report = false});
    });
    ASSERT_TRUE(loaded.ok()) << loaded.refusal().describe();
    auto a = octroi::run_read(
        *store_, [&](Transaction& tx) { return octroi::authority_by_code(tx, "idf"); });
    ASSERT_TRUE(a.ok());
    idf_ = a->id;
  }
  Numbers on(const std::string& session) {
    ApplicationSearch s;
    s.session = session;
    auto r = octroi::run_read(
        *store_, [&](Transaction& tx) { return octroi::search_applications(tx, idf_, s); });
    if (!r.ok()) {
      ADD_FAILURE() << codes(r.refusal());
      return {"refused"};
    }
    return numbers_of(r.value());
  }
  template <class F>
  void compose(F&& step) {
    auto r = octroi::run_write(*store_, [&](Transaction& tx) {
      const Context ctx{idf_, "test:greffe", &clock_};
      return step(tx, ctx);
    });
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
  }

  TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<TestDatabase> database_;
  std::string db_;
  std::unique_ptr<octroi::sql::SqlStore> store_;
  octroi::AuthorityId idf_;
};

TEST_F(SearchAndServiceSessionTest, DossiersAreFoundByTheirSessionOnceAReportNamesThem) {
  EXPECT_EQ(on("2023-01-25"), Numbers{});  // no session that day yet
  EXPECT_EQ(on("2022-07-07"), Numbers{"EX065392"});
  compose([](Transaction& tx, const Context& ctx) {
    return octroi::create_report(tx, ctx,
                                 {"CP 2023-040", "Attractivité et aménagement économique",
                                  "standing_committee", "2023-01-25"});
  });
  EXPECT_EQ(on("2023-01-25"), Numbers{});  // a report without articles names no dossier
  compose([](Transaction& tx, const Context& ctx) {
    octroi::ArticleInput a;
    a.kind = "scheme_awards";
    a.title = "Chèque numérique pour un commerce connecté – volet 2";
    a.line = "2023/16300302";
    a.amount = "15000";
    a.scheme = "00001176";
    a.applications = {"EX070162", "EX070158"};
    return octroi::add_article(tx, ctx, "CP 2023-040", a);
  });
  EXPECT_EQ(on("2023-01-25"), (Numbers{"EX070158", "EX070162"}));
  EXPECT_EQ(on("25/01/2023"), (Numbers{"EX070158", "EX070162"}));
  std::int64_t sci = 0;
  for (const auto& p :
       octroi::run_read(*store_, [&](Transaction& tx) { return tx.parties().list_parties(idf_); }))
    if (p.legal_name == "SCI 6 avenue JJ") sci = p.id.value;
  ASSERT_NE(sci, 0);
  compose([&](Transaction& tx, const Context& ctx) {
    octroi::ArticleInput a;
    a.kind = "transfer";
    a.title = "Transfert de subvention du projet de tiers-lieu Casaco à la SCI 6 avenue JJ";
    a.line = "2022/15600105";
    a.amount = "78400";
    a.application = "EX065392";
    a.party = std::to_string(sci);
    return octroi::add_article(tx, ctx, "CP 2023-040", a);
  });
  EXPECT_EQ(on("2023-01-25"), (Numbers{"EX065392", "EX070158", "EX070162"}));
  EXPECT_EQ(on("2022-07-07"), Numbers{"EX065392"});
  // A session of another body the same day is the same date: a council report names EX069984.
  compose([](Transaction& tx, const Context& ctx) {
    return octroi::create_report(tx, ctx,
                                 {"CR 2023-001", "Séance plénière", "council", "2023-01-25"});
  });
  compose([](Transaction& tx, const Context& ctx) {
    octroi::ArticleInput a;
    a.kind = "scheme_awards";
    a.title = "Chèque numérique – Le Perreux";
    a.line = "2023/16300302";
    a.amount = "8000";
    a.scheme = "00001176";
    a.applications = {"EX069984"};
    return octroi::add_article(tx, ctx, "CR 2023-001", a);
  });
  EXPECT_EQ(on("2023-01-25"), kAllDemo);
}

// ---- instructors' services -------------------------------------------------------------------

PlanChange relabel(std::size_t position, const std::string& label) {
  PlanChange c;
  c.op = PlanChange::Op::Set;
  c.side = PlanChange::Side::Expense;
  c.position = position;
  c.label = label;
  return c;
}

octroi::ApplicationInput new_cheque(std::int64_t party) {
  octroi::ApplicationInput in;
  in.scheme_number = "00001176";
  in.party_id = party;
  in.title = "Chèque numérique – nouvelle demande";
  in.start = "2023-03-01";
  in.end = "2023-12-31";
  in.reference_year = "2023";
  in.expenses = {{"Abonnement", "1000.00", true}};
  in.resources = {{"Autofinancement", "500.00", "self_funding", ""},
                  {"Région", "500.00", "authority", "sollicité"}};
  return in;
}

TEST_F(SearchAndServiceTest, AnInstructorOfAnotherServiceChangesNothingOnTheDossier) {
  const Context other = in_service("Service de l'innovation");
  const std::int64_t montfermeil = party_id("Commune de Montfermeil");
  const std::string before = dump_database(db_);
  auto expect_service_refusal = [&](auto r, const char* what) {
    SCOPED_TRACE(what);
    ASSERT_FALSE(r.ok()) << "accepted";
    EXPECT_EQ(r.refusal().first().code, "auth.service") << codes(r.refusal());
    EXPECT_EQ(r.refusal().first().field, "scheme");
    EXPECT_NE(r.refusal().first().message.find("Service de l'artisanat"), std::string::npos)
        << r.refusal().first().message;
    EXPECT_NE(r.refusal().first().message.find("Service de l'innovation"), std::string::npos);
  };
  expect_service_refusal(octroi::run_write(*store_,
                                           [&](Transaction& tx) {
                                             return octroi::edit_plan(
                                                 tx, other, "EX070158",
                                                 {relabel(1, "Abonnement annuel")});
                                           }),
                         "edit_plan");
  expect_service_refusal(octroi::run_write(*store_,
                                           [&](Transaction& tx) {
                                             octroi::EventInput in;
                                             in.event = "reopen";
                                             in.reason = "plan à revoir";
                                             return octroi::apply_application_event(tx, other,
                                                                                    "EX070158", in);
                                           }),
                         "apply_application_event");
  expect_service_refusal(
      octroi::run_write(
          *store_,
          [&](Transaction& tx) { return octroi::add_note(tx, other, "EX070158", "Devis reçu"); }),
      "add_note");
  expect_service_refusal(octroi::run_write(*store_,
                                           [&](Transaction& tx) {
                                             return octroi::create_application(
                                                 tx, other, new_cheque(montfermeil));
                                           }),
                         "create_application");
  // The de minimis check of Casaco's dossier (Service de l'innovation) by the artisanat.
  auto check = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::check_state_aid(tx, in_service("Service de l'artisanat"), "EX065392",
                                   "instruction");
  });
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.refusal().first().code, "auth.service");
  // Services are compared exactly: another case is another service.
  auto lower = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::add_note(tx, in_service("service de l'artisanat"), "EX070158", "Devis reçu");
  });
  ASSERT_FALSE(lower.ok());
  EXPECT_EQ(lower.refusal().first().code, "auth.service");
  EXPECT_TRUE(unchanged(before));
  // Reading is for everyone: the search and the dossier are the same.
  EXPECT_EQ(found("montfermeil"), Numbers{"EX070158"});
}

TEST_F(SearchAndServiceTest, TheInstructingServiceAndAdministratorsAreAccepted) {
  const std::int64_t montfermeil = party_id("Commune de Montfermeil");
  for (const auto& [label, ctx] :
       {std::pair{std::string("Service de l'artisanat"), in_service("Service de l'artisanat")},
        std::pair{std::string("no service (administrator, CLI)"),
                  Context{idf_, "cli:root", &clock_}}}) {
    SCOPED_TRACE(label);
    auto note = octroi::run_write(
        *store_, [&](Transaction& tx) { return octroi::add_note(tx, ctx, "EX070162", "Vu."); });
    EXPECT_TRUE(note.ok()) << note.refusal().describe();
    auto created = octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::create_application(tx, ctx, new_cheque(montfermeil));
    });
    ASSERT_TRUE(created.ok()) << created.refusal().describe();
    auto edited = octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::edit_plan(tx, ctx, created->number, {relabel(1, "Abonnement annuel")});
    });
    EXPECT_TRUE(edited.ok()) << edited.refusal().describe();
    auto submitted = octroi::run_write(*store_, [&](Transaction& tx) {
      octroi::EventInput in;
      in.event = "submit";
      return octroi::apply_application_event(tx, ctx, created->number, in);
    });
    EXPECT_TRUE(submitted.ok()) << submitted.refusal().describe();
  }
  // The dossier of the demonstration: back to instruction, plan edited, note.
  const Context artisanat = in_service("Service de l'artisanat");
  auto reopened = octroi::run_write(*store_, [&](Transaction& tx) {
    octroi::EventInput in;
    in.event = "reopen";
    in.reason = "plan à revoir";
    return octroi::apply_application_event(tx, artisanat, "EX070158", in);
  });
  ASSERT_TRUE(reopened.ok()) << reopened.refusal().describe();
  auto edited = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::edit_plan(tx, artisanat, "EX070158", {relabel(1, "Abonnement annuel")});
  });
  ASSERT_TRUE(edited.ok()) << edited.refusal().describe();
  EXPECT_EQ(show("EX070158").application.plan.expenses[0].label, "Abonnement annuel");
  // Casaco's de minimis check by its own service.
  auto check = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::check_state_aid(tx, in_service("Service de l'innovation"), "EX065392",
                                   "instruction");
  });
  EXPECT_TRUE(check.ok()) << check.refusal().describe();
}

TEST_F(SearchAndServiceTest, ASchemeWithoutAServiceRefusesEveryInstructor) {
  auto created = write([&](Transaction& tx, const Context& ctx) -> octroi::Result<std::string> {
    auto cheque = octroi::scheme_by_number(tx, ctx.authority, "00001176");
    if (!cheque.ok()) return cheque.refusal();
    octroi::SchemeInput in = octroi::scheme_input_of(cheque.value());
    in.number = "00009001";
    in.name = "Dispositif sans service";
    in.service = "";
    auto scheme = octroi::create_scheme(tx, ctx, in);
    if (!scheme.ok()) return scheme.refusal();
    auto app_in = new_cheque(party_id("Commune de Montfermeil"));
    app_in.scheme_number = "00009001";
    auto app = octroi::create_application(tx, ctx, app_in);  // no service: an administrator
    if (!app.ok()) return app.refusal();
    return app->number;
  });
  ASSERT_TRUE(created.ok()) << created.refusal().describe();
  const std::string number = created.value();
  const std::string before = dump_database(db_);
  for (const std::string service : {"Service de l'artisanat", "Service de l'innovation", "", " "}) {
    SCOPED_TRACE("[" + service + "]");
    const Context ctx = in_service(service);
    auto note = octroi::run_write(
        *store_, [&](Transaction& tx) { return octroi::add_note(tx, ctx, number, "Vu."); });
    ASSERT_FALSE(note.ok());
    EXPECT_EQ(note.refusal().first().code, "auth.service");
    EXPECT_NE(note.refusal().first().message.find("n'a pas de service instructeur"),
              std::string::npos)
        << note.refusal().first().message;
    auto edit = octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::edit_plan(tx, ctx, number, {relabel(1, "Autre")});
    });
    ASSERT_FALSE(edit.ok());
    EXPECT_EQ(edit.refusal().first().code, "auth.service");
    auto submit = octroi::run_write(*store_, [&](Transaction& tx) {
      octroi::EventInput in;
      in.event = "submit";
      return octroi::apply_application_event(tx, ctx, number, in);
    });
    ASSERT_FALSE(submit.ok());
    EXPECT_EQ(submit.refusal().first().code, "auth.service");
    auto another = octroi::run_write(*store_, [&](Transaction& tx) {
      auto in = new_cheque(party_id("Commune de Montfermeil"));
      in.scheme_number = "00009001";
      return octroi::create_application(tx, ctx, in);
    });
    ASSERT_FALSE(another.ok());
    EXPECT_EQ(another.refusal().first().code, "auth.service");
    // check_instructing_service itself.
    auto scheme = octroi::run_read(
        *store_, [&](Transaction& tx) { return octroi::scheme_by_number(tx, idf_, "00009001"); });
    ASSERT_TRUE(scheme.ok());
    EXPECT_FALSE(octroi::check_instructing_service(ctx, scheme.value()).ok());
  }
  EXPECT_TRUE(unchanged(before));
  // An administrator still acts on it.
  auto admin = write([&](Transaction& tx, const Context& ctx) {
    return octroi::add_note(tx, ctx, number, "Vu par l'administrateur.");
  });
  EXPECT_TRUE(admin.ok()) << admin.refusal().describe();
}

TEST_F(SearchAndServiceTest, AnInstructorAccountOrTokenNamesItsService) {
  octroi::crypto::SodiumPasswordHasher passwords;
  octroi::crypto::SodiumTokenSource tokens;
  const std::string before = dump_database(db_);
  for (const std::string& service : {std::string(""), std::string(201, 's')}) {
    auto u = write([&](Transaction& tx, const Context& ctx) {
      return octroi::create_user(
          tx, ctx, {"instr", "Instructrice", "instructor", service, "mot-de-passe-instr"},
          passwords);
    });
    ASSERT_FALSE(u.ok());
    EXPECT_EQ(codes(u.refusal()), "[user.service @ service] ");
  }
  EXPECT_TRUE(unchanged(before));
  // A token belongs to an account and acts in its service: another service, or a service on a
  // reader's token, is refused.
  auto robot = write([&](Transaction& tx, const Context& ctx) {
    return octroi::create_user(
        tx, ctx,
        {"robot", "Robot d'import", "instructor", "Service de l'innovation", "mot-de-passe-robot"},
        passwords);
  });
  ASSERT_TRUE(robot.ok()) << robot.refusal().describe();
  const std::string with_robot = dump_database(db_);
  for (const auto& [role, service] :
       {std::pair<std::string, std::string>{"instructor", "Service de l'artisanat"},
        {"reader", "Service de l'innovation"}}) {
    auto t = write([&](Transaction& tx, const Context& ctx) {
      return octroi::issue_api_token(tx, ctx, {"robot", "robot", role, service, ""}, 0, tokens,
                                     store_->hasher());
    });
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(codes(t.refusal()), "[token.service @ service] ");
  }
  EXPECT_TRUE(unchanged(with_robot));
  // Its service is its owner's, given or not: an instructor's token acts on that service's
  // dossiers only.
  auto t = write([&](Transaction& tx, const Context& ctx) {
    return octroi::issue_api_token(tx, ctx, {"robot", "robot", "", "", ""}, 0, tokens,
                                   store_->hasher());
  });
  ASSERT_TRUE(t.ok()) << t.refusal().describe();
  EXPECT_EQ(t->record.service, "Service de l'innovation");
  EXPECT_EQ(t->record.role, "instructor");
  auto principal = octroi::run_read(*store_, [&](Transaction& tx) {
    return octroi::principal_of_api_token(tx, clock_, t->token, store_->hasher());
  });
  ASSERT_TRUE(principal.ok());
  const Context ctx = octroi::context_of(principal.value(), clock_);
  ASSERT_TRUE(ctx.service.has_value());
  EXPECT_EQ(*ctx.service, "Service de l'innovation");
  auto refused = octroi::run_write(
      *store_, [&](Transaction& tx) { return octroi::add_note(tx, ctx, "EX070158", "Vu."); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "auth.service");
  auto accepted = octroi::run_write(
      *store_, [&](Transaction& tx) { return octroi::add_note(tx, ctx, "EX065392", "Vu."); });
  EXPECT_TRUE(accepted.ok()) << accepted.refusal().describe();
}

// create_user and issue_api_token trim the instructor's service as create_scheme trims the
// scheme's, and refuse a service made of spaces only: a stray space does not lock an instructor
// out of their own service's dossiers.
TEST_F(SearchAndServiceTest, AnInstructorsServiceIsTrimmedLikeTheSchemes) {
  octroi::crypto::SodiumPasswordHasher passwords;
  auto blank = write([&](Transaction& tx, const Context& ctx) {
    return octroi::create_user(
        tx, ctx, {"blanc", "Instructeur blanc", "instructor", "   ", "mot-de-passe-blanc"},
        passwords);
  });
  ASSERT_FALSE(blank.ok()) << "an instructor whose service is only spaces was created";
  EXPECT_EQ(blank.refusal().first().code, "user.service");
  auto spaced = write([&](Transaction& tx, const Context& ctx) {
    return octroi::create_user(tx, ctx,
                               {"espace", "Instructeur espacé", "instructor",
                                " Service de l'artisanat ", "mot-de-passe-espace"},
                               passwords);
  });
  if (!spaced.ok()) {
    EXPECT_EQ(spaced.refusal().first().code, "user.service");
    return;
  }
  EXPECT_EQ(spaced->service, "Service de l'artisanat");
  // What they may do: their service's dossiers.
  auto note = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::add_note(tx, in_service(spaced->service), "EX070158", "Vu.");
  });
  EXPECT_TRUE(note.ok()) << note.refusal().describe();
}

}  // namespace
}  // namespace octroi_test

namespace octroi_test {
namespace {

// A plan "edit" that leaves the plan as it was (the same amount typed another way, the same
// label) writes nothing: no new plan, no history step, no audit line.
TEST_F(SearchAndServiceTest, APlanEditThatChangesNothingWritesNothing) {
  const Context admin{idf_, "cli:root", &clock_};
  auto reopened = octroi::run_write(*store_, [&](Transaction& tx) {
    octroi::EventInput in;
    in.event = "reopen";
    in.reason = "Reprise de l'instruction";
    return octroi::apply_application_event(tx, admin, "EX070162", in);
  });
  ASSERT_TRUE(reopened.ok()) << reopened.refusal().describe();
  auto shown = octroi::run_read(
      *store_, [&](Transaction& tx) { return octroi::show_application(tx, idf_, "EX070162"); });
  ASSERT_TRUE(shown.ok());
  const auto& first = shown->plan.expenses.at(0);
  const std::string before = dump_database(db_);
  PlanChange same;
  same.op = PlanChange::Op::Set;
  same.side = PlanChange::Side::Expense;
  same.position = 1;
  // "10580.00" typed as "10580" (or whatever the first line holds, without its cents).
  same.amount =
      std::to_string(first.amount.cents() / 100) +
      (first.amount.cents() % 100 ? "," + std::to_string(first.amount.cents() % 100) : "");
  same.label = first.label;
  auto edited = octroi::run_write(
      *store_, [&](Transaction& tx) { return octroi::edit_plan(tx, admin, "EX070162", {same}); });
  ASSERT_TRUE(edited.ok()) << edited.refusal().describe();
  EXPECT_TRUE(unchanged(before));
}

}  // namespace
}  // namespace octroi_test
