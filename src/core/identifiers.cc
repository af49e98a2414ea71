#include "core/identifiers.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace octroi::ids {
namespace {

constexpr std::string_view kNbsp = "\xC2\xA0";            // U+00A0 NO-BREAK SPACE
constexpr std::string_view kNarrowNbsp = "\xE2\x80\xAF";  // U+202F NARROW NO-BREAK SPACE

// La Poste: its establishments share SIREN 356000000 and their SIRETs do not follow Luhn; only
// the head office keeps a Luhn-valid SIRET.
constexpr std::string_view kLaPostePrefix = "356000000";
constexpr std::string_view kLaPosteHeadOffice = "35600000000048";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_letter(char c) {
  return is_upper(c) || is_lower(c);
}
char to_upper(char c) {
  return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}
int digit_value(char c) {
  return c - '0';
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = to_upper(c);
  return out;
}

// Byte length of a blank (ASCII whitespace, U+00A0, U+202F) starting at `i`, or 0.
std::size_t blank_length(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (s.substr(i, kNbsp.size()) == kNbsp) return kNbsp.size();
  if (s.substr(i, kNarrowNbsp.size()) == kNarrowNbsp) return kNarrowNbsp.size();
  return 0;
}

// Blank length ending just before `end` (exclusive), or 0.
std::size_t trailing_blank_length(std::string_view s, std::size_t end) {
  if (end >= 1) {
    const char c = s[end - 1];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
  }
  if (end >= kNbsp.size() && s.substr(end - kNbsp.size(), kNbsp.size()) == kNbsp)
    return kNbsp.size();
  if (end >= kNarrowNbsp.size() &&
      s.substr(end - kNarrowNbsp.size(), kNarrowNbsp.size()) == kNarrowNbsp)
    return kNarrowNbsp.size();
  return 0;
}

std::string_view trim(std::string_view s) {
  std::size_t n = 0;
  while (!s.empty() && (n = blank_length(s, 0)) > 0)
    s.remove_prefix(n);
  while (!s.empty() && (n = trailing_blank_length(s, s.size())) > 0)
    s.remove_suffix(n);
  return s;
}

std::string quoted(std::string_view s) {
  return "« " + std::string(s) + " »";
}

std::string count_of_digits(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " chiffre" : " chiffres");
}

int digit_sum(std::string_view digits) {
  int sum = 0;
  for (char c : digits)
    sum += digit_value(c);
  return sum;
}

bool is_la_poste_establishment(std::string_view siret14) {
  return siret14.substr(0, kLaPostePrefix.size()) == kLaPostePrefix &&
         siret14 != kLaPosteHeadOffice;
}

// `s` is already trimmed and upper-cased: "01", "2A", "971"…
bool known_departement(std::string_view s) {
  if (s == "2A" || s == "2B") return true;
  if (!all_digits(s)) return false;
  if (s.size() == 2) {
    const int n = digit_value(s[0]) * 10 + digit_value(s[1]);
    return (n >= 1 && n <= 19) || (n >= 21 && n <= 95);
  }
  if (s.size() == 3) {
    const int n = digit_value(s[0]) * 100 + digit_value(s[1]) * 10 + digit_value(s[2]);
    return (n >= 971 && n <= 978) || n == 984 || (n >= 986 && n <= 989);
  }
  return false;
}

const char kCorsicaHint[] =
    "la Corse est divisée en deux départements, 2A (Corse-du-Sud) et 2B (Haute-Corse)";

}  // namespace

std::string normalize_number(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '.') {
      ++i;
    } else if (text.substr(i, kNbsp.size()) == kNbsp) {
      i += kNbsp.size();
    } else if (text.substr(i, kNarrowNbsp.size()) == kNarrowNbsp) {
      i += kNarrowNbsp.size();
    } else {
      out += text[i];
      ++i;
    }
  }
  return out;
}

bool luhn_valid(std::string_view digits) {
  if (!all_digits(digits)) return false;
  int sum = 0;
  bool doubled = false;  // the rightmost digit is not doubled
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = digit_value(*it);
    if (doubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum = (sum + d) % 10;
    doubled = !doubled;
  }
  return sum == 0;
}

Result<std::string> siren(std::string_view text, const std::string& field) {
  const std::string n = normalize_number(text);
  if (n.empty()) return refuse("siren.empty", field, "Le SIREN est obligatoire.");
  if (!all_digits(n))
    return refuse("siren.format", field,
                  "Le SIREN " + quoted(trim(text)) +
                      " est invalide : il ne doit contenir que des chiffres (9 chiffres).");
  if (n.size() != 9) {
    std::string why =
        "il doit comporter exactement 9 chiffres, et non " + count_of_digits(n.size());
    if (n.size() == 14)
      why += " (c'est sans doute un SIRET, dont le SIREN est formé des 9 premiers chiffres)";
    return refuse("siren.format", field, "Le SIREN " + quoted(n) + " est invalide : " + why + ".");
  }
  if (!luhn_valid(n))
    return refuse(
        "siren.luhn", field,
        "Le SIREN " + quoted(n) + " est invalide : la clé de contrôle (Luhn) ne correspond pas.");
  return n;
}

Result<std::string> siret(std::string_view text, const std::string& field) {
  const std::string n = normalize_number(text);
  if (n.empty()) return refuse("siret.empty", field, "Le SIRET est obligatoire.");
  if (all_digits(n) && n.size() == 9) {
    const std::string siren_state =
        luhn_valid(n) ? "Ce SIREN est lui-même valide."
                      : "Ce SIREN n'est d'ailleurs pas valide : sa clé de contrôle (Luhn) ne "
                        "correspond pas.";
    return refuse("siret.is_siren", field,
                  "Le numéro " + quoted(n) +
                      " a 9 chiffres : c'est un SIREN, pas un SIRET (un SIRET a 14 chiffres, le "
                      "SIREN suivi des 5 chiffres du NIC de l'établissement). " +
                      siren_state);
  }
  if (!all_digits(n))
    return refuse("siret.format", field,
                  "Le SIRET " + quoted(trim(text)) +
                      " est invalide : il ne doit contenir que des chiffres (14 chiffres).");
  if (n.size() != 14)
    return refuse("siret.format", field,
                  "Le SIRET " + quoted(n) +
                      " est invalide : il doit comporter exactement 14 chiffres, et non " +
                      count_of_digits(n.size()) + ".");
  if (is_la_poste_establishment(n)) {
    const int sum = digit_sum(n);
    if (sum % 5 == 0) return n;
    return refuse("siret.luhn", field,
                  "Le SIRET " + quoted(n) +
                      " est invalide : pour un établissement de La Poste (SIREN 356000000), la "
                      "somme des chiffres doit être un multiple de 5, or elle vaut " +
                      std::to_string(sum) + ".");
  }
  if (!luhn_valid(n))
    return refuse(
        "siret.luhn", field,
        "Le SIRET " + quoted(n) + " est invalide : la clé de contrôle (Luhn) ne correspond pas.");
  return n;
}

Result<CompanyNumber> classify_company_number(std::string_view text, const std::string& field) {
  const std::string n = normalize_number(text);
  if (n.size() == 9) {
    auto r = siren(n, field);
    if (!r.ok()) return r.refusal();
    return CompanyNumber{CompanyNumberKind::Siren, std::move(r).value()};
  }
  if (n.size() == 14) {
    auto r = siret(n, field);
    if (!r.ok()) return r.refusal();
    return CompanyNumber{CompanyNumberKind::Siret, std::move(r).value()};
  }
  if (n.empty())
    return refuse("company_number.format", field,
                  "Le numéro SIREN ou SIRET est obligatoire : un SIREN a 9 chiffres, un SIRET "
                  "14 chiffres.");
  if (!all_digits(n))
    return refuse("company_number.format", field,
                  "Le numéro " + quoted(trim(text)) +
                      " n'est ni un SIREN ni un SIRET : il ne doit contenir que des chiffres (9 "
                      "pour un SIREN, 14 pour un SIRET).");
  return refuse("company_number.format", field,
                "Le numéro " + quoted(n) + " n'est ni un SIREN (9 chiffres) ni un SIRET (14 " +
                    "chiffres) : il comporte " + count_of_digits(n.size()) + ".");
}

Result<std::string> rna(std::string_view text, const std::string& field) {
  std::string s(trim(text));
  if (!s.empty() && s[0] == 'w') s[0] = 'W';
  if (s.size() == 10 && s[0] == 'W' && all_digits(std::string_view(s).substr(1))) return s;
  const std::string rule = "il doit s'écrire W suivi de 9 chiffres (par exemple W751234567)";
  if (s.empty()) return refuse("rna.format", field, "Le numéro RNA est vide : " + rule + ".");
  return refuse("rna.format", field,
                "Le numéro RNA " + quoted(s) + " est invalide : " + rule + ".");
}

Result<std::string> naf(std::string_view text, const std::string& field) {
  const std::string_view s = trim(text);
  // Accepted shapes: "6820B", "68.20B", "68 20B" (letter in either case).
  std::string_view compact;
  std::string joined;
  if (s.size() == 5) {
    compact = s;
  } else if (s.size() == 6 && (s[2] == '.' || s[2] == ' ')) {
    joined = std::string(s.substr(0, 2)) + std::string(s.substr(3));
    compact = joined;
  }
  if (compact.size() == 5 && all_digits(compact.substr(0, 4)) && is_letter(compact[4])) {
    return std::string(compact.substr(0, 2)) + "." + std::string(compact.substr(2, 2)) +
           to_upper(compact[4]);
  }
  const std::string rule =
      "il doit s'écrire deux chiffres, un point, deux chiffres et une lettre (NAF rév. 2, par "
      "exemple 68.20B)";
  if (s.empty()) return refuse("naf.format", field, "Le code NAF est vide : " + rule + ".");
  return refuse("naf.format", field, "Le code NAF " + quoted(s) + " est invalide : " + rule + ".");
}

Result<std::string> departement(std::string_view text, const std::string& field) {
  std::string s = upper(trim(text));
  if (s.size() == 1 && is_digit(s[0])) s = "0" + s;  // "1" -> "01"
  if (known_departement(s)) return s;
  if (s == "20")
    return refuse("departement.unknown", field,
                  "Le département « 20 » n'existe pas : " + std::string(kCorsicaHint) +
                      ". Indiquez 2A ou 2B.");
  const bool shaped = (s.size() == 2 && is_digit(s[0]) && is_digit(s[1])) ||
                      (s.size() == 2 && s[0] == '2' && is_upper(s[1])) ||
                      (s.size() == 3 && all_digits(s));
  if (shaped)
    return refuse("departement.unknown", field,
                  "Le département " + quoted(s) +
                      " n'existe pas : les départements vont de 01 à 95 (avec 2A et 2B pour la "
                      "Corse, sans 20), puis 971 à 978, 984 et 986 à 989 pour l'outre-mer.");
  if (s.empty())
    return refuse("departement.format", field,
                  "Le département est vide : indiquez son numéro (par exemple 93, 2A ou 971).");
  return refuse("departement.format", field,
                "Le département " + quoted(trim(text)) +
                    " est mal écrit : indiquez son numéro (par exemple 93, 2A ou 971).");
}

Result<std::string> insee_commune(std::string_view text, const std::string& field) {
  const std::string s = upper(trim(text));
  const std::string example = "(par exemple 93047, 2A004 ou 97101)";
  if (s.size() != 5 || !is_digit(s[0]) || !(is_digit(s[1]) || is_letter(s[1])) ||
      !all_digits(std::string_view(s).substr(2))) {
    if (s.empty())
      return refuse("insee.format", field, "Le code INSEE de la commune est vide " + example + ".");
    return refuse("insee.format", field,
                  "Le code INSEE de commune " + quoted(trim(text)) +
                      " est invalide : il doit comporter 5 caractères, le numéro du département "
                      "suivi du numéro de la commune " +
                      example + ".");
  }
  const bool overseas = s[0] == '9' && (s[1] == '7' || s[1] == '8');
  const std::string dep = s.substr(0, overseas ? 3 : 2);
  if (!known_departement(dep)) {
    std::string why = "le département " + quoted(dep) + " n'existe pas";
    if (dep == "20") why += " (" + std::string(kCorsicaHint) + ")";
    return refuse("insee.departement", field,
                  "Le code INSEE de commune " + quoted(s) + " est invalide : " + why + ".");
  }
  if (!overseas && s.substr(2) == "000")
    return refuse("insee.format", field,
                  "Le code INSEE de commune " + quoted(s) +
                      " est invalide : le numéro de commune 000 n'existe pas.");
  return s;
}

Result<std::string> postal_code(std::string_view text, const std::string& field) {
  const std::string_view s = trim(text);
  if (s.size() != 5 || !all_digits(s)) {
    if (s.empty()) return refuse("postal_code.format", field, "Le code postal est vide.");
    return refuse(
        "postal_code.format", field,
        "Le code postal " + quoted(s) + " est invalide : il doit comporter exactement 5 chiffres.");
  }
  if (s.substr(0, 2) == "00")
    return refuse(
        "postal_code.format", field,
        "Le code postal " + quoted(s) + " est invalide : aucun code postal ne commence par 00.");
  return std::string(s);
}

std::string siren_of(const std::string& siret14) {
  OCTROI_CHECK(siret14.size() == 14 && all_digits(siret14), "siren_of requires a 14-digit SIRET");
  return siret14.substr(0, 9);
}

std::string vat_number(const std::string& siren9) {
  OCTROI_CHECK(siren9.size() == 9 && luhn_valid(siren9), "vat_number requires a valid SIREN");
  int rest = 0;  // SIREN % 97, digit by digit
  for (char c : siren9)
    rest = (rest * 10 + digit_value(c)) % 97;
  const int key = (12 + 3 * rest) % 97;
  std::string out = "FR";
  out += static_cast<char>('0' + key / 10);
  out += static_cast<char>('0' + key % 10);
  return out + siren9;
}

}  // namespace octroi::ids
