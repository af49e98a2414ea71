#include "core/identifiers.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace octroi::ids {
namespace {

// A refusal must carry the expected code, the field it was given, and a non-empty French
// message; `fragment` is a piece of that message (so that a wrong message fails the test).
template <class T>
void expect_refused(const Result<T>& r, std::string_view input, const std::string& code,
                    const std::string& field, std::string_view fragment) {
  SCOPED_TRACE("input « " + std::string(input) + " »");
  ASSERT_FALSE(r.ok()) << "accepted but should be refused with " << code;
  const Problem& p = r.refusal().first();
  EXPECT_EQ(p.code, code) << p.message;
  EXPECT_EQ(p.field, field);
  EXPECT_FALSE(p.message.empty());
  EXPECT_NE(p.message.find(fragment), std::string::npos)
      << "message « " << p.message << " » lacks « " << fragment << " »";
}

template <class T>
void expect_accepted(const Result<T>& r, std::string_view input, const std::string& expected) {
  SCOPED_TRACE("input « " + std::string(input) + " »");
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r.value(), expected);
}

struct Accepted {
  const char* text;
  const char* expected;
  const char* note;
};

struct Refused {
  const char* text;
  const char* code;
  const char* fragment;  // part of the French message
};

// --- normalize_number / luhn_valid -------------------------------------------------------------

TEST(IdentifiersNormalize, RemovesSpacesDotsAndNoBreakSpacesOnly) {
  const struct {
    const char* text;
    const char* expected;
  } cases[] = {
      {"801568296", "801568296"},
      {"801 568 296", "801568296"},
      {"801.568.296", "801568296"},
      {"801\u00a0568\u00a0296", "801568296"},
      {"801\u202f568\u202f296", "801568296"},
      {" 732 829 320 00074 ", "73282932000074"},
      {"80156829A", "80156829A"},  // letters are kept so that validators refuse them
      {"801-568-296", "801-568-296"},
      {"801\t568", "801\t568"},
      {"", ""},
      {" . ", ""},
  };
  for (const auto& c : cases)
    EXPECT_EQ(normalize_number(c.text), c.expected) << c.text;
}

TEST(IdentifiersLuhn, StandardLuhnOverDigitsOnly) {
  const struct {
    const char* digits;
    bool valid;
  } cases[] = {
      {"79927398713", true},
      {"79927398710", false},
      {"801568296", true},
      {"801568297", false},
      {"73282932000074", true},
      {"67895644300011", false},
      {"0", true},
      {"18", true},
      {"17", false},
      {"", false},
      {"80156829A", false},
      {"801 568 296", false},
      {"-801568296", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(luhn_valid(c.digits), c.valid) << c.digits;
}

// --- SIREN ---------------------------------------------------------------------------------------

TEST(IdentifiersSiren, AcceptsValidSirens) {
  const Accepted cases[] = {
      {"801568296", "801568296", "SAS SCIC Casaco"},
      {"910876390", "910876390", "SCI 6 avenue JJ"},
      {"732829320", "732829320", ""},
      {"542051180", "542051180", "TotalEnergies SE"},
      {"356000000", "356000000", "La Poste"},
      {"801 568 296", "801568296", "spaces"},
      {"801.568.296", "801568296", "dots"},
      {"801\u00a0568\u202f296", "801568296", "no-break spaces"},
  };
  for (const auto& c : cases)
    expect_accepted(siren(c.text, "party.siren"), c.text, c.expected);
}

TEST(IdentifiersSiren, RefusesInvalidSirens) {
  const Refused cases[] = {
      {"801568297", "siren.luhn", "clé de contrôle (Luhn)"},
      {"123456789", "siren.luhn", "Le SIREN « 123456789 » est invalide"},
      {"12345678", "siren.format", "exactement 9 chiffres, et non 8 chiffres"},
      {"1234567890", "siren.format", "exactement 9 chiffres"},
      {"80156829A", "siren.format", "que des chiffres"},
      {"801-568-296", "siren.format", "que des chiffres"},
      {"73282932000074", "siren.format", "sans doute un SIRET"},
      {"", "siren.empty", "Le SIREN est obligatoire"},
      {" . ", "siren.empty", "Le SIREN est obligatoire"},
  };
  for (const auto& c : cases)
    expect_refused(siren(c.text, "parties[1].siren"), c.text, c.code, "parties[1].siren",
                   c.fragment);
}

// --- SIRET ---------------------------------------------------------------------------------------

TEST(IdentifiersSiret, AcceptsValidSirets) {
  const Accepted cases[] = {
      {"73282932000074", "73282932000074", "Luhn"},
      {"54205118000066", "54205118000066", "TotalEnergies SE, Luhn"},
      {"732 829 320 00074", "73282932000074", "spaces"},
      // La Poste head office: plain Luhn (digit sum 26, not a multiple of 5, so it is really
      // Luhn that accepts it).
      {"35600000000048", "35600000000048", "La Poste siège"},
      // La Poste establishments: Luhn fails, but 3+5+6+0+0+0+0+0+0+4+9+8+3+7 = 45.
      {"35600000049837", "35600000049837", "La Poste, sum 45"},
      // 3+5+6+0+0+0+0+0+0+5+9+8+4+5 = 45 (Luhn fails too).
      {"35600000059845", "35600000059845", "La Poste, sum 45"},
      {"356 000 000 49837", "35600000049837", "La Poste with spaces"},
  };
  for (const auto& c : cases)
    expect_accepted(siret(c.text, "party.siret"), c.text, c.expected);
}

TEST(IdentifiersSiret, RefusesInvalidSirets) {
  const Refused cases[] = {
      // Etalab's sample SIRET is not Luhn-valid.
      {"67895644300011", "siret.luhn", "clé de contrôle (Luhn)"},
      {"80156829600012", "siret.luhn",
       "Le SIRET « 80156829600012 » est invalide : la clé de contrôle (Luhn) ne correspond pas."},
      {"73282932000075", "siret.luhn", "Luhn"},
      // La Poste: 3+5+6+4+9+8+3+8 = 46, not a multiple of 5.
      {"35600000049838", "siret.luhn", "multiple de 5, or elle vaut 46"},
      // 3+5+6+5+9+8+4+3 = 43, not a multiple of 5.
      {"35600000059843", "siret.luhn", "La Poste"},
      // Luhn-valid, but a La Poste establishment whose digit sum is 3+5+6+1+4 = 19.
      {"35600000000014", "siret.luhn", "elle vaut 19"},
      {"", "siret.empty", "Le SIRET est obligatoire"},
      {"7328293200007", "siret.format", "exactement 14 chiffres, et non 13 chiffres"},
      {"732829320000745", "siret.format", "exactement 14 chiffres"},
      {"7328293200007A", "siret.format", "que des chiffres"},
      {"12345678", "siret.format", "exactement 14 chiffres, et non 8 chiffres"},
  };
  for (const auto& c : cases)
    expect_refused(siret(c.text, "parties[0].siret"), c.text, c.code, "parties[0].siret",
                   c.fragment);
}

// The trap: a 9-digit number typed in a SIRET box is a SIREN, neither a SIRET nor garbage.
TEST(IdentifiersSiret, FlagsNineDigitsAsSiren) {
  const Refused cases[] = {
      {"801568296", "siret.is_siren", "a 9 chiffres : c'est un SIREN, pas un SIRET"},
      {"801568296", "siret.is_siren", "Ce SIREN est lui-même valide"},
      {"910876390", "siret.is_siren", "c'est un SIREN, pas un SIRET"},
      {"910 876 390", "siret.is_siren", "« 910876390 »"},
      {"356000000", "siret.is_siren", "lui-même valide"},
      {"801568297", "siret.is_siren", "Ce SIREN n'est d'ailleurs pas valide"},
  };
  for (const auto& c : cases)
    expect_refused(siret(c.text, "party.siret"), c.text, c.code, "party.siret", c.fragment);
}

// --- classify_company_number ---------------------------------------------------------------------

TEST(IdentifiersCompanyNumber, ClassifiesSirenAndSiret) {
  const struct {
    const char* text;
    CompanyNumberKind kind;
    const char* digits;
  } cases[] = {
      {"801568296", CompanyNumberKind::Siren, "801568296"},
      {"910 876 390", CompanyNumberKind::Siren, "910876390"},
      {"73282932000074", CompanyNumberKind::Siret, "73282932000074"},
      {"35600000049837", CompanyNumberKind::Siret, "35600000049837"},
  };
  for (const auto& c : cases) {
    auto r = classify_company_number(c.text, "party.company_number");
    ASSERT_TRUE(r.ok()) << c.text << " : " << r.refusal().describe();
    EXPECT_EQ(r->kind, c.kind) << c.text;
    EXPECT_EQ(r->digits, c.digits) << c.text;
  }
}

TEST(IdentifiersCompanyNumber, RefusesInvalidNumbersOfEitherLength) {
  const Refused cases[] = {
      {"801568297", "siren.luhn", "Luhn"},
      {"80156829A", "siren.format", "que des chiffres"},
      {"67895644300011", "siret.luhn", "Luhn"},
      {"35600000049838", "siret.luhn", "La Poste"},
      {"1234567890", "company_number.format", "ni un SIREN (9 chiffres) ni un SIRET"},
      {"12345", "company_number.format", "il comporte 5 chiffres"},
      {"abc", "company_number.format", "que des chiffres"},
      {"", "company_number.format", "obligatoire"},
  };
  for (const auto& c : cases)
    expect_refused(classify_company_number(c.text, "party.company_number"), c.text, c.code,
                   "party.company_number", c.fragment);
}

// --- siren_of / vat_number -----------------------------------------------------------------------

TEST(IdentifiersSirenOf, TakesTheFirstNineDigits) {
  EXPECT_EQ(siren_of("73282932000074"), "732829320");
  EXPECT_EQ(siren_of("35600000049837"), "356000000");
  EXPECT_THROW((void)siren_of("732829320"), InvariantViolation);
  EXPECT_THROW((void)siren_of("7328293200007A"), InvariantViolation);
  EXPECT_THROW((void)siren_of(""), InvariantViolation);
}

TEST(IdentifiersVat, ComputesTheFrenchKey) {
  // 732829320 % 97 = 43; (12 + 3 * 43) % 97 = 141 % 97 = 44.
  EXPECT_EQ(vat_number("732829320"), "FR44732829320");
  // By hand: 97 * 5588156 = 542051132, so 542051180 % 97 = 48; 12 + 3 * 48 = 156;
  // 156 % 97 = 59 -> FR59542051180 (TotalEnergies SE's published VAT number).
  EXPECT_EQ(vat_number("542051180"), "FR59542051180");
  // 356000000 % 97 = 9; 12 + 27 = 39: the key is zero-padded only when below 10.
  EXPECT_EQ(vat_number("356000000"), "FR39356000000");
  // 801568296 % 97 = 66; (12 + 198) % 97 = 210 % 97 = 16.
  EXPECT_EQ(vat_number("801568296"), "FR16801568296");
  EXPECT_THROW((void)vat_number("801568297"), InvariantViolation);  // Luhn fails
  EXPECT_THROW((void)vat_number("12345678"), InvariantViolation);
  EXPECT_THROW((void)vat_number("73282932000074"), InvariantViolation);
}

TEST(IdentifiersVat, KeyIsZeroPadded) {
  // Find a valid SIREN whose key is below 10 and check the padding: 000000000 + n.
  bool found = false;
  for (int n = 1; n < 100000 && !found; ++n) {
    std::string s = std::to_string(n);
    s = std::string(9 - s.size(), '0') + s;
    if (!luhn_valid(s)) continue;
    int rest = n % 97;
    int key = (12 + 3 * rest) % 97;
    if (key >= 10) continue;
    found = true;
    EXPECT_EQ(vat_number(s), "FR0" + std::to_string(key) + s);
  }
  EXPECT_TRUE(found);
}

// --- RNA -----------------------------------------------------------------------------------------

TEST(IdentifiersRna, AcceptsWAndNineDigits) {
  const Accepted cases[] = {
      {"W751234567", "W751234567", ""},
      {"w751234567", "W751234567", "lower-case w"},
      {"  W931002345 ", "W931002345", "trimmed"},
  };
  for (const auto& c : cases)
    expect_accepted(rna(c.text, "association.rna"), c.text, c.expected);
}

TEST(IdentifiersRna, RefusesOtherShapes) {
  const Refused cases[] = {
      {"W12345678", "rna.format", "Le numéro RNA « W12345678 » est invalide"},
      {"X123456789", "rna.format", "W suivi de 9 chiffres"},
      {"W75123456A", "rna.format", "W suivi de 9 chiffres"},
      {"W7512345678", "rna.format", "W suivi de 9 chiffres"},
      {"751234567", "rna.format", "W suivi de 9 chiffres"},
      {"W 751234567", "rna.format", "W suivi de 9 chiffres"},
      {"", "rna.format", "Le numéro RNA est vide"},
  };
  for (const auto& c : cases)
    expect_refused(rna(c.text, "association.rna"), c.text, c.code, "association.rna", c.fragment);
}

// --- NAF -----------------------------------------------------------------------------------------

TEST(IdentifiersNaf, NormalisesToDottedUpperCase) {
  const Accepted cases[] = {
      {"68.20B", "68.20B", ""}, {"6820B", "68.20B", ""},    {"68.20b", "68.20B", ""},
      {"68 20B", "68.20B", ""}, {" 68.20B ", "68.20B", ""}, {"01.11Z", "01.11Z", ""},
      {"9499z", "94.99Z", ""},
  };
  for (const auto& c : cases)
    expect_accepted(naf(c.text, "party.naf"), c.text, c.expected);
}

TEST(IdentifiersNaf, RefusesOtherShapes) {
  const Refused cases[] = {
      {"682B", "naf.format", "Le code NAF « 682B » est invalide"},
      {"68.2OB", "naf.format", "deux chiffres, un point, deux chiffres et une lettre"},
      {"", "naf.format", "Le code NAF est vide"},
      {"68-20B", "naf.format", "NAF rév. 2"},
      {"68.20", "naf.format", "NAF rév. 2"},
      {"68.20BB", "naf.format", "NAF rév. 2"},
      {"68..20B", "naf.format", "NAF rév. 2"},
      {"68.201", "naf.format", "NAF rév. 2"},
  };
  for (const auto& c : cases)
    expect_refused(naf(c.text, "party.naf"), c.text, c.code, "party.naf", c.fragment);
}

// --- Départements --------------------------------------------------------------------------------

TEST(IdentifiersDepartement, AcceptsEveryRangeAtItsBoundaries) {
  const Accepted cases[] = {
      {"01", "01", ""},   {"1", "01", "padded"},     {"9", "09", "padded"}, {"19", "19", ""},
      {"2A", "2A", ""},   {"2a", "2A", ""},          {"2B", "2B", ""},      {"2b", "2B", ""},
      {"21", "21", ""},   {"93", "93", ""},          {"95", "95", ""},      {"971", "971", ""},
      {"976", "976", ""}, {"978", "978", ""},        {"984", "984", ""},    {"986", "986", ""},
      {"989", "989", ""}, {" 93 ", "93", "trimmed"},
  };
  for (const auto& c : cases)
    expect_accepted(departement(c.text, "project.departement"), c.text, c.expected);
}

TEST(IdentifiersDepartement, RefusesUnknownAndMalformed) {
  const Refused cases[] = {
      {"20", "departement.unknown", "2A (Corse-du-Sud) et 2B (Haute-Corse)"},
      {"00", "departement.unknown", "Le département « 00 » n'existe pas"},
      {"0", "departement.unknown", "n'existe pas"},
      {"96", "departement.unknown", "n'existe pas"},
      {"970", "departement.unknown", "n'existe pas"},
      {"979", "departement.unknown", "n'existe pas"},
      {"985", "departement.unknown", "n'existe pas"},
      {"990", "departement.unknown", "n'existe pas"},
      {"2C", "departement.unknown", "n'existe pas"},
      {"A1", "departement.format", "Le département « A1 » est mal écrit"},
      {"1234", "departement.format", "mal écrit"},
      {"", "departement.format", "Le département est vide"},
  };
  for (const auto& c : cases)
    expect_refused(departement(c.text, "project.departement"), c.text, c.code,
                   "project.departement", c.fragment);
}

// --- INSEE commune codes -------------------------------------------------------------------------

TEST(IdentifiersInsee, AcceptsMetropolitanCorsicanAndOverseasCodes) {
  const Accepted cases[] = {
      {"93047", "93047", "Montfermeil"},
      {"93048", "93048", "Montreuil"},
      {"78165", "78165", "Les Clayes-sous-Bois"},
      {"94058", "94058", "Le Perreux-sur-Marne"},
      {"92046", "92046", "Malakoff"},
      {"75056", "75056", "Paris"},
      {"75101", "75101", "Paris 1er arrondissement"},
      {"01001", "01001", "L'Abergement-Clémenciat"},
      {"2A004", "2A004", "Ajaccio"},
      {"2b033", "2B033", "Bastia, lower case"},
      {"97101", "97101", "Les Abymes"},
      {"97611", "97611", "Mamoudzou"},
      {"98735", "98735", "Papeete"},
      {" 93047 ", "93047", "trimmed"},
  };
  for (const auto& c : cases)
    expect_accepted(insee_commune(c.text, "project.commune"), c.text, c.expected);
}

TEST(IdentifiersInsee, RefusesMalformedCodesAndUnknownDepartements) {
  const Refused cases[] = {
      {"20004", "insee.departement", "2A (Corse-du-Sud) et 2B (Haute-Corse)"},
      {"96001", "insee.departement", "le département « 96 » n'existe pas"},
      {"00001", "insee.departement", "le département « 00 » n'existe pas"},
      {"97901", "insee.departement", "le département « 979 » n'existe pas"},
      {"98501", "insee.departement", "le département « 985 » n'existe pas"},
      {"2C004", "insee.departement", "le département « 2C » n'existe pas"},
      {"9310", "insee.format", "il doit comporter 5 caractères"},
      {"930470", "insee.format", "il doit comporter 5 caractères"},
      {"93000", "insee.format", "le numéro de commune 000 n'existe pas"},
      {"2A000", "insee.format", "000"},
      {"A1004", "insee.format", "5 caractères"},
      {"9304A", "insee.format", "5 caractères"},
      {"", "insee.format", "Le code INSEE de la commune est vide"},
  };
  for (const auto& c : cases)
    expect_refused(insee_commune(c.text, "project.commune"), c.text, c.code, "project.commune",
                   c.fragment);
}

// --- Postal codes --------------------------------------------------------------------------------

TEST(IdentifiersPostalCode, AcceptsFiveDigits) {
  const Accepted cases[] = {
      {"93370", "93370", "Montfermeil"}, {"78340", "78340", "Les Clayes-sous-Bois"},
      {"94170", "94170", "Le Perreux"},  {"92240", "92240", "Malakoff"},
      {"20000", "20000", "Ajaccio"},     {"97133", "97133", "Saint-Barthélemy"},
      {"98000", "98000", "Monaco"},      {"01000", "01000", "Bourg-en-Bresse"},
      {" 93370 ", "93370", "trimmed"},
  };
  for (const auto& c : cases)
    expect_accepted(postal_code(c.text, "party.address.postal_code"), c.text, c.expected);
}

TEST(IdentifiersPostalCode, RefusesOtherShapes) {
  const Refused cases[] = {
      {"9337", "postal_code.format", "Le code postal « 9337 » est invalide"},
      {"933700", "postal_code.format", "exactement 5 chiffres"},
      {"0000A", "postal_code.format", "exactement 5 chiffres"},
      {"00000", "postal_code.format", "aucun code postal ne commence par 00"},
      {"00100", "postal_code.format", "aucun code postal ne commence par 00"},
      {"", "postal_code.format", "Le code postal est vide"},
  };
  for (const auto& c : cases)
    expect_refused(postal_code(c.text, "party.address.postal_code"), c.text, c.code,
                   "party.address.postal_code", c.fragment);
}

}  // namespace
}  // namespace octroi::ids
