// The applicant portal's catalogue, the applicant's space and dossiers (issue 19): the form of a
// dossier (project, dates, place, early start, the financing plan line by line with live totals),
// drafts saved, the submission and its acknowledgement of receipt.
#include <algorithm>
#include <string>

#include "adapters/http/file_tools.h"
#include "adapters/http/web/pages.h"
#include "app/files.h"
#include "app/portal.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

constexpr std::size_t kMinRows = 6;
constexpr std::size_t kMaxRows = 40;

bool text_blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

mstch::array lines_of(const std::string& text) {
  mstch::array out;
  for (const auto& l : split_lines(text))
    out.push_back(mstch::map{{"line", l}});
  return out;
}

mstch::map catalogue_row(const CatalogueEntry& e) {
  return mstch::map{
      {"number", e.scheme.number},
      {"name", e.scheme.name},
      {"open", e.open},
      {"opens", e.scheme.opens_on ? fr::date_long(*e.scheme.opens_on) : std::string()},
      {"closes", e.scheme.closes_on ? fr::date_long(*e.scheme.closes_on) : std::string()},
      {"rule", e.rule},
      {"eligibility", lines_of(e.portal.eligibility)},
      {"documents", lines_of(e.portal.documents)},
      {"max_size", fr::integer(e.portal.max_file_bytes / (1024 * 1024)) + " Mio"},
  };
}

HttpResponse catalogue_page(WebContext& w, const HttpRequest& r) {
  auto caller = applicant_of(w, r);
  const Principal* who = caller.ok() ? &caller.value() : nullptr;
  auto a = portal_authority_of(w);
  if (!a.ok())
    return w.portal_page("error", "Portail indisponible",
                         {{"heading", std::string("Portail indisponible")}}, who, &a.refusal(),
                         503);
  const std::string q = param(r, "q");
  const auto entries = run_read(
      w.store, [&](Transaction& tx) { return portal_catalogue(tx, a->id, w.clock.today(), q); });
  mstch::array rows;
  for (const auto& e : entries)
    rows.push_back(catalogue_row(e));
  return w.portal_page("portal_catalogue", "Les aides",
                       {{"authority", a->name},
                        {"q", q},
                        {"schemes", rows},
                        {"none", rows.empty()},
                        {"count", std::to_string(rows.size())}},
                       who);
}

HttpResponse scheme_page(WebContext& w, const HttpRequest& r, const std::string& number) {
  auto caller = applicant_of(w, r);
  const Principal* who = caller.ok() ? &caller.value() : nullptr;
  auto a = portal_authority_of(w);
  auto e = a.ok() ? run_read(w.store,
                             [&](Transaction& tx) {
                               return portal_scheme(tx, a->id, w.clock.today(), number);
                             })
                  : Result<CatalogueEntry>(a.refusal());
  if (!e.ok())
    return w.portal_page("error", "Introuvable", {{"heading", std::string("Introuvable")}}, who,
                         &e.refusal(), 404);
  return w.portal_page("portal_scheme", e->scheme.name,
                       {{"scheme", catalogue_row(e.value())}, {"signed_in", who != nullptr}}, who);
}

// ---- the dossier's form ----------------------------------------------------------------------

mstch::array kind_options(const std::string& selected) {
  mstch::array out;
  for (const auto& k : kResourceKindNames.rows())
    out.push_back(mstch::map{{"value", std::string(k.code)},
                             {"label", std::string(k.label)},
                             {"selected", selected == k.code}});
  return out;
}

// The form's rows: the lines typed (or stored), then blank ones up to kMinRows and 3 more.
mstch::map form_of(const ApplicationInput& in) {
  mstch::array expenses, resources;
  const std::size_t ne = std::min(kMaxRows, std::max(kMinRows, in.expenses.size() + 3));
  const std::size_t nr = std::min(kMaxRows, std::max(kMinRows, in.resources.size() + 3));
  for (std::size_t i = 0; i < ne; ++i) {
    const ExpenseInput e = i < in.expenses.size() ? in.expenses[i] : ExpenseInput{};
    expenses.push_back(mstch::map{{"n", std::to_string(i + 1)},
                                  {"label", e.label},
                                  {"amount", e.amount},
                                  {"eligible", i >= in.expenses.size() || e.eligible}});
  }
  for (std::size_t i = 0; i < nr; ++i) {
    const ResourceInput x = i < in.resources.size() ? in.resources[i] : ResourceInput{};
    resources.push_back(mstch::map{{"n", std::to_string(i + 1)},
                                   {"label", x.label},
                                   {"amount", x.amount},
                                   {"kinds", kind_options(x.kind)}});
  }
  return mstch::map{{"title", in.title},
                    {"description", in.description},
                    {"place", in.place},
                    {"start", in.start},
                    {"end", in.end},
                    {"early_start", in.early_start},
                    {"early_start_date", in.early_start_date},
                    {"early_start_justification", in.early_start_justification},
                    {"reference_year", in.reference_year},
                    {"requested", in.requested},
                    {"expenses", expenses},
                    {"resources", resources}};
}

// The form as typed: the lines whose label or amount is filled, in order.
ApplicationInput input_of(const HttpRequest& r) {
  ApplicationInput in;
  in.title = param(r, "title");
  in.description = param(r, "description");
  in.place = param(r, "place");
  in.start = param(r, "start");
  in.end = param(r, "end");
  in.early_start = param(r, "early_start") == "1";
  in.early_start_date = param(r, "early_start_date");
  in.early_start_justification = param(r, "early_start_justification");
  in.reference_year = param(r, "reference_year");
  in.requested = param(r, "requested");
  const std::string party = param(r, "party");
  if (!party.empty() && party.size() < 19 && party.find_first_not_of("0123456789") == party.npos)
    in.party_id = std::stoll(party);
  for (std::size_t i = 1; i <= kMaxRows; ++i) {
    const std::string n = std::to_string(i);
    const std::string label = param(r, "expense-" + n + "-label"),
                      amount = param(r, "expense-" + n);
    if (!text_blank(label) || !text_blank(amount))
      in.expenses.push_back({label, amount, param(r, "expense-" + n + "-eligible") == "1"});
    const std::string rlabel = param(r, "resource-" + n + "-label"),
                      ramount = param(r, "resource-" + n);
    if (!text_blank(rlabel) || !text_blank(ramount)) {
      ResourceInput x;
      x.label = rlabel;
      x.amount = ramount;
      x.kind = param(r, "resource-" + n + "-kind");
      in.resources.push_back(x);
    }
  }
  return in;
}

ApplicationInput input_of(const Application& app) {
  ApplicationInput in;
  in.title = app.project.title;
  in.description = app.project.description;
  in.place = app.project.place;
  in.start = fr::date_short(app.project.start);
  in.end = fr::date_short(app.project.end);
  in.early_start = app.early_start.requested;
  if (app.early_start.date) in.early_start_date = fr::date_short(*app.early_start.date);
  in.early_start_justification = app.early_start.justification;
  in.reference_year = std::to_string(app.reference_year);
  if (app.requested_amount) in.requested = fr::amount(*app.requested_amount);
  for (const auto& e : app.plan.expenses)
    in.expenses.push_back({e.label, fr::amount(e.amount), e.eligible});
  for (const auto& x : app.plan.resources) {
    ResourceInput ri;
    ri.label = x.label;
    ri.amount = fr::amount(x.amount);
    ri.kind = std::string(kResourceKindNames.code(x.kind));
    ri.status = x.status;
    in.resources.push_back(ri);
  }
  return in;
}

mstch::array organisation_options(const std::vector<OrganisationView>& orgs, std::int64_t chosen) {
  mstch::array out;
  for (const auto& o : orgs)
    if (o.role != "pending")
      out.push_back(mstch::map{{"id", std::to_string(o.party.id.value)},
                               {"name", o.party.legal_name},
                               {"selected", o.party.id.value == chosen}});
  return out;
}

HttpResponse new_dossier_page(WebContext& w, const HttpRequest& r, const Principal& who,
                              const std::string& number, const Refusal* refusal = nullptr) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto e = run_read(w.store, [&](Transaction& tx) {
    return portal_scheme(tx, who.authority, w.clock.today(), number);
  });
  if (!e.ok())
    return w.portal_page("error", "Introuvable", {{"heading", std::string("Introuvable")}}, &who,
                         &e.refusal(), 404);
  const auto orgs = run_read(w.store, [&](Transaction& tx) { return organisations_of(tx, ac); });
  ApplicationInput in = refusal ? input_of(r) : ApplicationInput{};
  if (!refusal) in.reference_year = std::to_string(w.clock.today().year());
  mstch::map ctx = form_of(in);
  ctx["scheme"] = catalogue_row(e.value());
  ctx["organisations"] = organisation_options(orgs, in.party_id);
  ctx["no_organisation"] = orgs.empty();
  ctx["csrf"] = who.csrf_token;
  ctx["action"] = "/portail/dispositifs/" + url_encode(e->scheme.number) + "/demande";
  ctx["creating"] = true;
  return w.portal_page("portal_dossier_form", "Nouvelle demande — " + e->scheme.name, ctx, &who,
                       refusal, refusal ? 422 : 200);
}

HttpResponse create_dossier(WebContext& w, const HttpRequest& r, const Principal& who,
                            const std::string& number) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  ApplicationInput in = input_of(r);
  in.scheme_number = number;
  auto made =
      run_write(w.store, [&](Transaction& tx) { return portal_create_dossier(tx, ac, in); });
  if (!made.ok()) return new_dossier_page(w, r, who, number, &made.refusal());
  return redirect("/portail/dossiers/" + url_encode(made->view.application.number) + "?cree=1");
}

mstch::array plan_rows(const std::vector<PrintedLine>& lines, bool expenses) {
  mstch::array out;
  for (const auto& l : lines)
    out.push_back(mstch::map{{"label", l.label},
                             {"amount", fr::euros(l.amount)},
                             {"share", share(l.share_bp)},
                             {"eligible", !expenses || l.eligible}});
  return out;
}

mstch::array receipt_rows(const std::vector<ReceiptRecord>& receipts) {
  mstch::array out;
  for (const auto& rc : receipts)
    out.push_back(mstch::map{{"round", std::to_string(rc.round)},
                             {"received", when(rc.received_at)},
                             {"rejection", fr::date_long(rc.implicit_rejection_on)}});
  return out;
}

}  // namespace

HttpResponse portal_dossier_page(WebContext& w, const HttpRequest& r, const Principal& who,
                                 const std::string& number, const Refusal* refusal) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto d = run_read(w.store, [&](Transaction& tx) { return portal_dossier(tx, ac, number); });
  if (!d.ok())
    return w.portal_page("error", "Introuvable", {{"heading", std::string("Introuvable")}}, &who,
                         &d.refusal(), 404);
  const auto& v = d->view;
  mstch::map ctx = form_of(refusal ? input_of(r) : input_of(v.application));
  ctx["number"] = v.application.number;
  ctx["scheme_name"] = v.scheme.name;
  ctx["party"] = v.party.legal_name;
  ctx["state"] = d->state_label;
  ctx["editable"] = d->editable;
  ctx["incomplete"] = v.application.state() == ApplicationState::Incomplete;
  ctx["csrf"] = who.csrf_token;
  ctx["action"] = "/portail/dossiers/" + url_encode(v.application.number);
  ctx["plan_expenses"] = plan_rows(v.plan.expenses, true);
  ctx["plan_resources"] = plan_rows(v.plan.resources, false);
  ctx["total_expenses"] = fr::euros(v.plan.total_expenses);
  ctx["total_resources"] = fr::euros(v.plan.total_resources);
  ctx["eligible_base"] = fr::euros(v.plan.eligible_base);
  ctx["balanced"] = v.plan.balanced;
  ctx["award"] = v.award ? fr::euros(v.award->amount) : std::string();
  ctx["awarded"] = v.application.award.has_value();
  ctx["receipts"] = receipt_rows(d->receipts);
  ctx["has_receipts"] = !d->receipts.empty();
  std::string reason;
  for (const auto& h : v.history)
    if (h.event == "declare_incomplete") reason = h.reason;
  ctx["missing"] = reason;
  mstch::array messages;
  for (const auto& m : d->messages)
    messages.push_back(mstch::map{
        {"from", m.author_kind == "applicant" ? m.author : std::string("Service instructeur")},
        {"at", when(m.at)},
        {"text", m.text},
        {"file", message_file(d->files, m.id)}});
  ctx["messages"] = messages;
  add_files_context(ctx, *d, v.application.number);
  return w.portal_page("portal_dossier", "Dossier " + v.application.number, ctx, &who, refusal,
                       refusal ? 422 : 200,
                       flash_of(r, {{"cree", "Brouillon créé : complétez-le puis déposez-le."},
                                    {"enregistre", "Brouillon enregistré."},
                                    {"message", "Message envoyé au service instructeur."},
                                    {"fichier", "Fichier joint au dossier."},
                                    {"retrait", "Fichier retiré du dossier."},
                                    {"depose",
                                     "Demande déposée : l'accusé de réception vous a été "
                                     "envoyé par courriel."}}));
}

namespace {

HttpResponse save_dossier(WebContext& w, const HttpRequest& r, const Principal& who,
                          const std::string& number) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto saved = run_write(
      w.store, [&](Transaction& tx) { return portal_edit_dossier(tx, ac, number, input_of(r)); });
  if (!saved.ok()) {
    if (saved.refusal().first().code == "portal.not_found")
      return portal_dossier_page(w, r, who, number);
    return portal_dossier_page(w, r, who, number, &saved.refusal());
  }
  return redirect("/portail/dossiers/" + url_encode(number) + "?enregistre=1");
}

HttpResponse submit_dossier(WebContext& w, const HttpRequest& r, const Principal& who,
                            const std::string& number) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto done = run_write(
      w.store, [&](Transaction& tx) { return portal_submit(tx, ac, number, w.options.portal); });
  if (!done.ok()) return portal_dossier_page(w, r, who, number, &done.refusal());
  return redirect("/portail/dossiers/" + url_encode(number) + "?depose=1");
}

HttpResponse message_post(WebContext& w, const HttpRequest& r, const Principal& who,
                          const std::string& number) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  Upload up = upload_of(r, "file", "");
  auto posted = up.bytes.empty() && up.filename.empty()
                    ? run_write(w.store,
                                [&](Transaction& tx) {
                                  return portal_post_message(tx, ac, number, param(r, "text"));
                                })
                    : portal_post_message_with_file(w.store, ac, number, param(r, "text"),
                                                    std::move(up), w.files);
  if (!posted.ok()) return portal_dossier_page(w, r, who, number, &posted.refusal());
  return redirect("/portail/dossiers/" + url_encode(number) + "?message=1#h-messages");
}

HttpResponse receipt_page(WebContext& w, const Principal& who, const std::string& number) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  auto d = run_read(w.store, [&](Transaction& tx) { return portal_dossier(tx, ac, number); });
  if (!d.ok() || d->receipts.empty()) {
    const Refusal none =
        d.ok() ? refuse("portal.no_receipt", "number", "Ce dossier n'a pas encore été déposé.")
               : d.refusal();
    return w.portal_page("error", "Introuvable", {{"heading", std::string("Introuvable")}}, &who,
                         &none, 404);
  }
  const auto& v = d->view;
  const ReceiptRecord& rc = d->receipts.back();
  auto a = portal_authority_of(w);
  return w.portal_page("portal_receipt", "Accusé de réception — " + v.application.number,
                       {{"number", v.application.number},
                        {"title", v.application.project.title},
                        {"scheme", v.scheme.name},
                        {"party", v.party.legal_name},
                        {"received", when(rc.received_at)},
                        {"rejection", fr::date_long(rc.implicit_rejection_on)},
                        {"round", std::to_string(rc.round)},
                        {"resubmission", rc.round > 1},
                        {"service", v.scheme.service.empty() ? (a.ok() ? a->name : std::string())
                                                             : v.scheme.service},
                        {"authority", a.ok() ? a->name : std::string()},
                        {"address", a.ok() ? a->address : std::string()},
                        {"contact", d->contact}},
                       &who);
}

}  // namespace

HttpResponse space_page(WebContext& w, const HttpRequest& r, const Principal& who,
                        const Refusal* refusal, int status) {
  const ApplicantContext ac = applicant_context(who, w.clock);
  const auto orgs = run_read(w.store, [&](Transaction& tx) { return organisations_of(tx, ac); });
  const auto dossiers = run_read(w.store, [&](Transaction& tx) { return portal_dossiers(tx, ac); });
  mstch::array org_rows, dossier_rows;
  for (const auto& o : orgs) {
    mstch::array members;
    for (const auto& m : o.members)
      members.push_back(mstch::map{{"email", m},
                                   {"removable", o.role == "owner" && m != ac.email},
                                   {"leave", o.role == "member" && m == ac.email},
                                   {"party", std::to_string(o.party.id.value)},
                                   {"csrf", who.csrf_token}});
    org_rows.push_back(mstch::map{{"id", std::to_string(o.party.id.value)},
                                  {"name", o.party.legal_name},
                                  {"siret", o.party.siret.empty() ? o.party.siren : o.party.siret},
                                  {"rna", o.party.rna},
                                  {"owner", o.role == "owner"},
                                  {"pending", o.role == "pending"},
                                  {"members", members}});
  }
  for (const auto& d : dossiers) {
    const auto& v = d.view;
    dossier_rows.push_back(mstch::map{{"number", v.application.number},
                                      {"title", v.application.project.title},
                                      {"scheme", v.scheme.name},
                                      {"party", v.party.legal_name},
                                      {"state", d.state_label},
                                      {"asked", fr::euros(v.plan.requested)}});
  }
  mstch::map ctx{{"organisations", org_rows},
                 {"has_organisations", !orgs.empty()},
                 {"dossiers", dossier_rows},
                 {"has_dossiers", !dossiers.empty()},
                 {"csrf", who.csrf_token}};
  const auto account =
      run_read(w.store, [&](Transaction& tx) { return tx.portal().get_applicant(ac.account_id); });
  ctx["digest"] = account && account->mail_digest;
  for (const auto* f : {"legal_name", "siret", "rna", "legal_status", "first_name", "last_name",
                        "role", "address_line1", "postal_code", "city"})
    ctx[f] = param(r, f);
  return w.portal_page(
      "portal_space", "Mon espace", ctx, &who, refusal, status,
      flash_of(r, {{"organisation", "Vous agissez désormais pour cette organisation."},
                   {"invitation", "Invitation envoyée par courriel."},
                   {"courriels", "Préférence de courriels enregistrée."},
                   {"retrait", "C'est fait : la personne retirée en est prévenue par courriel."}}));
}

void add_portal_dossier_pages(Router& router, WebContext& w) {
  router.add({"GET", "/portail", Access::anyone(), "Portail : les aides ouvertes"},
             [&w](RouteCall& c) { return catalogue_page(w, c.request); });
  router.add(
      {"GET", "/portail/dispositifs/{number}", Access::anyone(), "Portail : un dispositif d'aide"},
      [&w](RouteCall& c) { return scheme_page(w, c.request, c.param("number")); });
  router.add({"GET", "/portail/espace", Access::needs(Action::Apply),
              "Portail : mes organisations et mes dossiers"},
             [&w](RouteCall& c) { return space_page(w, c.request, c.caller(), nullptr, 200); });
  router.add(
      {"GET", "/portail/dispositifs/{number}/demande", Access::needs(Action::Apply),
       "Portail : nouvelle demande"},
      [&w](RouteCall& c) { return new_dossier_page(w, c.request, c.caller(), c.param("number")); });
  router.add(
      {"POST", "/portail/dispositifs/{number}/demande", Access::needs(Action::Apply),
       "Portail : créer le brouillon d'une demande"},
      [&w](RouteCall& c) { return create_dossier(w, c.request, c.caller(), c.param("number")); });
  router.add({"GET", "/portail/dossiers/{number}", Access::needs(Action::Apply),
              "Portail : un de mes dossiers"},
             [&w](RouteCall& c) {
               return portal_dossier_page(w, c.request, c.caller(), c.param("number"));
             });
  router.add(
      {"POST", "/portail/dossiers/{number}", Access::needs(Action::Apply),
       "Portail : enregistrer le brouillon"},
      [&w](RouteCall& c) { return save_dossier(w, c.request, c.caller(), c.param("number")); });
  router.add(
      {"POST", "/portail/dossiers/{number}/depot", Access::needs(Action::Apply),
       "Portail : déposer la demande"},
      [&w](RouteCall& c) { return submit_dossier(w, c.request, c.caller(), c.param("number")); });
  router.add(
      {"POST", "/portail/dossiers/{number}/messages", Access::needs(Action::Apply),
       "Portail : écrire au service instructeur"},
      [&w](RouteCall& c) { return message_post(w, c.request, c.caller(), c.param("number")); });
  add_portal_file_pages(router, w);
  add_portal_award_pages(router, w);
  router.add({"GET", "/portail/dossiers/{number}/recepisse", Access::needs(Action::Apply),
              "Portail : accusé de réception"},
             [&w](RouteCall& c) { return receipt_page(w, c.caller(), c.param("number")); });
}

}  // namespace octroi::http::pages
