// The dossier's forms: the plan (edited as a whole), the workflow's events, the private notes and
// a de minimis check. A refused form shows the dossier again with the refusal.
#include <string>
#include <vector>

#include "adapters/http/file_tools.h"
#include "adapters/http/web/pages.h"
#include "app/files.h"
#include "app/portal.h"

namespace octroi::http::pages {
namespace {

constexpr FormField<EventInput> kEventForm[] = {
    {"event", &EventInput::event},
    {"reason", &EventInput::reason},
    {"amount", &EventInput::amount},
};

HttpResponse state_aid_check(WebContext& w, const std::string& number, const Principal& who) {
  const Context ctx = w.context(who);
  auto checked = run_write(
      w.store, [&](Transaction& tx) { return check_state_aid(tx, ctx, number, "instruction"); });
  if (!checked.ok()) return dossier_page(w, number, who, &checked.refusal());
  return redirect("/dossiers/" + url_encode(number) + "?minimis=1");
}

// One form for the whole plan: every line whose amount was changed becomes one change, and
// the use case applies them all or none (under instruction the plan must stay balanced).
HttpResponse edit_plan_form(WebContext& w, const HttpRequest& r, const std::string& number,
                            const Principal& who) {
  auto current = run_read(
      w.store, [&](Transaction& tx) { return show_application(tx, who.authority, number); });
  if (!current.ok()) return w.not_found(who, current.refusal());
  std::vector<PlanChange> changes;
  auto collect = [&](const std::vector<PrintedLine>& lines, PlanChange::Side side,
                     const std::string& prefix) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto it = r.query.find(prefix + std::to_string(i + 1));
      if (it == r.query.end()) continue;
      // The inputs show the amounts the French way ("9 117,08"): a line typed as it was shown,
      // or as its value ("9117.08"), is not a change.
      if (const auto same = Money::parse(it->second, "amount");
          same.ok() && same.value() == lines[i].amount)
        continue;
      PlanChange c;
      c.op = PlanChange::Op::Set;
      c.side = side;
      c.position = i + 1;
      c.amount = it->second;
      changes.push_back(c);
    }
  };
  collect(current->plan.expenses, PlanChange::Side::Expense, "expense-");
  collect(current->plan.resources, PlanChange::Side::Resource, "resource-");
  if (changes.empty()) return redirect("/dossiers/" + url_encode(number));
  const Context ctx = w.context(who);
  auto edited =
      run_write(w.store, [&](Transaction& tx) { return edit_plan(tx, ctx, number, changes); });
  if (!edited.ok()) return dossier_page(w, number, who, &edited.refusal(), "", &r.query);
  return redirect("/dossiers/" + url_encode(number) + "?modifie=1");
}

HttpResponse move(WebContext& w, const HttpRequest& r, const std::string& number,
                  const Principal& who) {
  const auto in = read_form(r, kEventForm);
  const Context ctx = w.context(who);
  auto moved = run_write(
      w.store, [&](Transaction& tx) { return apply_application_event(tx, ctx, number, in); });
  if (!moved.ok()) return dossier_page(w, number, who, &moved.refusal(), "", &r.query);
  return redirect("/dossiers/" + url_encode(number) + "?evenement=1");
}

HttpResponse note(WebContext& w, const HttpRequest& r, const std::string& number,
                  const Principal& who) {
  const Context ctx = w.context(who);
  auto added = run_write(
      w.store, [&](Transaction& tx) { return add_note(tx, ctx, number, param(r, "text")); });
  if (!added.ok()) return dossier_page(w, number, who, &added.refusal(), "", &r.query);
  return redirect("/dossiers/" + url_encode(number) + "?note=1");
}

// A message to the applicants of a portal dossier (they are told by e-mail).
HttpResponse message(WebContext& w, const HttpRequest& r, const std::string& number,
                     const Principal& who) {
  const Context ctx = w.context(who);
  Upload up = upload_of(r, "file", "");
  auto posted = up.bytes.empty() && up.filename.empty()
                    ? run_write(w.store,
                                [&](Transaction& tx) {
                                  return post_agent_message(tx, ctx, number, param(r, "text"));
                                })
                    : post_agent_message_with_file(w.store, ctx, number, param(r, "text"),
                                                   std::move(up), w.files);
  if (!posted.ok()) return dossier_page(w, number, who, &posted.refusal(), "", &r.query);
  return redirect("/dossiers/" + url_encode(number) + "?message=1#h-messages");
}

}  // namespace

void add_dossier_form_pages(Router& router, WebContext& w) {
  router.add(
      {"POST", "/dossiers/{number}/plan", Access::needs(Action::EditDossier),
       "Modifier le plan de financement"},
      [&w](RouteCall& c) { return edit_plan_form(w, c.request, c.param("number"), c.caller()); });
  router.add({"POST", "/dossiers/{number}/evenement", Access::needs(Action::MoveDossier),
              "Faire avancer le dossier"},
             [&w](RouteCall& c) { return move(w, c.request, c.param("number"), c.caller()); });
  router.add({"POST", "/dossiers/{number}/notes", Access::needs(Action::EditDossier),
              "Ajouter une note privée"},
             [&w](RouteCall& c) { return note(w, c.request, c.param("number"), c.caller()); });
  router.add({"POST", "/dossiers/{number}/messages", Access::needs(Action::EditDossier),
              "Écrire au demandeur (dossier déposé sur le portail)"},
             [&w](RouteCall& c) { return message(w, c.request, c.param("number"), c.caller()); });
  router.add({"POST", "/dossiers/{number}/minimis", Access::needs(Action::EditDossier),
              "Contrôler le plafond de minimis"},
             [&w](RouteCall& c) { return state_aid_check(w, c.param("number"), c.caller()); });
}

}  // namespace octroi::http::pages
