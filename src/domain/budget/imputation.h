// Budget nomenclature: the imputation of a budget line, as Île-de-France prints it.
//
//   936-632-657341-163003-400
//   │   │   │      │      └── free code (meaning unverified; kept as printed)
//   │   │   │      └───────── programme code (163003 for "HP 632-003": the printed label is
//   │   │   │                 not derivable from the code, so labels are stored as data)
//   │   │   └──────────────── nature account (M57 chart: 657341 operating grant, 20421 capital
//   │   │                     grant to private bodies); may be unknown when a deliberation does
//   │   │                     not print it
//   │   └──────────────────── function and sub-function (62, 632, 56)
//   └──────────────────────── chapter: 90x investment (AP), 93x operating (AE)
//
// The action (16300302 "Soutien à l'artisanat et aux TPE") is programme code + 2 digits and is
// the level at which Île-de-France allocates. Each imputation records the nomenclature it
// belongs to (M57 since 2023 in Île-de-France, M71 before), since the same function code means
// different things in each (56 is "littoral" in M57 but ICT in the M71 numbering the seed's 2022
// dossier uses). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/enum_names.h"
#include "core/result.h"
#include "domain/scheme/aid_scheme.h"  // BudgetSection

namespace octroi {

enum class Nomenclature { M57, M71 };
std::string_view to_string(Nomenclature n);  // "M57", "M71"
bool parse_nomenclature(std::string_view s, Nomenclature& out);
inline constexpr auto kNomenclatureNames = name_table<Nomenclature>({
    {Nomenclature::M57, "M57", "nomenclature M57"},
    {Nomenclature::M71, "M71", "nomenclature M71"},
});

struct Imputation {
  std::string chapter;    // "936": 3 digits, 90x or 93x
  std::string function;   // "632": 1 to 4 digits; its first digit is the chapter's last
  std::string nature;     // "657341": 3 to 6 digits, or "" when not known
  std::string programme;  // "163003": 6 digits, or "" when not known
  std::string free_code;  // "400": digits, or ""
  Nomenclature nomenclature = Nomenclature::M57;

  // Parses "936-632-657341-163003-400" (2 to 5 dash-separated parts: chapter and function are
  // required; nature, programme and free code may be absent from the end). Spaces around the
  // parts are ignored. Refusals (field = `field`): "imputation.format" for the shape,
  // "imputation.chapter" for a chapter that is not 90x/93x, "imputation.function" when the
  // function does not belong to the chapter's policy area (M57: first digit of the function =
  // last digit of the chapter), "imputation.nature", "imputation.programme".
  static Result<Imputation> parse(std::string_view text, const std::string& field,
                                  Nomenclature n = Nomenclature::M57);

  // The printed form, parts joined by dashes, trailing unknown parts omitted.
  std::string str() const;
  // 90x -> Investment (AP/CP), 93x -> Operating (AE/CP).
  BudgetSection section() const;

  friend bool operator==(const Imputation&, const Imputation&) = default;
};

// The M57 labels a deliberation prints after the codes: "chapitre 936 « Action économique »,
// code fonctionnel 63 « Actions sectorielles »". Chapter labels: the ten policy areas (90x/93x).
// Function labels: the policy areas (one digit) and the economic-action codes (60 to 68 and 631
// to 633), the only ones the reference gives; "" for a code not in the table, and always "" for
// M71, whose codes mean other things (the printed phrase then gives the code alone).
std::string_view m57_chapter_label(std::string_view chapter);
std::string_view m57_function_label(std::string_view function);
// "chapitre 936 « Action économique », code fonctionnel 63 « Actions sectorielles »": the
// function at the two-digit level the deliberations print, labels where known.
std::string imputation_phrase_head(const Imputation& i);

// An action code: the programme code + 2 digits ("16300302" for programme "163003"). Refuses
// ("budget.action") anything but 8 digits, and, when `programme` is known, an action that does
// not extend it.
Result<std::string> parse_action_code(std::string_view text, const std::string& programme,
                                      const std::string& field);

}  // namespace octroi
