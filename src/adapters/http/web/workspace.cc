// The instruction workspace on the pages (app/workspace.h): the queues above the dossier list,
// who instructs each dossier, bulk acts on the dossiers ticked, saved searches, and on a
// dossier's page its assignment and the follow button.
#include "adapters/http/web/workspace.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/approvals.h"
#include "app/ports/workspace.h"
#include "app/workspace.h"
#include "core/french.h"
#include "domain/application/workflow.h"

namespace octroi::http::pages {

Caller caller_of(const Principal& who) {
  return Caller{who.account_id, who.role};
}

void set_viewer(ApplicationSearch& in, const Principal& who) {
  in.viewer = who.account_id;
  in.viewer_service = who.service;
}

std::string list_filters(const ApplicationSearch& in) {
  std::string out = "q=" + url_encode(in.text) + "&state=" + url_encode(in.state) +
                    "&scheme=" + url_encode(in.scheme) +
                    "&departement=" + url_encode(in.departement) +
                    "&session=" + url_encode(in.session);
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"queue", &in.queue},
                                   {"scope", &in.scope},
                                   {"assignee", &in.assignee},
                                   {"numbers", &in.numbers}})
    if (!value->empty()) out += std::string("&") + key + "=" + url_encode(*value);
  return out;
}

namespace {

mstch::array account_options(const std::vector<UserRecord>& accounts, const std::string& chosen) {
  mstch::array out;
  for (const auto& u : accounts)
    out.push_back(mstch::map{{"value", u.login},
                             {"label", u.display_name + " (" + u.login + ")"},
                             {"selected", u.login == chosen}});
  return out;
}

}  // namespace

std::map<std::string, std::string> assignees_of(WebContext& w, const Principal& who,
                                                const std::vector<ApplicationView>& list) {
  std::map<std::string, std::string> out;
  run_read(w.store, [&](Transaction& tx) {
    std::map<std::int64_t, std::string> names;
    for (const auto& v : list)
      if (const auto r = tx.workspace().assignment_of(who.authority, v.application.id)) {
        if (!names.count(r->user_id))
          if (const auto u = tx.accounts().get_user(who.authority, r->user_id))
            names[r->user_id] = u->display_name;
        out[v.application.number] = names[r->user_id];
      }
    return 0;
  });
  return out;
}

void add_workspace_list(mstch::map& ctx, WebContext& w, const ApplicationSearch& in,
                        const Principal& who, bool listed) {
  const Caller me = caller_of(who);
  // The queues: whose dossiers, then which states.
  mstch::array scopes;
  std::vector<std::pair<std::string, std::string>> scope_list = {{"me", "Mes dossiers"},
                                                                 {"followed", "Suivis"}};
  if (!who.service.empty()) scope_list.insert(scope_list.begin() + 1, {"service", "Mon service"});
  scope_list.push_back({"", "Tous"});
  if (me.user_id == 0) scope_list = {{"", "Tous"}};
  for (const auto& [value, label] : scope_list) {
    ApplicationSearch other = in;
    other.scope = value;
    if (value == "me" || value == "followed") other.assignee.clear();  // they name whose already
    scopes.push_back(
        mstch::map{{"label", label},
                   {"href", "/dossiers?" + list_filters(other)},
                   {"current", in.scope == value || (value.empty() && in.scope == "all")}});
  }
  ctx["scopes"] = scopes;
  ctx["scope"] = in.scope;
  mstch::array queues;
  for (const auto& [value, label] :
       std::vector<std::pair<std::string, std::string>>{{"a_traiter", "à traiter"},
                                                        {"au_visa", "au visa"},
                                                        {"traites", "traités"},
                                                        {"archives", "archivés"}})
    queues.push_back(
        mstch::map{{"value", value}, {"label", label}, {"selected", in.queue == value}});
  ctx["queue_options"] = queues;
  const std::vector<UserRecord> accounts =
      run_read(w.store, [&](Transaction& tx) { return assignable_accounts(tx, who.authority); });
  ctx["assignee_options"] = account_options(accounts, in.assignee);
  ctx["unassigned_selected"] = in.assignee == "none";
  // Bulk acts, for those who move dossiers: the workflow's events an instructor may cause.
  const bool can_bulk = permits(who.role, Action::MoveDossier) && listed;
  ctx["can_bulk"] = can_bulk;
  if (can_bulk) {
    mstch::array events;
    std::set<std::string> seen;
    for (const auto& t : workflow_table()) {
      const std::string value(to_string(t.event));
      // Not the acts' events, nor a reduction (it needs each dossier's own amount).
      if (t.origin == Origin::Act || t.event == ApplicationEvent::Reduce ||
          !seen.insert(value).second)
        continue;
      events.push_back(mstch::map{{"value", value}, {"label", std::string(french(t.event))}});
    }
    ctx["bulk_events"] = events;
    // An instructor gives dossiers to nobody but themself.
    std::vector<UserRecord> to;
    for (const auto& u : accounts)
      if (who.role != Role::Instructor || u.id == me.user_id) to.push_back(u);
    ctx["bulk_accounts"] = account_options(to, "");
  }
  // Saved searches.
  mstch::array saved;
  if (me.user_id != 0) {
    run_read(w.store, [&](Transaction& tx) {
      for (const auto& f : saved_filters_of(tx, who.authority, me))
        saved.push_back(mstch::map{
            {"id", std::to_string(f.id)}, {"name", f.name}, {"href", "/dossiers?" + f.query}});
      return 0;
    });
    ctx["can_save"] = true;
    ApplicationSearch kept = in;
    ctx["saved_query"] = list_filters(kept) +
                         (in.sort.empty() ? "" : "&sort=" + url_encode(in.sort)) +
                         (in.order.empty() ? "" : "&order=" + url_encode(in.order));
  }
  ctx["has_saved"] = !saved.empty();
  ctx["saved"] = saved;
}

namespace {

// The dossier's approval chain: each level of the open round (or the last), visa given, awaited
// or returned, with its author and day; earlier rounds counted; the button of the awaited visa
// for whoever may give it.
void add_approval_chain(mstch::map& ctx, WebContext& w, const ApplicationView& v,
                        const Principal& who, bool in_service) {
  if (v.scheme.approval_chain.empty()) return;
  ApprovalState st;
  run_read(w.store, [&](Transaction& tx) {
    st = approval_state(tx, who.authority, v.application, v.scheme);
    return 0;
  });
  const auto names = w.actor_names(who.authority);
  mstch::array levels;
  for (const auto& l : st.chain) {
    std::string status = "—";
    for (const auto& r : st.rows)
      if (r.round == st.round && r.level == l.level)
        status = (r.decision == "approved" ? "visé le " : "renvoyé à l'instruction le ") +
                 fr::date_long(r.on) + " par " + actor_name(names, r.actor) +
                 (r.comment.empty() ? "" : " : « " + r.comment + " »");
    if (status == "—" && st.awaited && st.awaited->level == l.level) status = "visa attendu";
    auto role = parse_role(l.role);
    levels.push_back(mstch::map{{"level", std::to_string(l.level)},
                                {"label", l.label},
                                {"role", role ? std::string(role_label(*role)) : l.role},
                                {"may_return", std::string(l.may_return ? "oui" : "non")},
                                {"status", status}});
  }
  ctx["has_chain"] = true;
  ctx["chain_levels"] = levels;
  std::string requested;
  for (const auto& r : st.rows)
    if (r.round == st.round && r.decision == "requested")
      requested = "Visa demandé le " + fr::date_long(r.on) + " par " + actor_name(names, r.actor) +
                  (st.round > 1 ? " (tour " + std::to_string(st.round) + ")" : "") + ".";
  ctx["chain_requested"] = requested;
  // The button shows where the use case would accept the visa (app/approvals.h says who may).
  ctx["can_visa"] =
      st.awaited && permits(who.role, Action::MoveDossier) && in_service &&
      check_approval_actor(w.context(who), v.application, ApplicationEvent::Approve, st).ok();
  if (st.awaited) ctx["awaited_label"] = st.awaited->label;
}

}  // namespace

void add_workspace_dossier(mstch::map& ctx, WebContext& w, const ApplicationView& v,
                           const Principal& who, bool in_service) {
  const Caller me = caller_of(who);
  AssignmentView assigned;
  std::vector<UserRecord> accounts;
  bool following = false;
  run_read(w.store, [&](Transaction& tx) {
    auto a = assignment_of(tx, who.authority, v.application.number);
    if (a.ok()) assigned = a.value();
    accounts = assignable_accounts(tx, who.authority);
    following = follows_application(tx, who.authority, me, v.application.number);
    return 0;
  });
  ctx["assignee"] = assigned.display_name.empty() ? std::string("personne") : assigned.display_name;
  std::string my_login;
  for (const auto& u : accounts)
    if (u.id == me.user_id) my_login = u.login;
  const bool mine = !assigned.login.empty() && assigned.login == my_login;
  ctx["assigned_to_me"] = mine;
  const bool may_assign = permits(who.role, Action::MoveDossier) && in_service;
  ctx["can_assign_any"] = may_assign && who.role != Role::Instructor;
  // An instructor takes a dossier nobody instructs, or gives back their own.
  ctx["can_take"] = may_assign && who.role == Role::Instructor && !my_login.empty() &&
                    (assigned.login.empty() || mine);
  ctx["my_login"] = my_login;
  // The accounts that may instruct this dossier: not an instructor of another service.
  std::vector<UserRecord> eligible;
  for (const auto& u : accounts)
    if (u.role != "instructor" || u.service == v.scheme.service) eligible.push_back(u);
  ctx["assign_options"] = account_options(eligible, assigned.login);
  // Expert opinions: asked by those who instruct the dossier, answered by the service asked.
  std::vector<OpinionRecord> opinions;
  std::vector<std::string> services;
  run_read(w.store, [&](Transaction& tx) {
    auto o = opinions_of(tx, who.authority, v.application.number);
    if (o.ok()) opinions = o.value();
    services = opinion_services(tx, who.authority, v.scheme);
    return 0;
  });
  const auto names = w.actor_names(who.authority);
  mstch::array opinion_rows;
  for (const auto& o : opinions)
    opinion_rows.push_back(mstch::map{
        {"id", std::to_string(o.id)},
        {"service", o.service},
        {"question", o.question},
        {"requested", actor_name(names, o.requested_by) + ", " + when(o.requested_at)},
        {"opinion", opinion_label(o.opinion)},
        {"answered", !o.opinion.empty()},
        {"answer", o.answer},
        {"answered_by", o.answered_at
                            ? actor_name(names, o.answered_by) + ", " + when(*o.answered_at)
                            : std::string()},
        {"can_answer", o.opinion.empty() && permits(who.role, Action::MoveDossier) &&
                           (who.role == Role::Administrator || who.service == o.service)}});
  ctx["opinions"] = opinion_rows;
  ctx["has_opinions"] = !opinion_rows.empty();
  mstch::array service_options;
  for (const auto& s : services)
    service_options.push_back(mstch::map{{"value", s}});
  ctx["opinion_services"] = service_options;
  ctx["can_ask_opinion"] = may_assign && !services.empty();
  ctx["can_follow"] = me.user_id != 0;
  ctx["following"] = following;
  add_approval_chain(ctx, w, v, who, in_service);
}

namespace {

HttpResponse assign(WebContext& w, const HttpRequest& r, const std::string& number,
                    const Principal& who) {
  const Context ctx = w.context(who);
  auto done = run_write(w.store, [&](Transaction& tx) {
    return assign_application(tx, ctx, caller_of(who), number, param(r, "assignee"));
  });
  if (!done.ok()) return dossier_page(w, number, who, &done.refusal(), "", &r.query);
  return redirect("/dossiers/" + url_encode(number) + "?attribue=1");
}

HttpResponse follow(WebContext& w, const HttpRequest& r, const std::string& number,
                    const Principal& who) {
  const Context ctx = w.context(who);
  const bool on = param(r, "on") == "1";
  auto done = run_write(w.store, [&](Transaction& tx) -> Result<int> {
    auto s = follow_application(tx, ctx, caller_of(who), number, on);
    if (!s.ok()) return s.refusal();
    return 1;
  });
  if (!done.ok()) return dossier_page(w, number, who, &done.refusal());
  return redirect("/dossiers/" + url_encode(number) + (on ? "?suivi=1" : "?nonsuivi=1"));
}

// Where a bulk act returns: the list with its own query string, nothing else ("/dossiers?…" of
// letters, digits and the characters of an encoded query; no line break, no other path).
std::string safe_back(const std::string& back) {
  static const std::string allowed =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%&=._~+-";
  if (back == "/dossiers") return back;
  if (back.rfind("/dossiers?", 0) != 0 || back.size() > 2000 ||
      back.find_first_not_of(allowed, 10) != std::string::npos)
    return "/dossiers";
  return back;
}

// POST /dossiers/lot: the dossiers ticked ("n-EX070158" = 1), the act ("assign", "event" or
// "export") and its fields. All or nothing; the list comes back with the outcome.
HttpResponse bulk(WebContext& w, const HttpRequest& r, const Principal& who) {
  std::vector<std::string> numbers;
  for (const auto& [k, v] : r.query)
    if (k.rfind("n-", 0) == 0 && v == "1") numbers.push_back(k.substr(2));
  const std::string back = safe_back(param(r, "back"));
  const std::string act = param(r, "act");
  const Context ctx = w.context(who);
  Refusal refused;
  std::string done;
  if (act == "export") {
    std::string list;
    for (const auto& n : numbers)
      list += (list.empty() ? "" : " ") + n;
    if (numbers.empty())
      refused = refuse("bulk.empty", "numbers", "Cochez au moins un dossier de la liste.");
    else
      return redirect("/dossiers.xlsx?numbers=" + url_encode(list));
  } else if (act == "assign") {
    auto r2 = run_write(w.store, [&](Transaction& tx) {
      return bulk_assign(tx, ctx, caller_of(who), numbers, param(r, "assignee"));
    });
    if (r2.ok())
      done = std::to_string(r2->size());
    else
      refused = r2.refusal();
  } else if (act == "event") {
    EventInput in;
    in.event = param(r, "event");
    in.reason = param(r, "reason");
    auto r2 = run_write(w.store, [&](Transaction& tx) { return bulk_event(tx, ctx, numbers, in); });
    if (r2.ok())
      done = std::to_string(r2->size());
    else
      refused = r2.refusal();
  } else {
    refused = refuse("bulk.act", "act", "Choisissez l'action à appliquer aux dossiers cochés.");
  }
  if (refused.problems.empty())
    return redirect(back + (back.find('?') == std::string::npos ? "?" : "&") + "lot=" + done);
  return w.error_page("Action sur plusieurs dossiers", who, refused, 422);
}

HttpResponse ask_opinion(WebContext& w, const HttpRequest& r, const std::string& number,
                         const Principal& who) {
  const Context ctx = w.context(who);
  auto done = run_write(w.store, [&](Transaction& tx) {
    return request_opinion(tx, ctx, number, param(r, "service"), param(r, "question"));
  });
  if (!done.ok()) return dossier_page(w, number, who, &done.refusal(), "", &r.query);
  return redirect("/dossiers/" + url_encode(number) + "?avis=1#avis");
}

HttpResponse answer_opinion_form(WebContext& w, const HttpRequest& r, const std::string& number,
                                 const std::string& id, const Principal& who) {
  const Context ctx = w.context(who);
  auto done = run_write(w.store, [&](Transaction& tx) -> Result<OpinionRecord> {
    // The opinion must be this dossier's: the path names both.
    auto app = tx.applications().find_application(who.authority, number);
    auto o =
        id.size() <= 12 && id.find_first_not_of("0123456789") == std::string::npos && !id.empty()
            ? tx.workspace().get_opinion(who.authority, std::stoll(id))
            : std::nullopt;
    if (!app || !o || o->application != app->id)
      return refuse("opinion.unknown", "id",
                    "Aucune demande d'avis n° « " + id + " » sur ce dossier.");
    return give_opinion(tx, ctx, caller_of(who), id, param(r, "opinion-" + id),
                        param(r, "answer-" + id));
  });
  if (!done.ok()) return dossier_page(w, number, who, &done.refusal(), "", &r.query);
  return redirect("/dossiers/" + url_encode(number) + "?avis_donne=1");
}

HttpResponse save_search(WebContext& w, const HttpRequest& r, const Principal& who) {
  const Context ctx = w.context(who);
  auto saved = run_write(w.store, [&](Transaction& tx) {
    return save_filter(tx, ctx, caller_of(who), param(r, "name"), param(r, "query"));
  });
  if (!saved.ok()) return w.error_page("Enregistrer la recherche", who, saved.refusal(), 422);
  return redirect("/dossiers?" + saved->query);
}

HttpResponse delete_search(WebContext& w, const std::string& id, const Principal& who) {
  const Context ctx = w.context(who);
  auto deleted = run_write(w.store, [&](Transaction& tx) -> Result<int> {
    auto s = delete_filter(tx, ctx, caller_of(who), id);
    if (!s.ok()) return s.refusal();
    return 1;
  });
  if (!deleted.ok()) return w.error_page("Supprimer la recherche", who, deleted.refusal(), 422);
  return redirect("/dossiers");
}

}  // namespace

void add_workspace_pages(Router& router, WebContext& w) {
  router.add({"POST", "/dossiers/{number}/attribution", Access::needs(Action::MoveDossier),
              "Attribuer le dossier à un instructeur"},
             [&w](RouteCall& c) { return assign(w, c.request, c.param("number"), c.caller()); });
  router.add({"POST", "/dossiers/{number}/suivi", Access::needs(Action::Read),
              "Suivre le dossier (ou cesser)"},
             [&w](RouteCall& c) { return follow(w, c.request, c.param("number"), c.caller()); });
  router.add({"POST", "/dossiers/lot", Access::needs(Action::MoveDossier),
              "Attribuer, faire avancer ou exporter les dossiers cochés"},
             [&w](RouteCall& c) { return bulk(w, c.request, c.caller()); });
  router.add(
      {"POST", "/dossiers/{number}/avis", Access::needs(Action::MoveDossier),
       "Demander l'avis d'un autre service"},
      [&w](RouteCall& c) { return ask_opinion(w, c.request, c.param("number"), c.caller()); });
  router.add({"POST", "/dossiers/{number}/avis/{id}", Access::needs(Action::MoveDossier),
              "Donner l'avis demandé au service"},
             [&w](RouteCall& c) {
               return answer_opinion_form(w, c.request, c.param("number"), c.param("id"),
                                          c.caller());
             });
  router.add({"POST", "/recherches", Access::needs(Action::Read), "Enregistrer une recherche"},
             [&w](RouteCall& c) { return save_search(w, c.request, c.caller()); });
  router.add({"POST", "/recherches/{id}/suppression", Access::needs(Action::Read),
              "Supprimer une recherche enregistrée"},
             [&w](RouteCall& c) { return delete_search(w, c.param("id"), c.caller()); });
}

}  // namespace octroi::http::pages
