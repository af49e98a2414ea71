#include "domain/budget/imputation.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>
#include <vector>

#include "domain/text.h"

namespace octroi {

namespace {

// The five parts of an imputation, in printed order.
enum Part : std::size_t { kChapter, kFunction, kNature, kProgramme, kFreeCode, kPartCount };

struct PartSpec {
  const char* name;      // French, with its article: "la nature"
  const char* expected;  // French, the digits it must have: "3 à 6"
};

constexpr std::array<PartSpec, kPartCount> kParts{{
    {"le chapitre", "3"},
    {"la fonction", "1 à 4"},
    {"la nature", "3 à 6"},
    {"le programme", "6"},
    {"le code libre", "1 à 6"},
}};

// Longest input echoed back in a message, in bytes (cut on a code point boundary).
constexpr std::size_t kShownMax = 60;

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool length_between(std::string_view s, std::size_t min, std::size_t max) {
  return s.size() >= min && s.size() <= max;
}

// The text as shown in a message: long inputs are cut, never in the middle of a UTF-8 sequence.
std::string shown(std::string_view text) {
  if (text.size() <= kShownMax) return std::string(text);
  std::size_t n = kShownMax;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
    --n;
  return std::string(text.substr(0, n)) + "…";
}

Refusal invalid(const char* code, const std::string& field, std::string_view text,
                const std::string& detail) {
  return refuse(code, field, "Imputation invalide « " + shown(text) + " » : " + detail + ".");
}

// Splits on '-' and trims each part; empty parts are kept (they are checked by the caller).
std::vector<std::string> split_parts(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = text.find('-', start);
    if (dash == std::string_view::npos) {
      parts.push_back(text::trim(text.substr(start)));
      return parts;
    }
    parts.push_back(text::trim(text.substr(start, dash - start)));
    start = dash + 1;
  }
}

}  // namespace

std::string_view to_string(Nomenclature n) {
  return kNomenclatureNames.code(n);
}

bool parse_nomenclature(std::string_view s, Nomenclature& out) {
  return kNomenclatureNames.parse(s, out);
}

// Empty middle parts ("936-62--162001") are accepted as unknown nature / programme, so that
// str() of any parsed value parses back to the same value. A trailing dash ("936-632-") is
// refused: str() never prints one, and it more likely marks a truncated input.
Result<Imputation> Imputation::parse(std::string_view text, const std::string& field,
                                     Nomenclature n) {
  const std::string whole = text::trim(text);
  if (whole.empty())
    return refuse("imputation.empty", field,
                  "L'imputation budgétaire est vide : elle comporte au moins un chapitre et une "
                  "fonction (par exemple 936-632 ou 936-632-657341-163003-400).");

  const std::vector<std::string> parts = split_parts(whole);
  if (parts.size() < 2 || parts.size() > kPartCount)
    return invalid("imputation.format", field, whole,
                   "elle comporte " + std::to_string(parts.size()) +
                       (parts.size() < 2 ? " partie" : " parties") +
                       " au lieu de 2 à 5 séparées par des tirets "
                       "(chapitre-fonction-nature-programme-code libre)");
  for (std::size_t i : {kChapter, kFunction})
    if (parts[i].empty())
      return invalid("imputation.format", field, whole,
                     std::string(kParts[i].name) + " est manquant" + (i == kFunction ? "e" : ""));
  if (parts.back().empty())
    return invalid("imputation.format", field, whole,
                   "elle se termine par un tiret (omettez les parties inconnues en fin "
                   "d'imputation)");
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!all_digits(parts[i]))
      return invalid("imputation.format", field, whole,
                     std::string(kParts[i].name) + " « " + shown(parts[i]) +
                         " » ne doit comporter que des chiffres (" + kParts[i].expected + ")");

  Imputation imp;
  imp.nomenclature = n;
  imp.chapter = parts[kChapter];
  imp.function = parts[kFunction];
  if (parts.size() > kNature) imp.nature = parts[kNature];
  if (parts.size() > kProgramme) imp.programme = parts[kProgramme];
  if (parts.size() > kFreeCode) imp.free_code = parts[kFreeCode];

  const std::string& ch = imp.chapter;
  if (ch.size() != 3 || ch[0] != '9' || (ch[1] != '0' && ch[1] != '3'))
    return invalid("imputation.chapter", field, whole,
                   "le chapitre « " + shown(ch) +
                       " » doit être un chapitre fonctionnel de 3 chiffres : 900 à 909 "
                       "(investissement) ou 930 à 939 (fonctionnement)");
  const bool operating = ch[1] == '3';

  const std::string& fn = imp.function;
  if (!length_between(fn, 1, 4))
    return invalid("imputation.function", field, whole,
                   "la fonction « " + shown(fn) + " » doit comporter 1 à 4 chiffres");
  if (n == Nomenclature::M57 && fn[0] != ch[2])
    return invalid("imputation.function", field, whole,
                   "en nomenclature M57, la fonction « " + fn + " » n'appartient pas au chapitre " +
                       ch + " : elle doit commencer par " + ch[2] +
                       ", le dernier chiffre du chapitre");

  const std::string& nat = imp.nature;
  if (!nat.empty()) {
    if (!length_between(nat, 3, 6))
      return invalid("imputation.nature", field, whole,
                     "la nature « " + shown(nat) + " » doit comporter 3 à 6 chiffres");
    const char expected_class = operating ? '6' : '2';
    if (n == Nomenclature::M57 && nat[0] != expected_class)
      return invalid("imputation.nature", field, whole,
                     std::string("en nomenclature M57, le chapitre ") + ch + " est " +
                         (operating ? "de fonctionnement" : "d'investissement") +
                         " : la nature doit commencer par " + expected_class + " (compte de " +
                         (operating ? "charges" : "subventions d'équipement ou d'immobilisations") +
                         "), pas « " + nat + " »");
  }

  const std::string& prog = imp.programme;
  if (!prog.empty() && (prog.size() != 6 || prog[0] != '1'))
    return invalid("imputation.programme", field, whole,
                   "le programme « " + shown(prog) +
                       " » doit comporter exactement 6 chiffres et commencer par 1 (par exemple "
                       "163003)");

  if (!imp.free_code.empty() && !length_between(imp.free_code, 1, 6))
    return invalid("imputation.format", field, whole,
                   "le code libre « " + shown(imp.free_code) + " » doit comporter 1 à 6 chiffres");

  return imp;
}

std::string Imputation::str() const {
  std::string out = chapter + '-' + function;
  const std::array<const std::string*, 3> optional_parts{&nature, &programme, &free_code};
  std::size_t shown_parts = optional_parts.size();
  while (shown_parts > 0 && optional_parts[shown_parts - 1]->empty())
    --shown_parts;
  for (std::size_t i = 0; i < shown_parts; ++i) {
    out += '-';
    out += *optional_parts[i];
  }
  return out;
}

BudgetSection Imputation::section() const {
  OCTROI_CHECK(chapter.size() == 3 && chapter[0] == '9' && (chapter[1] == '0' || chapter[1] == '3'),
               "section() of an imputation whose chapter is not 90x or 93x");
  return chapter[1] == '3' ? BudgetSection::Operating : BudgetSection::Investment;
}

Result<std::string> parse_action_code(std::string_view text, const std::string& programme,
                                      const std::string& field) {
  std::string code = text::trim(text);
  if (code.empty())
    return refuse("budget.action", field,
                  "Le code d'action est vide : il comporte 8 chiffres, le code du programme "
                  "suivi de 2 chiffres (par exemple 16300302).");
  if (code.size() != 8 || !all_digits(code))
    return refuse("budget.action", field,
                  "Code d'action invalide « " + shown(code) +
                      " » : il doit comporter exactement 8 chiffres, le code du programme suivi "
                      "de 2 chiffres (par exemple 16300302).");
  if (!programme.empty() && code.compare(0, programme.size(), programme) != 0)
    return refuse("budget.action", field,
                  "L'action « " + code + " » ne relève pas du programme « " + shown(programme) +
                      " » : son code doit commencer par " + shown(programme) + ".");
  return code;
}

std::string_view m57_chapter_label(std::string_view chapter) {
  static constexpr std::string_view areas[] = {"Services généraux",
                                               "Sécurité",
                                               "Enseignement, formation professionnelle et "
                                               "apprentissage",
                                               "Culture, vie sociale, jeunesse, sports et loisirs",
                                               "Santé et action sociale",
                                               "Aménagement des territoires et habitat",
                                               "Action économique",
                                               "Environnement",
                                               "Transports",
                                               "Fonction en réserve"};
  if (chapter.size() != 3 || chapter[0] != '9' || (chapter[1] != '0' && chapter[1] != '3') ||
      chapter[2] < '0' || chapter[2] > '9')
    return "";
  return areas[chapter[2] - '0'];
}

std::string_view m57_function_label(std::string_view function) {
  static constexpr std::pair<std::string_view, std::string_view> codes[] = {
      {"60", "Services communs"},
      {"61", "Interventions économiques transversales"},
      {"62", "Structure d’animation et de développement économique"},
      {"63", "Actions sectorielles"},
      {"631", "Agriculture, pêche et agro-industrie"},
      {"632", "Industrie, commerce et artisanat"},
      {"633", "Tourisme"},
      {"64", "Attractivité"},
      {"65", "Insertion économique et économie sociale, solidaire"},
      {"66", "Maintien et développement des services publics"},
      {"67", "Recherche et innovation"},
      {"68", "Autres actions"}};
  for (const auto& [code, label] : codes)
    if (code == function) return label;
  if (function.size() == 1) return m57_chapter_label(std::string("93") + function[0]);
  return "";
}

std::string imputation_phrase_head(const Imputation& i) {
  const std::string function = i.function.substr(0, std::min<std::size_t>(2, i.function.size()));
  std::string out = "chapitre " + i.chapter;
  const bool m57 = i.nomenclature == Nomenclature::M57;
  if (m57 && !m57_chapter_label(i.chapter).empty())
    out += " « " + std::string(m57_chapter_label(i.chapter)) + " »";
  out += ", code fonctionnel " + function;
  if (m57 && !m57_function_label(function).empty())
    out += " « " + std::string(m57_function_label(function)) + " »";
  return out;
}

}  // namespace octroi
