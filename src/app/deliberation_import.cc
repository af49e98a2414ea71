// Reading the annex sheets of a deliberation's text back into dossiers
// (app/deliberation_import.h).
#include "app/deliberation_import.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "app/audit_json.h"
#include "app/ports/applications.h"
#include "app/ports/imports.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

// Spaces of every kind collapsed, trimmed; curly apostrophes made straight.
std::string clean(const std::string& in) {
  std::string s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in.compare(i, 3, "\xE2\x80\x99") == 0) {  // ’
      s += '\'';
      i += 2;
      continue;
    }
    if (in.compare(i, 2, "\xC2\xA0") == 0 || in.compare(i, 3, "\xE2\x80\xAF") == 0) {
      s += ' ';
      i += in[i] == '\xC2' ? 1 : 2;
      continue;
    }
    s += in[i] == '\t' || in[i] == '\r' ? ' ' : in[i];
  }
  std::string out;
  for (const char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

// "Key : value" -> value (the line starts with key, then optional spaces and a colon).
std::optional<std::string> after(const std::string& line, const std::string& key) {
  if (line.rfind(key, 0) != 0) return std::nullopt;
  std::string rest = line.substr(key.size());
  const auto colon = rest.find(':');
  if (colon == std::string::npos ||
      rest.substr(0, colon).find_first_not_of(' ') != std::string::npos)
    return std::nullopt;
  return clean(rest.substr(colon + 1));
}

// "7 000,00 €", "196 000,00 € HT" -> cents.
std::optional<Money> money_of(std::string s) {
  std::string digits;
  for (const char c : s) {
    if (c >= '0' && c <= '9') digits += c;
    if (c == ',') digits += '.';
  }
  auto m = Money::parse(digits, "montant");
  if (!m.ok()) return std::nullopt;
  return m.value();
}

const std::regex& amount_pattern() {
  static const std::regex re(R"((\d{1,3}(?: \d{3})*,\d{2}) ?€)");
  return re;
}

// "1 novembre 2022", "1er novembre 2022".
std::optional<Date> french_date(const std::string& s) {
  static const char* months[] = {"janvier",   "février", "mars",     "avril",
                                 "mai",       "juin",    "juillet",  "août",
                                 "septembre", "octobre", "novembre", "décembre"};
  static const std::regex re(R"((\d{1,2})(?:er)? (\S+) (\d{4}))");
  std::smatch m;
  if (!std::regex_search(s, m, re)) return std::nullopt;
  std::string month = m[2];
  for (auto& c : month)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; i < 12; ++i)
    if (month == months[i]) {
      auto d = Date::make(std::stoi(m[3]), i + 1, std::stoi(m[1]), "date");
      if (d.ok()) return d.value();
    }
  return std::nullopt;
}

// "CR2019-043 modifiée" -> "CR 2019-043".
std::string act_of(const std::string& s) {
  static const std::regex re(R"(([A-Z]{2,4}) ?(\d{4}-\d{2,4}))");
  std::smatch m;
  if (!std::regex_search(s, m, re)) return clean(s);
  return std::string(m[1]) + " " + std::string(m[2]);
}

// A page's footer or a print timestamp, in the middle of a sheet.
bool noise(const std::string& line) {
  static const std::regex stamp(R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$)");
  return std::regex_match(line, stamp) ||
         (line.rfind("Commission permanente du ", 0) == 0 && line.size() < 80);
}

std::string title_case_word(std::string w) {
  // "GUIGUEN" -> "Guiguen", "LIOTARD" -> "Liotard", keeping accents' bytes.
  bool first = true;
  for (auto& c : w) {
    if (std::isalpha(static_cast<unsigned char>(c)))
      c = static_cast<char>(first ? std::toupper(static_cast<unsigned char>(c))
                                  : std::tolower(static_cast<unsigned char>(c)));
    first = c == '-' || c == ' ';
  }
  return w;
}

enum class Block { None, Title, Address, Motivation, Description, Place, Expenses, Resources };

// The text cut into lines, each cleaned.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto nl = text.find('\n', at);
    lines.push_back(clean(text.substr(at, nl == std::string::npos ? std::string::npos : nl - at)));
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return lines;
}

// A line of the sheet's scheme, budget or amount, read into the sheet: whether it was one.
bool read_scheme_line(ParsedSheet* s, const std::string& l, const std::vector<std::string>& lines,
                      std::size_t i, Block block, bool& want_amount) {
  if (auto v = after(l, "Dispositif")) {
    s->scheme_name = *v;
    static const std::regex num(R"(\(n° ?(\d+)\))");
    std::smatch nm;
    std::string both = *v + " " + (i + 1 < lines.size() ? lines[i + 1] : "");
    if (std::regex_search(both, nm, num)) s->scheme_number = nm[1];
    s->scheme_name = clean(std::regex_replace(s->scheme_name, num, ""));
    return true;
  }
  if (auto v = after(l, "Délibération Cadre")) {
    s->framework_deliberation = act_of(*v);
    return true;
  }
  if (auto v = after(l, "Imputation budgétaire")) {
    s->imputation = *v;
    return true;
  }
  if (auto v = after(l, "Action")) {
    static const std::regex act(R"(^(\d{8}) ?-? ?(.*)$)");
    std::smatch am;
    if (std::regex_match(*v, am, act)) {
      s->action_code = am[1];
      s->action_label = clean(am[2]);
    }
    return true;
  }
  if (l.find("MONTANT DE LA SUBVENTION") != std::string::npos) {
    want_amount = true;
    return true;
  }
  if (l.rfind("Montant total de la subvention", 0) == 0) {
    std::smatch am;
    if (std::regex_search(l, am, amount_pattern())) s->amount = money_of(am[1]);
    return true;
  }
  if (want_amount) {
    std::smatch am;
    if (std::regex_search(l, am, amount_pattern())) {
      s->amount = money_of(am[1]);
      want_amount = false;
    }
    return true;
  }
  {  // the eligible-base table: "… 196 000,00 € HT 40,00 % 78 400,00 €"
    static const std::regex base(R"((\d{1,3}(?: \d{3})*,\d{2}) ?€ ?(HT|TTC) (\d{1,3},\d{2}) ?%)");
    std::smatch bm;
    if (block == Block::None && std::regex_search(l, bm, base)) {
      s->eligible_base = money_of(bm[1]);
      return true;
    }
  }
  return false;
}

// The representative's civility, names and role.
void read_representative(ParsedSheet* s, const std::optional<std::string>& v) {
  // "Monsieur Philippe GUIGUEN, Maire"
  const auto comma = v->find(',');
  const std::string who = v->substr(0, comma);
  if (comma != std::string::npos) s->role = clean(v->substr(comma + 1));
  std::vector<std::string> words;
  std::string w;
  for (const char c : who + " ") {
    if (c == ' ') {
      if (!w.empty()) words.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  if (!words.empty() && (words[0] == "Monsieur" || words[0] == "Madame")) {
    s->civility = words[0];
    words.erase(words.begin());
  }
  if (!words.empty()) {
    s->last_name = title_case_word(words.back());
    words.pop_back();
  }
  for (const auto& x : words)
    s->first_name += (s->first_name.empty() ? "" : " ") + title_case_word(x);
}

// A line of the organisation (name, address, legal status, representative), read into the
// sheet: whether it was one.
bool read_organisation_line(ParsedSheet* s, const std::string& l, Block& block) {
  if (auto v = after(l, "Dénomination")) {
    s->organisation = *v;
    return true;
  }
  if (auto v = after(l, "Adresse administrative")) {
    s->address_line = *v;
    block = Block::Address;
    return true;
  }
  if (auto v = after(l, "Statut Juridique")) {
    s->legal_status = *v;
    block = Block::None;
    return true;
  }
  if (block == Block::Address) {
    static const std::regex cp(R"(^(\d{5}) (.+)$)");
    std::smatch cm;
    if (std::regex_match(l, cm, cp)) {
      s->postal_code = cm[1];
      s->city = cm[2];
    } else if (!l.empty() && s->postal_code.empty()) {
      s->address_line = clean(s->address_line + " " + l);
    }
    return true;
  }
  if (auto v = after(l, "Représentant")) {
    read_representative(s, v);
    return true;
  }
  return false;
}

// A line of the project (dates, early start, description, place, reference year, VAT) or the
// heading of a plan's table, read into the sheet: whether it was one.
bool read_project_line(ParsedSheet* s, const std::string& l, Block& block,
                       std::string& pending_label) {
  if (auto v = after(l, "Dates prévisionnelles")) {
    const auto dash = v->find(" - ");
    if (dash != std::string::npos) {
      s->start = french_date(v->substr(0, dash));
      s->end = french_date(v->substr(dash + 3));
    }
    return true;
  }
  if (auto v = after(l, "Démarrage anticipé de projet")) {
    if (*v == "Oui") s->early_start = true;
    if (*v == "Non") s->early_start = false;
    return true;
  }
  if (auto v = after(l, "Motivation démarrage anticipé")) {
    s->early_start_motivation = *v;
    block = Block::Motivation;
    return true;
  }
  if (auto v = after(l, "Description")) {
    s->description = *v;
    block = Block::Description;
    return true;
  }
  if (after(l, "Localisation géographique")) {
    block = Block::Place;
    return true;
  }
  if (auto v = after(l, "Exercice de référence")) {
    s->reference_year = *v;
    block = Block::None;
    return true;
  }
  if (l.rfind("L'organisme ne récupère pas la TVA", 0) == 0) {
    s->recovers_vat = false;
    return true;
  }
  if (l.rfind("L'organisme récupère", 0) == 0) {
    s->recovers_vat = true;
    return true;
  }
  if (l.rfind("Dépenses (", 0) == 0) {
    block = Block::Expenses;
    pending_label.clear();
    return true;
  }
  if (l.rfind("Recettes (", 0) == 0) {
    block = Block::Resources;
    pending_label.clear();
    return true;
  }
  return false;
}

// A line inside a block that runs over several lines: the motivation, the description, the
// place, or a line of the plan's expenses or resources.
void read_block_line(ParsedSheet* s, const std::string& l, Block& block,
                     std::string& pending_label) {
  static const std::regex plan_line(R"(^(.*?) ?(\d{1,3}(?: \d{3})*,\d{2}) (\d{1,3},\d{2}) ?%$)");
  switch (block) {
    case Block::Motivation:
      if (l.empty())
        block = Block::None;
      else
        s->early_start_motivation = clean(s->early_start_motivation + " " + l);
      break;
    case Block::Description:
      if (l.rfind("Détail du calcul", 0) == 0) {
        block = Block::None;
      } else if (!l.empty()) {
        s->description = clean(s->description + " " + l);
      }
      break;
    case Block::Place:
      if (!l.empty()) {
        s->place = l;
        block = Block::None;
      }
      break;
    case Block::Expenses:
    case Block::Resources: {
      if (l.empty() || l == "Libellé Montant %") break;
      std::smatch pm;
      if (l.rfind("Total", 0) == 0) {
        std::smatch tm;
        static const std::regex total(R"(^Total (\d{1,3}(?: \d{3})*,\d{2}))");
        if (std::regex_search(l, tm, total))
          (block == Block::Expenses ? s->expenses_total : s->resources_total) = money_of(tm[1]);
        if (block == Block::Resources) block = Block::None;
        pending_label.clear();
        break;
      }
      if (std::regex_match(l, pm, plan_line)) {
        ParsedPlanLine line;
        line.label = clean(pending_label + " " + std::string(pm[1]));
        line.amount = money_of(pm[2]).value_or(Money());
        line.share_bp = money_of(pm[3]).value_or(Money()).cents();
        (block == Block::Expenses ? s->expenses : s->resources).push_back(line);
        pending_label.clear();
      } else {
        pending_label = clean(pending_label + " " + l);
      }
      break;
    }
    default:
      break;
  }
}

// Names, in each sheet, what could not be found in it.
void note_missing(std::vector<ParsedSheet>& out) {
  for (auto& sh : out) {
    auto need = [&](bool ok, const char* what) {
      if (!ok) sh.missing.push_back(what);
    };
    need(!sh.scheme_number.empty(), "le numéro du dispositif");
    need(!sh.imputation.empty(), "l'imputation budgétaire");
    need(sh.amount.has_value(), "le montant de la subvention");
    need(!sh.organisation.empty(), "la dénomination de l'organisme");
    need(sh.start && sh.end, "les dates prévisionnelles");
    need(!sh.expenses.empty(), "les dépenses du plan de financement");
    need(!sh.resources.empty(), "les recettes du plan de financement");
    need(!sh.reference_year.empty(), "l'exercice de référence");
  }
}

}  // namespace

Result<std::vector<ParsedSheet>> parse_project_sheets(const std::string& text) {
  if (text.size() > kMaxDeliberationBytes)
    return refuse("import.too_large", "file",
                  "Le texte dépasse " + std::to_string(kMaxDeliberationBytes / (1024 * 1024)) +
                      " Mio : ce n'est pas le texte d'une délibération.");
  // Checked on the raw text, before any line is cleaned or matched.
  for (std::size_t at = 0, number = 1; at < text.size(); ++number) {
    const auto nl = text.find('\n', at);
    const std::size_t end = nl == std::string::npos ? text.size() : nl;
    if (end - at > kMaxDeliberationLineBytes)
      return refuse("import.line_too_long", "file",
                    "Ligne " + std::to_string(number) + " : plus de " +
                        std::to_string(kMaxDeliberationLineBytes) +
                        " octets, ce que pdftotext ne donne pas pour une délibération.");
    at = end + 1;
  }
  const std::vector<std::string> lines = split_lines(text);
  static const std::regex head(R"(^DOSSIER N° ?(EX\d{6}) ?[-–] ?(.*)$)");
  std::vector<ParsedSheet> out;
  ParsedSheet* s = nullptr;
  Block block = Block::None;
  std::string pending_label;
  bool want_amount = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    std::smatch m;
    if (std::regex_match(l, m, head)) {
      out.emplace_back();
      s = &out.back();
      s->line = static_cast<int>(i) + 1;
      s->number = m[1];
      s->title = m[2];
      block = Block::Title;
      pending_label.clear();
      want_amount = false;
      continue;
    }
    if (!s || noise(l)) continue;
    if (block == Block::Title) {
      if (l.empty()) {
        block = Block::None;
      } else if (l.rfind("Dispositif", 0) != 0) {
        if (s->title.size() + l.size() >= kMaxSheetTitleBytes)
          return refuse("import.title_too_long", "file",
                        "Ligne " + std::to_string(i + 1) + " : le titre du dossier " + s->number +
                            " (ligne " + std::to_string(s->line) + ") dépasse " +
                            std::to_string(kMaxSheetTitleBytes) +
                            " octets : la fiche est mal lue.");
        s->title = clean(s->title + " " + l);
        continue;
      } else {
        block = Block::None;
      }
    }
    if (read_scheme_line(s, l, lines, i, block, want_amount)) continue;
    if (read_organisation_line(s, l, block)) continue;
    if (read_project_line(s, l, block, pending_label)) continue;
    read_block_line(s, l, block, pending_label);
  }
  note_missing(out);
  return out;
}

namespace {

std::string resource_kind(const std::string& label) {
  std::string l;
  for (const char c : label)
    l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto has = [&](const char* w) { return l.find(w) != std::string::npos; };
  if (has("autofinancement") || has("fonds propres")) return "self_funding";
  if (has("région") || has("region")) return "authority";
  if (has("emprunt") || has("prêt")) return "loan";
  if (has("participatif") || has("mécénat") || has("société") || has("privé")) return "private";
  if (has("anct") || has("etat") || has("état") || has("département") || has("commune") ||
      has("feder") || has("europ") || has("dsil") || has("dotation"))
    return "other_public";
  return "other";
}

bool not_eligible(const std::string& label) {
  std::string l;
  for (const char c : label)
    l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l.find("non eligible") != std::string::npos ||
         l.find("non éligible") != std::string::npos ||
         l.find("non \xc3\xa9ligible") != std::string::npos;
}

}  // namespace

Result<DeliberationImport> import_deliberation_text(Transaction& tx, const Context& ctx,
                                                    const std::string& text,
                                                    const std::string& source, bool dry_run) {
  if (!text::is_valid_utf8(text))
    return refuse("import.encoding", "file",
                  "Le texte « " + source + " » n'est pas en UTF-8 (pdftotext -enc UTF-8).");
  DeliberationImport out;
  out.dry_run = dry_run;
  const auto parsed = parse_project_sheets(text);
  if (!parsed.ok()) return parsed.refusal();
  const auto& sheets = parsed.value();
  if (sheets.empty())
    return refuse("import.no_sheet", "file",
                  "Aucune fiche projet (« DOSSIER N° EX… ») dans « " + source + " ».");
  for (const auto& sh : sheets) {
    SheetReport r;
    r.sheet = sh;
    for (const auto& m : sh.missing)
      r.notes.push_back("non trouvé : " + m);
    // What the sheet says of itself.
    auto sum = [](const std::vector<ParsedPlanLine>& v) {
      Money t;
      for (const auto& l : v)
        t = t + l.amount;
      return t;
    };
    if (sh.expenses_total && sum(sh.expenses) != *sh.expenses_total)
      r.notes.push_back("les dépenses lues font " + fr::euros(sum(sh.expenses)) +
                        ", le total imprimé " + fr::euros(*sh.expenses_total));
    if (sh.resources_total && sum(sh.resources) != *sh.resources_total)
      r.notes.push_back("les recettes lues font " + fr::euros(sum(sh.resources)) +
                        ", le total imprimé " + fr::euros(*sh.resources_total));
    if (tx.applications().find_application(ctx.authority, sh.number)) {
      r.outcome = SheetOutcome::AlreadyPresent;
      r.notes.push_back("le dossier " + sh.number + " existe déjà : laissé tel quel");
      out.sheets.push_back(std::move(r));
      continue;
    }
    if (!sh.missing.empty()) {
      r.notes.push_back("fiche incomplète : non importée");
      out.sheets.push_back(std::move(r));
      continue;
    }
    auto scheme = tx.schemes().find_scheme(ctx.authority, sh.scheme_number);
    if (!scheme) {
      r.notes.push_back("le dispositif n° " + sh.scheme_number + " (« " + sh.scheme_name +
                        " ») n'existe pas : créez-le (ses règles ne sont pas dans la fiche)");
      out.sheets.push_back(std::move(r));
      continue;
    }
    // The organisation: by name, else registered as printed.
    std::optional<PartyId> party;
    for (const auto& p : tx.parties().list_parties(ctx.authority)) {
      std::string a = p.legal_name, b = sh.organisation;
      for (auto* s : {&a, &b})
        for (auto& c : *s)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (a == b) party = p.id;
    }
    if (!party) {
      PartyInput in;
      in.legal_name = sh.organisation;
      in.legal_status = sh.legal_status;
      in.recovers_vat = sh.recovers_vat.value_or(false);
      in.civility = sh.civility;
      in.first_name = sh.first_name;
      in.last_name = sh.last_name;
      in.role = sh.role;
      in.address_line1 = sh.address_line;
      in.postal_code = sh.postal_code;
      in.city = sh.city;
      auto registered = register_party(tx, ctx, in);
      if (!registered.ok()) {
        r.notes.push_back("l'organisme ne peut pas être enregistré : " +
                          registered.refusal().first().message);
        out.sheets.push_back(std::move(r));
        continue;
      }
      party = registered->party.id;
      r.notes.push_back("organisme enregistré : " + sh.organisation);
    }
    ApplicationInput in;
    in.number = sh.number;
    in.scheme_number = sh.scheme_number;
    in.party_id = party->value;
    in.title = sh.title;
    in.description = sh.description;
    in.place = sh.place;
    in.start = sh.start->iso();
    in.end = sh.end->iso();
    in.early_start = sh.early_start.value_or(false);
    if (in.early_start) {
      in.early_start_date = in.start;
      in.early_start_justification = sh.early_start_motivation;
    }
    in.reference_year = sh.reference_year;
    for (const auto& l : sh.expenses)
      in.expenses.push_back({l.label, l.amount.to_decimal_string(), !not_eligible(l.label)});
    for (const auto& l : sh.resources)
      in.resources.push_back({l.label, l.amount.to_decimal_string(), resource_kind(l.label), ""});
    auto created = create_application(tx, ctx, in);
    if (!created.ok()) {
      r.notes.push_back("le dossier est refusé : " + created.refusal().first().message + " (" +
                        created.refusal().first().field + ")");
      out.sheets.push_back(std::move(r));
      continue;
    }
    tx.imports().insert_imported_application(ctx.authority, created->id, source, sh.line,
                                             *sh.amount, ctx.clock->now(), ctx.actor);
    // What octroi computes from the plan, against the amount printed.
    auto shown = show_application(tx, ctx.authority, sh.number);
    if (shown.ok() && shown->award) {
      if (shown->award->amount == *sh.amount)
        r.notes.push_back("montant imprimé " + fr::euros(*sh.amount) + " = calcul d'octroi");
      else
        r.notes.push_back("montant imprimé " + fr::euros(*sh.amount) + ", calcul d'octroi " +
                          fr::euros(shown->award->amount));
    }
    record_audit(tx, ctx,
                 {.action = "application.import",
                  .entity = "application",
                  .key = sh.number,
                  .after = "{\"source\":" + audit_json::quote(source) +
                           ",\"line\":" + std::to_string(sh.line) + ",\"printed_amount\":" +
                           audit_json::quote(sh.amount->to_decimal_string()) + "}"});
    r.outcome = SheetOutcome::Imported;
    out.sheets.push_back(std::move(r));
  }
  return out;
}

}  // namespace octroi
