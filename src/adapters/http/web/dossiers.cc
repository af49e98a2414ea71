// The dossiers: the search (full text and filters, by pages) and a dossier's page (its plan,
// workflow, de minimis checks, history from the audit trail, private notes).
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/http/web/audit_words.h"
#include "adapters/http/web/pages.h"
#include "adapters/http/web/workspace.h"
#include "app/portal.h"
#include "app/ports/schemes.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

// The search's filters, as the page's form and the workbook's link name them.
constexpr FormField<ApplicationSearch> kSearchForm[] = {
    {"q", &ApplicationSearch::text},          {"state", &ApplicationSearch::state},
    {"scheme", &ApplicationSearch::scheme},   {"departement", &ApplicationSearch::departement},
    {"session", &ApplicationSearch::session}, {"sort", &ApplicationSearch::sort},
    {"order", &ApplicationSearch::order},     {"queue", &ApplicationSearch::queue},
    {"scope", &ApplicationSearch::scope},     {"assignee", &ApplicationSearch::assignee},
    {"numbers", &ApplicationSearch::numbers},
};

// The list's paging and sortable headers (`filters`: the search's query string, without the page
// nor the order): "304 dossier(s) — page 2 sur 7", the numbers of the pages around this one, and
// for each column a link that sorts by it (the other way round when it already does).
void add_paging(mstch::map& ctx, const std::string& filters, const ApplicationSearch& in,
                std::int64_t total, std::int64_t page_n) {
  const std::int64_t pages = std::max<std::int64_t>(1, (total + in.limit - 1) / in.limit);
  const std::string sorted = "&sort=" + url_encode(in.sort) + "&order=" + url_encode(in.order);
  const std::string base = "/dossiers?" + filters + sorted + "&page=";
  ctx["count"] = fr::integer(total);
  ctx["page_label"] = "page " + std::to_string(page_n) + " sur " + std::to_string(pages);
  if (page_n > 1) ctx["previous"] = base + std::to_string(page_n - 1);
  if (page_n < pages) ctx["next"] = base + std::to_string(page_n + 1);
  mstch::array numbers;
  for (std::int64_t n = 1; n <= pages; ++n) {
    // The first, the last, and two on each side of this one; "…" for the gaps.
    if (n != 1 && n != pages && (n < page_n - 2 || n > page_n + 2)) {
      if (n == page_n - 3 || n == page_n + 3) numbers.push_back(mstch::map{{"gap", true}});
      continue;
    }
    numbers.push_back(mstch::map{
        {"n", std::to_string(n)}, {"href", base + std::to_string(n)}, {"current", n == page_n}});
  }
  ctx["pages"] = numbers;
  const std::string sort = in.sort.empty() ? "number" : in.sort;
  const bool desc = in.order == "desc";
  mstch::array headers;
  for (const auto& [key, label, numeric] : std::vector<std::tuple<std::string, std::string, bool>>{
           {"number", "Numéro", false},
           {"beneficiary", "Bénéficiaire", false},
           {"title", "Projet", false},
           {"state", "État", false},
           {"submitted_on", "Dépôt", false},
           {"", "Base", true},
           {"amount", "Aide", true},
           {"", "Instruit par", false}}) {
    const bool active = key == sort;
    headers.push_back(
        mstch::map{{"label", label},
                   {"numeric", numeric},
                   {"sortable", !key.empty()},  // the base is computed, not stored: not sortable
                   {"href", "/dossiers?" + filters + "&sort=" + key +
                                "&order=" + std::string(active && !desc ? "desc" : "asc")},
                   {"aria_sort", std::string(!active ? "none"
                                             : desc  ? "descending"
                                                     : "ascending")},
                   {"arrow", std::string(!active ? ""
                                         : desc  ? " ↓"
                                                 : " ↑")}});
  }
  ctx["headers"] = headers;
}

HttpResponse dossiers(WebContext& w, const HttpRequest& r, const Principal& who) {
  ApplicationSearch in = search_of(r);
  set_viewer(in, who);
  in.limit = 50;
  const std::string page_s = param(r, "page");
  std::int64_t page_n = 1;
  if (!page_s.empty() && page_s.size() < 6 &&
      page_s.find_first_not_of("0123456789") == std::string::npos)
    page_n = std::max<std::int64_t>(1, std::stoll(page_s));
  in.offset = (page_n - 1) * in.limit;
  auto list = run_read(w.store,
                       [&](Transaction& tx) { return search_applications(tx, who.authority, in); });
  auto total = run_read(
      w.store, [&](Transaction& tx) { return count_search_applications(tx, who.authority, in); });
  auto schemes =
      run_read(w.store, [&](Transaction& tx) { return tx.schemes().list_schemes(who.authority); });
  auto sessions =
      run_read(w.store, [&](Transaction& tx) { return list_sessions(tx, who.authority); });
  mstch::array scheme_options, state_options, session_options, rows;
  for (const auto& s : schemes)
    scheme_options.push_back(mstch::map{{"value", s.number},
                                        {"label", s.number + " — " + s.name},
                                        {"selected", s.number == in.scheme}});
  for (ApplicationState s : all_states())
    state_options.push_back(mstch::map{{"value", std::string(to_string(s))},
                                       {"label", std::string(french(s))},
                                       {"selected", std::string(to_string(s)) == in.state}});
  if (sessions.ok())
    for (const auto& s : sessions.value())
      session_options.push_back(
          mstch::map{{"value", s.date.iso()},
                     {"label", std::string(french(s.body)) + " du " + fr::date_long(s.date)},
                     {"selected", s.date.iso() == in.session}});
  mstch::map ctx{{"q", in.text},
                 {"departement", in.departement},
                 {"export_href", "/dossiers.xlsx?" + list_filters(in)},
                 {"state_options", state_options},
                 {"scheme_options", scheme_options},
                 {"session_options", session_options}};
  if (!list.ok()) {
    ctx["count"] = std::string("0");
    ctx["dossiers"] = rows;
    return w.page("dossiers", "Dossiers", ctx, &who, &list.refusal(), 422);
  }
  const auto assignees = assignees_of(w, who, list.value());
  for (const auto& v : list.value()) {
    const Application& d = v.application;
    const auto assignee = assignees.find(d.number);
    rows.push_back(mstch::map{
        {"assignee", assignee == assignees.end() ? std::string("—") : assignee->second},
        {"number", d.number},
        {"party", v.party.legal_name},
        {"title", d.project.title},
        {"state", std::string(french(d.state()))},
        {"submitted", d.submitted_on ? fr::date_short(*d.submitted_on) : std::string("—")},
        {"base", fr::euros(v.plan.eligible_base)},
        {"award", d.award            ? fr::euros(d.award->amount)
                  : d.proposed_award ? fr::euros(*d.proposed_award)
                  : v.award          ? fr::euros(v.award->amount)
                                     : std::string("—")}});
  }
  const std::string filters = list_filters(in);
  add_workspace_list(ctx, w, in, who, !list->empty());
  ctx["csrf"] = who.csrf_token;
  ctx["back"] =
      "/dossiers?" + filters + "&sort=" + url_encode(in.sort) + "&order=" + url_encode(in.order);
  ctx["dossiers"] = rows;
  ctx["sort"] = in.sort;
  ctx["order"] = in.order;
  add_paging(ctx, filters, in, total.ok() ? total.value() : 0, page_n);
  const std::string lot = param(r, "lot");
  const std::string flash =
      lot.empty() || lot.size() > 3 || lot.find_first_not_of("0123456789") != std::string::npos
          ? std::string()
          : lot + " dossier(s) traité(s) en une fois.";
  return w.page("dossiers", "Dossiers", ctx, &who, nullptr, 200, flash);
}

// State aid on the dossier page: the de minimis checks made, and a new one at instruction when the
// scheme's regime is de minimis.
void add_state_aid(mstch::map& ctx, const AwardView& av, const Principal& who, bool in_service) {
  const auto& a = av.dossier.application;
  const AidRegime regime = aid_regime_of(a, av.dossier.scheme);
  const bool de_minimis = is_de_minimis(regime);
  ctx["regime"] = std::string(french(regime));
  ctx["de_minimis"] = de_minimis;
  mstch::array checks;
  for (const auto& c : av.state_aid_checks)
    checks.push_back(
        mstch::map{{"date", fr::date_long(c.checked_on)},
                   {"stage", std::string(to_string(c.stage))},
                   {"amount", fr::euros(c.amount)},
                   {"used", fr::euros(c.used)},
                   {"ceiling", fr::euros(c.ceiling)},
                   {"room", fr::euros(c.room)},
                   {"verdict", std::string(c.ok ? "sous le plafond" : "plafond dépassé")}});
  ctx["checks"] = checks;
  ctx["can_check"] = de_minimis && permits(who.role, Action::EditDossier) && in_service &&
                     a.state() != ApplicationState::Closed;
}

// The amount decided: proposed, beside the rule's when lower, with its reason; and, when a
// de minimis overrun would refuse it, the way out: the amount reduced to the single undertaking's
// room, proposed (under instruction) or reduced (already proposed). Checked as a what-if: showing
// the page records nothing.
void add_decided_amount(mstch::map& ctx, WebContext& w, const ApplicationView& v,
                        const Principal& who, bool in_service) {
  const auto& a = v.application;
  const Context scope = w.context(who);
  if (a.proposed_award) {
    ctx["proposed"] = fr::euros(*a.proposed_award);
    if (a.rule_award && *a.proposed_award < *a.rule_award) {
      ctx["rule_award"] = fr::euros(*a.rule_award);
      ctx["proposal_reason"] = a.proposal_reason;
    }
  }
  const bool before_vote =
      a.state() == ApplicationState::UnderInstruction || a.state() == ApplicationState::Proposed;
  if (before_vote && is_de_minimis(aid_regime_of(a, v.scheme)) &&
      permits(who.role, Action::MoveDossier) && in_service) {
    auto whatif = run_read(w.store, [&](Transaction& tx) {
      return check_state_aid(tx, scope, a.number, "instruction", std::nullopt, false);
    });
    if (whatif.ok() && !whatif->ok && whatif->room.is_positive())
      ctx["reduce_to_room"] = mstch::map{
          {"event", std::string(a.state() == ApplicationState::Proposed ? "reduce" : "propose")},
          {"amount", whatif->room.to_decimal_string()},
          {"room", fr::euros(whatif->room)},
          {"reason", "Plafond de minimis : montant réduit à la marge de l'entreprise unique (" +
                         fr::euros(whatif->room) + ")"}};
  }
}

// The dossier's audit trail, each entry in words (web/audit_words.h) above its raw data.
mstch::array audit_rows(WebContext& w, const Principal& who, const std::string& number,
                        const std::map<std::string, std::string>& names) {
  mstch::array audit;
  auto trail =
      run_read(w.store, [&](Transaction& tx) { return dossier_audit(tx, who.authority, number); });
  if (trail.ok())
    for (const auto& e : trail.value()) {
      mstch::array words;
      for (auto& line : audit_in_words(e.before, e.after))
        words.push_back(std::move(line));
      audit.push_back(mstch::map{{"seq", std::to_string(e.authority_seq)},
                                 {"has_words", !words.empty()},
                                 {"words", words},
                                 {"at", when(e.at)},
                                 {"actor", actor_name(names, e.actor)},
                                 {"action", audit_action_label(e.action)},
                                 {"before", e.before.empty() ? std::string("—") : e.before},
                                 {"after", e.after.empty() ? std::string("—") : e.after}});
    }
  return audit;
}

// The dossier page. `typed`: what a refused form held (the plan's amounts, an event's amount and
// reason, a note), shown again instead of the stored values so that nothing typed is lost.
mstch::map dossier_context(WebContext& w, const AwardView& av, const Principal& who,
                           const std::map<std::string, std::string>* typed) {
  const ApplicationView& v = av.dossier;
  const auto& a = v.application;
  const Context scope = w.context(who);
  const bool in_service = check_instructing_service(scope, v.scheme).ok();
  const bool editable =
      permits(who.role, Action::EditDossier) && plan_editable(a.state()) && in_service;
  auto typed_or = [&](const std::string& key, const std::string& stored) {
    if (!typed) return stored;
    const auto it = typed->find(key);
    return it == typed->end() ? stored : it->second;
  };
  const auto names = w.actor_names(who.authority);
  mstch::array expenses, resources, explanation, history;
  for (std::size_t i = 0; i < v.plan.expenses.size(); ++i) {
    const auto& l = v.plan.expenses[i];
    const std::string pos = std::to_string(i + 1);
    expenses.push_back(mstch::map{{"position", pos},
                                  {"label", l.label},
                                  {"amount", fr::euros(l.amount)},
                                  {"amount_raw", typed_or("expense-" + pos, fr::amount(l.amount))},
                                  {"share", share(l.share_bp)},
                                  {"eligible", std::string(l.eligible ? "oui" : "non")},
                                  {"eligible_flag", std::string(l.eligible ? "1" : "0")}});
  }
  for (std::size_t i = 0; i < v.plan.resources.size(); ++i) {
    const auto& l = v.plan.resources[i];
    const std::string pos = std::to_string(i + 1);
    resources.push_back(
        mstch::map{{"position", pos},
                   {"label", l.label},
                   {"amount", fr::euros(l.amount)},
                   {"amount_raw", typed_or("resource-" + pos, fr::amount(l.amount))},
                   {"share", share(l.share_bp)}});
  }
  for (const auto& h : v.history) {
    // Events of the workflow by their French name; the other history lines ("create",
    // "plan_edit") by a French phrase.
    ApplicationEvent e{};
    std::string what = h.event == "create"       ? "création"
                       : h.event == "plan_edit"  ? "modification du plan de financement"
                       : parse_event(h.event, e) ? std::string(french(e))
                                                 : h.event;
    history.push_back(mstch::map{{"at", when(h.at)},
                                 {"actor", actor_name(names, h.actor)},
                                 {"event", what},
                                 {"reason", h.reason}});
  }
  const mstch::array audit = audit_rows(w, who, a.number, names);
  mstch::map ctx{
      {"number", a.number},
      {"title", a.project.title},
      {"state", std::string(french(a.state()))},
      {"scheme_number", v.scheme.number},
      {"scheme_name", v.scheme.name},
      {"service", v.scheme.service},
      {"party", v.party.legal_name},
      {"siret", v.party.siret},
      {"description", a.project.description},
      {"start", fr::date_long(a.project.start)},
      {"end", fr::date_long(a.project.end)},
      {"place", a.project.place},
      {"basis", std::string(a.basis == AmountBasis::ExclTax ? "HT" : "TTC")},
      {"expenses", expenses},
      {"resources", resources},
      {"total_expenses", fr::euros(v.plan.total_expenses)},
      {"total_resources", fr::euros(v.plan.total_resources)},
      {"expense_shares", share(v.plan.expense_shares_sum_bp)},
      // Shares rounded one by one may add up to 100,01 %: the page says why.
      {"shares_over", v.plan.expense_shares_sum_bp != 10000 && v.plan.expense_shares_sum_bp > 0
                          ? share(v.plan.expense_shares_sum_bp)
                      : v.plan.resource_shares_sum_bp != 10000 && v.plan.resource_shares_sum_bp > 0
                          ? share(v.plan.resource_shares_sum_bp)
                          : std::string()},
      {"resource_shares", share(v.plan.resource_shares_sum_bp)},
      {"base", fr::euros(v.plan.eligible_base)},
      {"requested", fr::euros(v.plan.requested)},
      {"history", history},
      {"history_cut", v.history_total > static_cast<std::int64_t>(v.history.size())
                          ? "Les " + std::to_string(v.history.size()) +
                                " derniers événements sur " + std::to_string(v.history_total) + "."
                          : std::string()},
      {"audit", audit},
      {"editable", editable},
      {"csrf", who.csrf_token}};
  if (permits(who.role, Action::EditDossier) && !in_service)
    ctx["other_service"] = v.scheme.service.empty() ? std::string("aucun service (administrateurs)")
                                                    : v.scheme.service;
  // The workflow's events from this state, but those that only an act may cause (the vote,
  // the balance payment, the lapse sweep).
  mstch::array events;
  for (const auto& t : workflow_table()) {
    if (t.from != a.state()) continue;
    if (t.origin == Origin::Act) continue;
    // Out of instruction by the scheme's way (straight, or through its visas); after the visas,
    // the last one proposes the dossier itself.
    const bool chain = !v.scheme.approval_chain.empty();
    if (t.event == ApplicationEvent::Propose &&
        (chain || t.from != ApplicationState::UnderInstruction))
      continue;
    if (t.event == ApplicationEvent::RequestApproval && !chain) continue;
    const std::string value(to_string(t.event));
    events.push_back(mstch::map{{"value", value},
                                {"label", std::string(french(t.event))},
                                {"selected", typed_or("event", "") == value}});
  }
  ctx["can_move"] = permits(who.role, Action::MoveDossier) && !events.empty() && in_service;
  ctx["party_id"] = std::to_string(v.party.id.value);
  ctx["can_note"] = permits(who.role, Action::EditDossier) && in_service;
  auto notes = run_read(
      w.store, [&](Transaction& tx) { return notes_of_application(tx, who.authority, a.number); });
  mstch::array note_rows;
  if (notes.ok())
    for (const auto& n : notes.value())
      note_rows.push_back(mstch::map{
          {"author", actor_name(names, n.author)}, {"at", when(n.at)}, {"text", n.text}});
  ctx["notes"] = note_rows;
  ctx["events"] = events;
  // What a refused event or note form held, given back in its fields.
  ctx["typed_reason"] = typed_or("reason", "");
  ctx["typed_amount"] = typed_or("amount", "");
  ctx["typed_note"] = typed_or("text", "");
  if (a.early_start.requested && a.early_start.date)
    ctx["early_start"] = fr::date_long(*a.early_start.date);
  if (v.award) {
    for (const auto& step : v.award->explanation)
      explanation.push_back(step);
    ctx["award"] = fr::euros(v.award->amount);
    ctx["explanation"] = explanation;
  }
  if (a.award) {
    ctx["awarded"] = fr::euros(a.award->amount);
    ctx["award_page"] = true;
    ctx["paid"] = fr::euros(av.paid);
    ctx["agreement_state"] = std::string(!av.agreement               ? "à établir"
                                         : av.agreement->is_signed() ? "signée"
                                                                     : "en signature");
  }
  if (v.award_refusal) ctx["award_refusal"] = v.award_refusal->first().message;
  add_state_aid(ctx, av, who, in_service);
  add_decided_amount(ctx, w, v, who, in_service);
  add_workspace_dossier(ctx, w, v, who, in_service);
  return ctx;
}

}  // namespace

ApplicationSearch search_of(const HttpRequest& r) {
  return read_form(r, kSearchForm);
}

HttpResponse dossier_page(WebContext& w, const std::string& number, const Principal& who,
                          const Refusal* refusal, const std::string& flash,
                          const std::map<std::string, std::string>* typed) {
  auto v =
      run_read(w.store, [&](Transaction& tx) { return show_award(tx, who.authority, number); });
  if (!v.ok()) return w.not_found(who, v.refusal());
  const int status = !refusal ? 200 : refusal->first().code == "auth.service" ? 403 : 422;
  mstch::map ctx = dossier_context(w, v.value(), who, typed);
  // A dossier made on the portal: by whom, and its acknowledgements of receipt.
  const auto origin = run_read(w.store, [&](Transaction& tx) {
    return portal_origin(tx, who.authority, v->dossier.application.id);
  });
  if (origin) {
    mstch::array receipts;
    for (const auto& r : origin->receipts)
      receipts.push_back(mstch::map{{"round", std::to_string(r.round)},
                                    {"received", when(r.received_at)},
                                    {"rejection", fr::date_long(r.implicit_rejection_on)}});
    mstch::array messages, files;
    for (const auto& m : origin->messages)
      messages.push_back(
          mstch::map{{"from", m.author_kind == "applicant"
                                  ? m.author
                                  : actor_name(w.actor_names(who.authority), m.author)},
                     {"applicant", m.author_kind == "applicant"},
                     {"at", when(m.at)},
                     {"text", m.text},
                     {"file", message_file(origin->files, m.id)}});
    for (const auto& f : origin->files)
      files.push_back(
          mstch::map{{"id", std::to_string(f.id)},
                     {"name", f.name},
                     {"piece", f.piece},
                     {"type", f.mime},
                     {"size", fr::integer(f.size) + " octets"},
                     {"from", f.author},
                     {"at", when(f.at)},
                     {"scan", f.scan == "clean" ? "analysé par " + f.scanner + " : sain"
                                                : std::string("non analysé par un antivirus")},
                     {"removed", f.removed_at ? when(*f.removed_at) : std::string()}});
    ctx["portal"] = mstch::map{
        {"email", origin->email}, {"receipts", receipts}, {"messages", messages}, {"files", files}};
  }
  return w.page("dossier", "Dossier " + number, ctx, &who, refusal, status, flash);
}

void add_dossier_pages(Router& router, WebContext& w) {
  router.add({"GET", "/dossiers", Access::needs(Action::Read), "Les dossiers (recherche)"},
             [&w](RouteCall& c) { return dossiers(w, c.request, c.caller()); });
  router.add(
      {"GET", "/dossiers/{number}", Access::needs(Action::Read), "Un dossier"}, [&w](RouteCall& c) {
        return dossier_page(w, c.param("number"), c.caller(), nullptr,
                            flash_of(c.request, {{"note", "Note ajoutée."},
                                                 {"modifie", "Plan de financement enregistré."},
                                                 {"evenement", "Le dossier a avancé."},
                                                 {"minimis", "Contrôle de minimis enregistré."},
                                                 {"attribue", "Attribution enregistrée."},
                                                 {"avis", "Demande d'avis envoyée."},
                                                 {"avis_donne", "Avis enregistré."},
                                                 {"suivi", "Vous suivez ce dossier."},
                                                 {"nonsuivi", "Vous ne suivez plus ce dossier."},
                                                 {"message", "Message envoyé au demandeur."}}));
      });
}

}  // namespace octroi::http::pages
