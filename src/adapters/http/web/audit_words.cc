#include "adapters/http/web/audit_words.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "app/workspace.h"
#include "core/date.h"
#include "core/french.h"
#include "core/money.h"
#include "domain/application/workflow.h"

namespace octroi::http::pages {
namespace {

using json = nlohmann::ordered_json;

enum class Kind { Text, Amount, Date, State, Flag, Award, Account, Id, Opinion };

struct FieldWords {
  const char* label;
  Kind kind;
};

// The fields the use cases record, as people name them.
const std::map<std::string, FieldWords>& fields() {
  static const std::map<std::string, FieldWords> table = {
      {"state", {"État", Kind::State}},
      {"title", {"Projet", Kind::Text}},
      {"description", {"Description", Kind::Text}},
      {"place", {"Lieu", Kind::Text}},
      {"start", {"Début", Kind::Date}},
      {"end", {"Fin", Kind::Date}},
      {"submitted_on", {"Déposé le", Kind::Date}},
      {"early_start", {"Démarrage anticipé", Kind::Flag}},
      {"early_start_date", {"Démarrage anticipé le", Kind::Date}},
      {"early_start_justification", {"Motif du démarrage anticipé", Kind::Text}},
      {"reference_year", {"Exercice", Kind::Text}},
      {"basis", {"Base", Kind::Text}},
      {"proposed_award", {"Montant proposé", Kind::Amount}},
      {"rule_award", {"Montant du barème", Kind::Amount}},
      {"proposal_reason", {"Motif du montant", Kind::Text}},
      {"requested", {"Montant demandé", Kind::Amount}},
      {"award", {"Aide attribuée", Kind::Award}},
      {"amount", {"Montant", Kind::Amount}},
      {"used", {"Déjà reçu", Kind::Amount}},
      {"ceiling", {"Plafond", Kind::Amount}},
      {"date", {"Date", Kind::Date}},
      {"deliberation", {"Délibération", Kind::Text}},
      {"assignee", {"Instruit par", Kind::Account}},
      {"scheme_id", {"Dispositif (n° interne)", Kind::Id}},
      {"party_id", {"Tiers (n° interne)", Kind::Id}},
      {"stage", {"Étape", Kind::Text}},
      {"regime", {"Régime d'aide", Kind::Text}},
      {"ok", {"Sous le plafond", Kind::Flag}},
      {"text", {"Texte", Kind::Text}},
      {"reason", {"Motif", Kind::Text}},
      {"service", {"Service consulté", Kind::Text}},
      {"question", {"Question", Kind::Text}},
      {"opinion", {"Avis", Kind::Opinion}},
      {"answer", {"Motif de l'avis", Kind::Text}},
      {"id", {"N°", Kind::Id}},
  };
  return table;
}

std::string plain(const json& v) {
  if (v.is_null()) return "—";
  if (v.is_string()) return v.get<std::string>().empty() ? "—" : v.get<std::string>();
  return v.dump();
}

std::string amount(const json& v) {
  if (!v.is_string()) return plain(v);
  auto m = Money::parse(v.get<std::string>(), "amount");
  return m.ok() ? fr::euros(m.value()) : plain(v);
}

std::string date(const json& v) {
  if (!v.is_string()) return plain(v);
  auto d = Date::parse(v.get<std::string>(), "date");
  return d.ok() ? fr::date_long(d.value()) : plain(v);
}

std::string in_words(const json& v, Kind kind) {
  switch (kind) {
    case Kind::Amount:
      return amount(v);
    case Kind::Date:
      return date(v);
    case Kind::State: {
      ApplicationState s{};
      if (v.is_string() && parse_state(v.get<std::string>(), s)) return std::string(french(s));
      return plain(v);
    }
    case Kind::Flag:
      return v.is_boolean() ? (v.get<bool>() ? "oui" : "non") : plain(v);
    case Kind::Award:
      if (v.is_object() && v.contains("amount"))
        return amount(v["amount"]) + " (" + plain(v.value("deliberation", json())) + " du " +
               date(v.value("date", json())) + ")";
      return plain(v);
    case Kind::Opinion:
      if (v.is_string() && !v.get<std::string>().empty())
        return opinion_label(v.get<std::string>());
      return plain(v);
    case Kind::Account:
      return v.is_string() && v.get<std::string>().empty() ? "personne" : plain(v);
    case Kind::Text:
    case Kind::Id:
      return plain(v);
  }
  return plain(v);
}

json object_of(const std::string& text) {
  if (text.empty()) return json::object();
  json j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json();
}

}  // namespace

std::vector<std::string> audit_in_words(const std::string& before, const std::string& after) {
  const json b = object_of(before), a = object_of(after);
  if (!b.is_object() || !a.is_object()) return {};
  std::vector<std::string> out;
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const json* side : {&a, &b})
    for (const auto& [k, v] : side->items())
      if (seen.insert(k).second) keys.push_back(k);
  const bool creation = b.empty();
  int untold = 0;
  for (const auto& k : keys) {
    if (k == "number") continue;  // the dossier's own number, on its page
    const json none;
    const json& was = b.contains(k) ? b[k] : none;
    const json& now = a.contains(k) ? a[k] : none;
    if (!creation && was == now) continue;
    const auto f = fields().find(k);
    // A creation lists what people read (the plan's lines are on the page); a change, all of it.
    const bool unset = now.is_null() || (now.is_string() && now.get<std::string>().empty());
    if (creation && (f == fields().end() || unset)) {
      untold += f == fields().end() ? 1 : 0;
      continue;
    }
    const std::string label = f == fields().end() ? k : f->second.label;
    const Kind kind = f == fields().end() ? Kind::Text : f->second.kind;
    if (creation)
      out.push_back(label + " : " + in_words(now, kind));
    else
      out.push_back(label + " : " + in_words(was, kind) + " → " + in_words(now, kind));
  }
  if (untold > 0)
    out.push_back("et " + std::to_string(untold) + " autre(s) champ(s), dans les données brutes");
  return out;
}

}  // namespace octroi::http::pages
