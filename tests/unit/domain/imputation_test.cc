#include "domain/budget/imputation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/text.h"

namespace octroi {
namespace {

const std::string kField = "schemes[0].budget_imputation";

// ---------------------------------------------------------------------------------------------
// Imputation::parse, accepted inputs

struct AcceptedCase {
  const char* why;
  const char* text;
  Nomenclature nomenclature;
  const char* chapter;
  const char* function;
  const char* nature;
  const char* programme;
  const char* free_code;
  BudgetSection section;
  const char* printed;  // str()
};

const std::vector<AcceptedCase> kAccepted = {
    {"seed: scheme 00001176 (cheque numerique volet 2), annex 1", "936-632-657341-163003-400",
     Nomenclature::M57, "936", "632", "657341", "163003", "400", BudgetSection::Operating,
     "936-632-657341-163003-400"},
    // Function 56 starts with 5, the last digit of chapter 905: the M57 function rule holds.
    // Nature 20421 (class 2) on an investment chapter: the M57 nature rule holds too.
    {"seed: dossier EX065392 (tiers-lieu Casaco), annex 2, read as M57", "905-56-20421-156001-400",
     Nomenclature::M57, "905", "56", "20421", "156001", "400", BudgetSection::Investment,
     "905-56-20421-156001-400"},
    {"seed: dossier EX065392, read as M71 (the 2022 dossier's nomenclature)",
     "905-56-20421-156001-400", Nomenclature::M71, "905", "56", "20421", "156001", "400",
     BudgetSection::Investment, "905-56-20421-156001-400"},
    {"seed: article 1, chapter and function only", "936-62", Nomenclature::M57, "936", "62", "", "",
     "", BudgetSection::Operating, "936-62"},
    {"seed: article 2, chapter and function only", "936-63", Nomenclature::M57, "936", "63", "", "",
     "", BudgetSection::Operating, "936-63"},
    {"seed: article 3, chapter and function only", "936-61", Nomenclature::M57, "936", "61", "", "",
     "", BudgetSection::Operating, "936-61"},
    {"spaces around parts are trimmed", "  936 - 632 -\t657341 - 163003 - 400 ", Nomenclature::M57,
     "936", "632", "657341", "163003", "400", BudgetSection::Operating,
     "936-632-657341-163003-400"},
    {"nature only", "936-632-657341", Nomenclature::M57, "936", "632", "657341", "", "",
     BudgetSection::Operating, "936-632-657341"},
    {"no free code", "905-56-20421-156001", Nomenclature::M57, "905", "56", "20421", "156001", "",
     BudgetSection::Investment, "905-56-20421-156001"},
    {"empty middle part: unknown nature, known programme", "936-62--162001", Nomenclature::M57,
     "936", "62", "", "162001", "", BudgetSection::Operating, "936-62--162001"},
    {"empty middle parts: unknown nature and programme, known free code", "936-632---400",
     Nomenclature::M57, "936", "632", "", "", "400", BudgetSection::Operating, "936-632---400"},
    {"shortest nature (3 digits)", "936-632-657", Nomenclature::M57, "936", "632", "657", "", "",
     BudgetSection::Operating, "936-632-657"},
    {"one-digit function, lowest investment chapter", "900-0", Nomenclature::M57, "900", "0", "",
     "", "", BudgetSection::Investment, "900-0"},
    {"four-digit function, lowest operating chapter", "930-0202", Nomenclature::M57, "930", "0202",
     "", "", "", BudgetSection::Operating, "930-0202"},
    {"highest investment chapter", "909-90", Nomenclature::M57, "909", "90", "", "", "",
     BudgetSection::Investment, "909-90"},
    // The seed's agency annex: "chapitre 939 « Action économique »" (M71). Function 91 starts
    // with 9, the chapter's last digit, so M57 accepts it as well.
    {"chapter 939 function 91 in M71", "939-91", Nomenclature::M71, "939", "91", "", "", "",
     BudgetSection::Operating, "939-91"},
    {"chapter 939 function 91 in M57", "939-91", Nomenclature::M57, "939", "91", "", "", "",
     BudgetSection::Operating, "939-91"},
    // M57 vs M71: the function rule is checked only in M57 (see the M57 refusal below).
    {"M71 does not tie the function to the chapter", "936-56", Nomenclature::M71, "936", "56", "",
     "", "", BudgetSection::Operating, "936-56"},
    // M57 vs M71: the nature class rule is checked only in M57 (see the M57 refusal below).
    {"M71 does not tie the nature class to the section", "936-632-20421", Nomenclature::M71, "936",
     "632", "20421", "", "", BudgetSection::Operating, "936-632-20421"},
};

TEST(ImputationParse, AcceptsAndSplitsIntoParts) {
  for (const auto& c : kAccepted) {
    SCOPED_TRACE(std::string(c.why) + ": \"" + c.text + "\" " +
                 std::string(to_string(c.nomenclature)));
    const auto r = Imputation::parse(c.text, kField, c.nomenclature);
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
    EXPECT_EQ(r->chapter, c.chapter);
    EXPECT_EQ(r->function, c.function);
    EXPECT_EQ(r->nature, c.nature);
    EXPECT_EQ(r->programme, c.programme);
    EXPECT_EQ(r->free_code, c.free_code);
    EXPECT_EQ(r->nomenclature, c.nomenclature);
    EXPECT_EQ(r->section(), c.section);
    EXPECT_EQ(r->str(), c.printed);
  }
}

TEST(ImputationParse, StrRoundTrips) {
  for (const auto& c : kAccepted) {
    SCOPED_TRACE(c.text);
    const auto first = Imputation::parse(c.text, kField, c.nomenclature);
    ASSERT_TRUE(first.ok()) << first.refusal().describe();
    const auto again = Imputation::parse(first->str(), kField, c.nomenclature);
    ASSERT_TRUE(again.ok()) << again.refusal().describe();
    EXPECT_EQ(again.value(), first.value());
    EXPECT_EQ(again->str(), first->str());
  }
}

TEST(ImputationParse, DefaultsToM57) {
  const auto r = Imputation::parse("936-632-657341-163003-400", kField);
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r->nomenclature, Nomenclature::M57);
  EXPECT_FALSE(Imputation::parse("936-56", kField).ok());
}

TEST(ImputationParse, SameTextInTwoNomenclaturesIsTwoValues) {
  const auto m57 = Imputation::parse("905-56-20421-156001-400", kField, Nomenclature::M57);
  const auto m71 = Imputation::parse("905-56-20421-156001-400", kField, Nomenclature::M71);
  ASSERT_TRUE(m57.ok() && m71.ok());
  EXPECT_NE(m57.value(), m71.value());
  EXPECT_EQ(m57->str(), m71->str());
}

// ---------------------------------------------------------------------------------------------
// Imputation::str of hand-built values

struct PrintedCase {
  Imputation imputation;
  const char* printed;
};

TEST(ImputationStr, OmitsTrailingUnknownPartsOnly) {
  const std::vector<PrintedCase> cases = {
      {{"936", "62", "", "", "", Nomenclature::M57}, "936-62"},
      {{"936", "632", "657341", "", "", Nomenclature::M57}, "936-632-657341"},
      {{"936", "62", "", "162001", "", Nomenclature::M57}, "936-62--162001"},
      {{"936", "632", "657341", "", "400", Nomenclature::M57}, "936-632-657341--400"},
      {{"936", "632", "657341", "163003", "400", Nomenclature::M57}, "936-632-657341-163003-400"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.printed);
    EXPECT_EQ(c.imputation.str(), c.printed);
    const auto back = Imputation::parse(c.imputation.str(), kField, c.imputation.nomenclature);
    ASSERT_TRUE(back.ok()) << back.refusal().describe();
    EXPECT_EQ(back.value(), c.imputation);
  }
}

TEST(ImputationSection, OfAnUnparsedValueIsAProgrammerError) {
  EXPECT_THROW(static_cast<void>(Imputation{}.section()), InvariantViolation);
}

// ---------------------------------------------------------------------------------------------
// Imputation::parse, refusals

struct RefusedCase {
  const char* text;
  Nomenclature nomenclature;
  const char* code;
  const char* mentions;  // a piece of the message naming what is wrong
};

const std::vector<RefusedCase> kRefused = {
    {"", Nomenclature::M57, "imputation.empty", "vide"},
    {"  \t ", Nomenclature::M57, "imputation.empty", "vide"},
    {"936", Nomenclature::M57, "imputation.format", "1 partie au lieu de 2 à 5"},
    {"936-632-657341-163003-400-1", Nomenclature::M57, "imputation.format",
     "6 parties au lieu de 2 à 5"},
    {"936--", Nomenclature::M57, "imputation.format", "la fonction est manquante"},
    {"-632", Nomenclature::M57, "imputation.format", "le chapitre est manquant"},
    {"936-632-", Nomenclature::M57, "imputation.format", "se termine par un tiret"},
    {"936-632-657341--", Nomenclature::M57, "imputation.format", "se termine par un tiret"},
    {"936-632-65734A", Nomenclature::M57, "imputation.format",
     "la nature « 65734A » ne doit comporter que des chiffres (3 à 6)"},
    {"93a-632", Nomenclature::M57, "imputation.format", "le chapitre « 93a »"},
    {"936-6 32", Nomenclature::M57, "imputation.format", "la fonction « 6 32 »"},
    {"936-632-657341-16300x", Nomenclature::M57, "imputation.format", "le programme « 16300x »"},
    {"936-632-657341-163003-4OO", Nomenclature::M57, "imputation.format", "le code libre « 4OO »"},
    {"936 632", Nomenclature::M57, "imputation.format", "1 partie"},
    {"936\xE2\x80\x93"
     "632",
     Nomenclature::M57, "imputation.format",  // en dash, not a hyphen
     "1 partie"},
    {"936-632-657341-163003-1234567", Nomenclature::M57, "imputation.format",
     "le code libre « 1234567 » doit comporter 1 à 6 chiffres"},
    {"93-632", Nomenclature::M57, "imputation.chapter", "le chapitre « 93 »"},
    {"9366-632", Nomenclature::M57, "imputation.chapter", "le chapitre « 9366 »"},
    {"916-632", Nomenclature::M57, "imputation.chapter", "900 à 909 (investissement)"},
    {"916-632", Nomenclature::M71, "imputation.chapter", "930 à 939 (fonctionnement)"},
    {"940-632", Nomenclature::M57, "imputation.chapter", "le chapitre « 940 »"},
    {"836-632", Nomenclature::M57, "imputation.chapter", "le chapitre « 836 »"},
    {"936-56", Nomenclature::M57, "imputation.function", "doit commencer par 6"},
    {"905-632", Nomenclature::M57, "imputation.function", "doit commencer par 5"},
    {"936-63201", Nomenclature::M57, "imputation.function", "1 à 4 chiffres"},
    {"936-63201", Nomenclature::M71, "imputation.function", "1 à 4 chiffres"},
    {"936-632-65", Nomenclature::M57, "imputation.nature", "la nature « 65 »"},
    {"936-632-6573410", Nomenclature::M57, "imputation.nature", "3 à 6 chiffres"},
    {"936-632-6573410", Nomenclature::M71, "imputation.nature", "3 à 6 chiffres"},
    {"936-632-20421", Nomenclature::M57, "imputation.nature",
     "la nature doit commencer par 6 (compte de charges), pas « 20421 »"},
    {"905-56-657341", Nomenclature::M57, "imputation.nature", "doit commencer par 2"},
    {"936-632-657341-63003", Nomenclature::M57, "imputation.programme", "« 63003 »"},
    {"936-632-657341-1630030", Nomenclature::M57, "imputation.programme", "« 1630030 »"},
    {"936-632-657341-263003", Nomenclature::M57, "imputation.programme", "commencer par 1"},
    {"936-632-657341-263003", Nomenclature::M71, "imputation.programme", "commencer par 1"},
};

TEST(ImputationParse, RefusesWithCodeFieldAndMessage) {
  for (const auto& c : kRefused) {
    SCOPED_TRACE(std::string("\"") + c.text + "\" " + std::string(to_string(c.nomenclature)));
    const auto r = Imputation::parse(c.text, kField, c.nomenclature);
    ASSERT_FALSE(r.ok()) << r->str();
    ASSERT_EQ(r.refusal().problems.size(), 1u) << r.refusal().describe();
    const Problem& p = r.refusal().first();
    EXPECT_EQ(p.code, c.code) << p.message;
    EXPECT_EQ(p.field, kField);
    EXPECT_NE(p.message.find(c.mentions), std::string::npos) << p.message;
  }
}

TEST(ImputationParse, MessageQuotesTheWholeImputation) {
  const auto r = Imputation::parse(" 936-632-65734A ", "budget_imputation");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().field, "budget_imputation");
  EXPECT_EQ(r.refusal().first().message,
            "Imputation invalide « 936-632-65734A » : la nature « 65734A » ne doit comporter que "
            "des chiffres (3 à 6).");
}

TEST(ImputationParse, LongInputIsCutInMessagesOnACodePointBoundary) {
  // "936-" and 55 digits fill 59 bytes; the 2-byte "é" straddles the 60-byte cut.
  const std::string text = "936-" + std::string(55, '1') + "\xC3\xA9" + std::string(100, '2');
  const auto r = Imputation::parse(text, kField);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "imputation.format");
  const std::string& m = r.refusal().first().message;
  EXPECT_NE(m.find("« 936-" + std::string(55, '1') + "… »"), std::string::npos) << m;
  EXPECT_TRUE(text::is_valid_utf8(m)) << m;
  EXPECT_LT(m.size(), 300u) << m;
}

// ---------------------------------------------------------------------------------------------
// Nomenclature names

TEST(ImputationNomenclature, NamesRoundTrip) {
  for (Nomenclature n : {Nomenclature::M57, Nomenclature::M71}) {
    Nomenclature parsed = n == Nomenclature::M57 ? Nomenclature::M71 : Nomenclature::M57;
    ASSERT_TRUE(parse_nomenclature(to_string(n), parsed)) << to_string(n);
    EXPECT_EQ(parsed, n);
  }
  EXPECT_EQ(to_string(Nomenclature::M57), "M57");
  EXPECT_EQ(to_string(Nomenclature::M71), "M71");
}

TEST(ImputationNomenclature, UnknownNamesAreRefusedAndLeaveTheOutputAlone) {
  for (const char* name : {"", "m57", "M14", "M57 ", "M 57", "M52"}) {
    Nomenclature out = Nomenclature::M71;
    EXPECT_FALSE(parse_nomenclature(name, out)) << name;
    EXPECT_EQ(out, Nomenclature::M71) << name;
  }
}

// ---------------------------------------------------------------------------------------------
// parse_action_code

struct ActionCase {
  const char* text;
  const char* programme;
  const char* expected;  // the accepted code, or nullptr when refused
  const char* mentions;  // when refused: a piece of the message
};

const std::vector<ActionCase> kActions = {
    // The seed's four actions, with their programme (articles 1 to 4)…
    {"16200102", "162001", "16200102", nullptr},
    {"16300302", "163003", "16300302", nullptr},
    {"16100107", "161001", "16100107", nullptr},
    {"15600105", "156001", "15600105", nullptr},
    // …and with the programme unknown.
    {"16200102", "", "16200102", nullptr},
    {"16300302", "", "16300302", nullptr},
    {"16100107", "", "16100107", nullptr},
    {"15600105", "", "15600105", nullptr},
    {" 16300302\t", "163003", "16300302", nullptr},
    // Under another programme.
    {"16300302", "162001", nullptr, "« 16300302 » ne relève pas du programme « 162001 »"},
    {"16200102", "163003", nullptr, "doit commencer par 163003"},
    {"15600105", "163003", nullptr, "« 163003 »"},
    {"16100107", "156001", nullptr, "« 156001 »"},
    // Not 8 digits.
    {"", "", nullptr, "vide"},
    {"   ", "163003", nullptr, "vide"},
    {"1630030", "", nullptr, "exactement 8 chiffres"},
    {"163003021", "163003", nullptr, "exactement 8 chiffres"},
    {"1630030A", "", nullptr, "« 1630030A »"},
    {"163003 02", "163003", nullptr, "exactement 8 chiffres"},
    {"16300302- Soutien à l'artisanat et aux TPE", "163003", nullptr, "exactement 8 chiffres"},
};

TEST(ActionCode, AcceptsOrRefuses) {
  const std::string field = "budget_action";
  for (const auto& c : kActions) {
    SCOPED_TRACE(std::string("\"") + c.text + "\" programme \"" + c.programme + "\"");
    const auto r = parse_action_code(c.text, c.programme, field);
    if (c.expected) {
      ASSERT_TRUE(r.ok()) << r.refusal().describe();
      EXPECT_EQ(r.value(), c.expected);
    } else {
      ASSERT_FALSE(r.ok()) << r.value();
      ASSERT_EQ(r.refusal().problems.size(), 1u);
      const Problem& p = r.refusal().first();
      EXPECT_EQ(p.code, "budget.action");
      EXPECT_EQ(p.field, field);
      EXPECT_NE(p.message.find(c.mentions), std::string::npos) << p.message;
    }
  }
}

TEST(ActionCode, ExtendsTheProgrammeOfTheSeedsImputations) {
  struct Pair {
    const char* imputation;
    const char* action;
  };
  for (const Pair& pair : {Pair{"936-632-657341-163003-400", "16300302"},
                           Pair{"905-56-20421-156001-400", "15600105"}}) {
    SCOPED_TRACE(pair.imputation);
    const auto imp = Imputation::parse(pair.imputation, "budget_imputation");
    ASSERT_TRUE(imp.ok()) << imp.refusal().describe();
    const auto action = parse_action_code(pair.action, imp->programme, "budget_action");
    ASSERT_TRUE(action.ok()) << action.refusal().describe();
    EXPECT_EQ(action.value(), pair.action);
  }
  const auto scheme = Imputation::parse("936-632-657341-163003-400", "budget_imputation");
  ASSERT_TRUE(scheme.ok());
  EXPECT_FALSE(parse_action_code("15600105", scheme->programme, "budget_action").ok());
}

// The labels a deliberation prints after the codes, as the seed prints them for its three
// imputations ("chapitre 936 « Action économique », code fonctionnel 62 « Structure d’animation et
// de développement économique »"); none for an M71 imputation, whose codes mean other things.
TEST(Imputation, PrintsTheM57LabelsOfChapterAndFunction) {
  EXPECT_EQ(m57_chapter_label("936"), "Action économique");
  EXPECT_EQ(m57_chapter_label("906"), "Action économique");
  EXPECT_EQ(m57_chapter_label("933"), "Culture, vie sociale, jeunesse, sports et loisirs");
  EXPECT_EQ(m57_chapter_label("946"), "");
  EXPECT_EQ(m57_chapter_label("93"), "");
  EXPECT_EQ(m57_function_label("63"), "Actions sectorielles");
  EXPECT_EQ(m57_function_label("632"), "Industrie, commerce et artisanat");
  EXPECT_EQ(m57_function_label("6"), "Action économique");
  EXPECT_EQ(m57_function_label("56"), "");  // not in the reference's table
  struct Case {
    const char* imputation;
    const char* phrase;
  };
  for (const Case& c :
       {Case{"936-62",
             "chapitre 936 « Action économique », code fonctionnel 62 « Structure "
             "d’animation et de développement économique »"},
        Case{"936-632-657341-163003-400",
             "chapitre 936 « Action économique », code fonctionnel 63 « Actions sectorielles »"},
        Case{"936-61",
             "chapitre 936 « Action économique », code fonctionnel 61 « Interventions "
             "économiques transversales »"},
        Case{"905-56-20421-156001-400",
             "chapitre 905 « Aménagement des territoires et habitat », code fonctionnel 56"}}) {
    const auto imp = Imputation::parse(c.imputation, "imputation");
    ASSERT_TRUE(imp.ok()) << c.imputation;
    EXPECT_EQ(imputation_phrase_head(imp.value()), c.phrase);
  }
  const auto m71 = Imputation::parse("936-63", "imputation", Nomenclature::M71);
  ASSERT_TRUE(m71.ok());
  EXPECT_EQ(imputation_phrase_head(m71.value()), "chapitre 936, code fonctionnel 63");
}

}  // namespace
}  // namespace octroi
