// A party (/tiers/{id}): its dossiers, what was awarded and paid, its de minimis window, its
// single undertaking.
#include <string>

#include "adapters/http/web/pages.h"
#include "app/portal.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

// Everything octroi knows of a party in this authority (the 360° view instructors ask each
// other for): its dossiers, what was awarded and paid, its de minimis aid.
HttpResponse party(WebContext& w, const std::string& id_text, const Principal& who,
                   const Refusal* refusal = nullptr, const std::string& flash = "") {
  auto pv = run_read(w.store, [&](Transaction& tx) {
    return show_party(tx, who.authority, id_text, w.clock.today());
  });
  if (!pv.ok()) return w.not_found(who, pv.refusal());
  const PartyView& v = pv.value();
  mstch::array rows, undertaking, aids;
  for (const auto& d : v.dossiers) {
    const auto& app = d.dossier.application;
    rows.push_back(mstch::map{{"number", app.number},
                              {"title", app.project.title},
                              {"scheme", d.dossier.scheme.number},
                              {"state", std::string(french(app.state()))},
                              {"awarded", app.award ? fr::euros(d.awarded) : std::string("—")},
                              {"paid", fr::euros(d.paid)}});
  }
  for (const auto& p : v.undertaking)
    undertaking.push_back(mstch::map{{"id", std::to_string(p.id.value)}, {"name", p.legal_name}});
  for (const auto& aid : v.de_minimis_aids)
    aids.push_back(mstch::map{{"date", fr::date_long(aid.granted_on)},
                              {"amount", fr::euros(aid.amount)},
                              {"source", aid.source},
                              {"regime", std::string(french(aid.regime))}});
  mstch::array imported;
  for (const auto& r : v.imported)
    imported.push_back(
        mstch::map{{"date", fr::date_long(r.granted_on)},
                   {"grantor", r.grantor},
                   {"reference", r.reference},
                   {"object", r.object},
                   {"beneficiary", r.beneficiary_name.empty() ? std::string("—")
                                   : r.beneficiary_siret.empty()
                                       ? r.beneficiary_name
                                       : r.beneficiary_name + " (" + r.beneficiary_siret + ")"},
                   {"amount", fr::euros(r.amount)},
                   {"share", fr::percent_bp(r.share_bp)},
                   {"part", fr::euros(r.part)},
                   {"regime", std::string(french(r.regime))},
                   {"source", r.source + ", ligne " + std::to_string(r.source_line)}});
  mstch::array establishments;
  for (const auto& e : v.establishments)
    establishments.push_back(
        mstch::map{{"siret", e.siret}, {"name", e.name}, {"source", e.source}});
  const Party& p = v.party;
  const Address& ad = p.address;
  // Who acts for it on the applicant portal, and the claims that wait for an agent.
  mstch::array applicants;
  for (const auto& a : run_read(
           w.store, [&](Transaction& tx) { return applicants_of_party(tx, who.authority, p.id); }))
    applicants.push_back(mstch::map{{"email", a.email},
                                    {"name", a.display_name},
                                    {"pending", a.role == "pending"},
                                    {"role", std::string(a.role == "owner"    ? "premier membre"
                                                         : a.role == "member" ? "membre invité"
                                                                              : "à confirmer")},
                                    {"since", when(a.since)}});
  return w.page("party", p.legal_name,
                {{"name", p.legal_name},
                 {"siret", p.siret},
                 {"siren", p.siret.empty() ? p.siren : std::string()},
                 {"status", p.legal_status},
                 {"address", ad.display()},
                 {"departement", p.departement},
                 {"vat", std::string(p.recovers_vat ? "récupérée (montants HT)"
                                                    : "non récupérée (montants TTC)")},
                 {"dossiers", rows},
                 {"total_awarded", fr::euros(v.total_awarded)},
                 {"total_paid", fr::euros(v.total_paid)},
                 {"undertaking", undertaking},
                 {"has_undertaking", !undertaking.empty()},
                 {"aids", aids},
                 {"regime", std::string(french(v.de_minimis_regime))},
                 {"window_start", fr::date_long(v.de_minimis.window_start)},
                 {"window_end", fr::date_long(v.de_minimis.window_end)},
                 {"used", fr::euros(v.de_minimis.used)},
                 {"ceiling", fr::euros(v.de_minimis.ceiling)},
                 {"room", fr::euros(v.de_minimis.room)},
                 {"imported", imported},
                 {"establishments", establishments},
                 {"has_establishments", !establishments.empty()},
                 {"total_imported", fr::euros(v.total_imported)},
                 {"id", std::to_string(p.id.value)},
                 {"applicants", applicants},
                 {"has_applicants", !applicants.empty()},
                 {"can_confirm", permits(who.role, Action::ManageParties)},
                 {"csrf", who.csrf_token}},
                &who, refusal, refusal ? 422 : 200, flash);
}

HttpResponse confirm(WebContext& w, const HttpRequest& r, const std::string& id,
                     const Principal& who) {
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
    return w.not_found(who, no_such_page());
  const Context ctx = w.context(who);
  auto done = run_write(w.store, [&](Transaction& tx) {
    return confirm_applicant(tx, ctx, std::stoll(id), param(r, "email"));
  });
  if (!done.ok()) return party(w, id, who, &done.refusal());
  return redirect("/tiers/" + id + "?demandeur=1");
}

}  // namespace

void add_party_pages(Router& router, WebContext& w) {
  router.add({"GET", "/tiers/{id}", Access::needs(Action::Read), "Un tiers (vue à 360°)"},
             [&w](RouteCall& c) {
               return party(w, c.param("id"), c.caller(), nullptr,
                            flash_of(c.request, {{"demandeur", "Demandeur confirmé."}}));
             });
  router.add({"POST", "/tiers/{id}/demandeurs", Access::needs(Action::ManageParties),
              "Confirmer qu'un demandeur du portail agit pour ce tiers"},
             [&w](RouteCall& c) { return confirm(w, c.request, c.param("id"), c.caller()); });
}

}  // namespace octroi::http::pages
