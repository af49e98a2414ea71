// Sessions' reports: the list and the creation of a report, a report (its articles, the vote's
// dry run per budget line, its documents), articles added and removed, the adoption behind a
// confirmation.
#include <cctype>
#include <optional>
#include <string>

#include "adapters/http/web/pages.h"
#include "app/ports/ledger.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

constexpr FormField<ReportInput> kReportForm[] = {
    {"number", &ReportInput::number},
    {"title", &ReportInput::title},
    {"body", &ReportInput::body},
    {"session_date", &ReportInput::session_date},
};
constexpr FormField<ArticleInput> kArticleForm[] = {
    {"kind", &ArticleInput::kind},
    {"title", &ArticleInput::title},
    {"line", &ArticleInput::line},
    {"amount", &ArticleInput::amount},
    {"scheme", &ArticleInput::scheme},
    {"party", &ArticleInput::party},
    {"planned_total", &ArticleInput::planned_total},
    {"tranche_rate", &ArticleInput::tranche_rate},
    {"application", &ArticleInput::application},
    {"new_end", &ArticleInput::new_end},
};

HttpResponse reports(WebContext& w, const Principal& who, const Refusal* refusal = nullptr) {
  auto list = run_read(w.store, [&](Transaction& tx) { return list_reports(tx, who.authority); });
  mstch::array rows;
  if (list.ok())
    for (const auto& rep : list.value())
      rows.push_back(mstch::map{{"number", rep.number},
                                {"href", url_encode(rep.number)},
                                {"title", rep.title},
                                {"state", std::string(french(rep.state))}});
  return w.page("reports", "Séances et rapports",
                {{"reports", rows},
                 {"can_compose", permits(who.role, Action::ManageReports)},
                 {"csrf", who.csrf_token}},
                &who, refusal, refusal ? 422 : 200);
}

// What a refused article form held (`typed`: its fields), "" when absent or not refused: the
// page shows it again, so that nothing typed is lost.
std::string typed_field(const std::map<std::string, std::string>* typed, const std::string& k) {
  if (!typed) return "";
  const auto it = typed->find(k);
  return it == typed->end() ? std::string() : it->second;
}

// The article form's text fields and kind, as typed.
void keep_article_form(mstch::map& ctx, const std::map<std::string, std::string>* typed) {
  for (const char* k :
       {"title", "amount", "planned_total", "tranche_rate", "application", "new_end"})
    ctx[std::string("typed_") + k] = typed_field(typed, k);
  mstch::array kinds;
  for (const auto& [code, label] : std::vector<std::pair<std::string, std::string>>{
           {"scheme_awards", "subventions au titre d'un dispositif"},
           {"tranche", "tranche d'une subvention globale"},
           {"direct", "opération directe"},
           {"transfer", "avenant de transfert"},
           {"amount_change", "avenant de montant"},
           {"extension", "avenant de prolongation"}})
    kinds.push_back(mstch::map{
        {"value", code}, {"label", label}, {"selected", typed_field(typed, "kind") == code}});
  ctx["kinds"] = kinds;
}

HttpResponse report(WebContext& w, const std::string& number, const Principal& who,
                    const Refusal* refusal = nullptr, const std::string& flash = "",
                    const std::map<std::string, std::string>* typed = nullptr) {
  auto v =
      run_read(w.store, [&](Transaction& tx) { return show_report(tx, who.authority, number); });
  if (!v.ok()) return w.not_found(who, v.refusal());
  const auto& rv = v.value();
  mstch::array articles;
  for (const auto& av : rv.articles) {
    mstch::array dossiers;
    for (const auto& app : av.applications) {
      // The amount decided (or awarded), and the rule's beside it when it was lowered.
      const Application& d = app.application;
      const std::optional<Money> decided =
          d.award ? std::optional<Money>(d.award->amount) : d.proposed_award;
      mstch::map row{{"number", d.number},
                     {"party", app.party.legal_name},
                     {"award", decided     ? fr::euros(*decided)
                               : app.award ? fr::euros(app.award->amount)
                                           : std::string("—")}};
      if (decided && d.rule_award && *decided < *d.rule_award)
        row["reduced"] = "barème " + fr::euros(*d.rule_award) + " ; " + d.proposal_reason;
      // The committee lowers a dossier's amount here, before its vote.
      const bool lowerable = rv.report.state == ReportState::Draft &&
                             permits(who.role, Action::ManageReports) &&
                             d.state() == ApplicationState::Proposed;
      row["can_lower"] = lowerable;
      if (lowerable) {
        const bool mine = typed_field(typed, "dossier") == d.number;
        row["href"] = url_encode(rv.report.number);
        row["csrf"] = who.csrf_token;
        row["typed_amount"] = mine ? typed_field(typed, "lower_amount") : std::string();
        row["typed_reason"] = mine ? typed_field(typed, "lower_reason") : std::string();
        row["open"] = mine;
      }
      dossiers.push_back(row);
    }
    articles.push_back(mstch::map{
        {"position", std::to_string(av.article.position)},
        {"kind", std::string(french(av.article.kind))},
        {"title", av.article.title},
        {"line", std::to_string(av.line.fiscal_year) + "/" + av.line.action},
        {"amount", fr::euros(av.article.amount)},
        {"has_dossiers", !dossiers.empty()},
        {"dossiers", dossiers},
        {"can_remove",
         rv.report.state == ReportState::Draft && permits(who.role, Action::ManageReports)},
        {"href", url_encode(rv.report.number)},
        {"csrf", who.csrf_token}});
  }
  const bool draft = rv.report.state == ReportState::Draft;
  const bool can_adopt = permits(who.role, Action::ManageReports) && draft;
  // The AE/AP check before the vote (show_report plays the vote without recording it).
  mstch::array checks, lines;
  for (const auto& c : rv.checks)
    checks.push_back(mstch::map{{"line", std::to_string(c.line.fiscal_year) + "/" + c.line.action},
                                {"needed", fr::euros(c.needed)},
                                {"available", fr::euros(c.available)},
                                {"verdict", std::string(c.enough ? "suffisant" : "insuffisant")}});
  auto budget = run_read(w.store, [&](Transaction& tx) {
    return tx.ledger().list_budget_lines(who.authority, std::nullopt);
  });
  for (const auto& l : budget) {
    const std::string key = std::to_string(l.fiscal_year) + "/" + l.action;
    lines.push_back(mstch::map{
        {"key", key}, {"label", l.action_label}, {"selected", typed_field(typed, "line") == key}});
  }
  mstch::array schemes, proposed, parties;
  if (draft && permits(who.role, Action::ManageReports)) {
    for (const auto& pa : run_read(
             w.store, [&](Transaction& tx) { return tx.parties().list_parties(who.authority); }))
      parties.push_back(
          mstch::map{{"id", std::to_string(pa.id.value)},
                     {"name", pa.legal_name},
                     {"selected", typed_field(typed, "party") == std::to_string(pa.id.value)}});
    for (const auto& sc : run_read(
             w.store, [&](Transaction& tx) { return tx.schemes().list_schemes(who.authority); }))
      schemes.push_back(mstch::map{{"number", sc.number},
                                   {"name", sc.name},
                                   {"selected", typed_field(typed, "scheme") == sc.number}});
    auto ready = run_read(w.store, [&](Transaction& tx) {
      ApplicationFilter f;
      f.state = ApplicationState::Proposed;
      f.limit = 1000;
      return list_applications(tx, who.authority, f);
    });
    if (ready.ok())
      for (const auto& d : ready.value())
        proposed.push_back(mstch::map{
            {"number", d.application.number},
            {"party", d.party.legal_name},
            {"award", d.application.proposed_award ? fr::euros(*d.application.proposed_award)
                      : d.award                    ? fr::euros(d.award->amount)
                                                   : std::string("—")},
            {"checked", typed_field(typed, "application-" + d.application.number) == "1"}});
  }
  // The session's documents (report, deliberation, annexes), each downloadable.
  mstch::array docs;
  auto wanted = run_read(w.store, [&](Transaction& tx) {
    return report_documents(tx, who.authority, rv.report.number);
  });
  if (wanted.ok())
    for (const auto& d : wanted.value()) {
      std::string label(french(d.kind));
      if (!d.number.empty()) label += " " + d.number;
      label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
      docs.push_back(mstch::map{{"file", d.file}, {"label", label}});
    }
  // The adoption is offered only when the vote played without being recorded would pass.
  mstch::map ctx{{"number", rv.report.number},
                 {"href", url_encode(rv.report.number)},
                 {"documents", docs},
                 {"title", rv.report.title},
                 {"body", std::string(french(rv.session.body))},
                 {"date", fr::date_long(rv.session.date)},
                 {"state", std::string(french(rv.report.state))},
                 {"articles", articles},
                 {"can_adopt", can_adopt && !rv.vote_refusal},
                 {"adoption_blocked", can_adopt && rv.vote_refusal.has_value()},
                 {"can_compose", can_adopt},
                 {"checks", checks},
                 {"draft", draft},
                 {"vote_ok", draft && !rv.vote_refusal},
                 {"lines", lines},
                 {"schemes", schemes},
                 {"proposed", proposed},
                 {"parties", parties},
                 {"csrf", who.csrf_token}};
  if (rv.vote_refusal) {
    ctx["vote_refused"] = true;
    ctx["vote_problems"] = problems_of(*rv.vote_refusal);
  }
  keep_article_form(ctx, typed);
  return w.page("report", "Rapport " + number, ctx, &who, refusal, refusal ? 422 : 200, flash);
}

HttpResponse create_report_form(WebContext& w, const HttpRequest& r, const Principal& who) {
  const auto in = read_form(r, kReportForm);
  const Context ctx = w.context(who);
  auto created = run_write(w.store, [&](Transaction& tx) { return create_report(tx, ctx, in); });
  if (!created.ok()) return reports(w, who, &created.refusal());
  return redirect("/rapports/" + url_encode(created->number));
}

HttpResponse add_article_form(WebContext& w, const HttpRequest& r, const std::string& number,
                              const Principal& who) {
  auto in = read_form(r, kArticleForm);
  // scheme_awards: the dossiers ticked, one checkbox "application-EX070162" each.
  for (const auto& [k, v] : r.query)
    if (k.rfind("application-", 0) == 0 && v == "1") in.applications.push_back(k.substr(12));
  const Context ctx = w.context(who);
  auto added =
      run_write(w.store, [&](Transaction& tx) { return add_article(tx, ctx, number, in); });
  if (!added.ok()) return report(w, number, who, &added.refusal(), "", &r.query);
  return redirect("/rapports/" + url_encode(number) + "?article=1");
}

HttpResponse remove_article_form(WebContext& w, const HttpRequest& r, const std::string& number,
                                 const std::string& position, const Principal& who) {
  // One checkbox per article, named after it: a refusal marks only the one left unticked.
  const std::string box = "confirm-" + position;
  if (param(r, box) != "1") {
    const Refusal unconfirmed = refuse("report.confirm", box,
                                       "Cochez la confirmation pour retirer l'article " + position +
                                           " : ses dossiers redeviennent disponibles.");
    return report(w, number, who, &unconfirmed);
  }
  const Context ctx = w.context(who);
  auto removed = run_write(
      w.store, [&](Transaction& tx) { return remove_article(tx, ctx, number, position); });
  if (!removed.ok()) return report(w, number, who, &removed.refusal());
  return redirect("/rapports/" + url_encode(number) + "?retrait=1");
}

HttpResponse lower_amount_form(WebContext& w, const HttpRequest& r, const std::string& number,
                               const std::string& dossier, const Principal& who) {
  const Context ctx = w.context(who);
  // Each dossier's inputs are its own ("amount-EX070162"): the page has several.
  const std::string amount = "amount-" + dossier, reason = "reason-" + dossier;
  auto lowered = run_write(w.store, [&](Transaction& tx) {
    return decide_lower_amount(tx, ctx, number, dossier, param(r, amount), param(r, reason));
  });
  if (!lowered.ok()) {
    std::vector<Problem> problems = lowered.refusal().problems;
    for (auto& p : problems)
      if (p.field == "amount" || p.field == "reason") p.field += "-" + dossier;
    const Refusal placed(std::move(problems));
    std::map<std::string, std::string> typed{{"dossier", dossier},
                                             {"lower_amount", param(r, amount)},
                                             {"lower_reason", param(r, reason)}};
    return report(w, number, who, &placed, "", &typed);
  }
  return redirect("/rapports/" + url_encode(number) + "?montant=1");
}

HttpResponse adopt(WebContext& w, const HttpRequest& r, const std::string& number,
                   const Principal& who) {
  if (param(r, "confirm") != "1") {
    const Refusal unconfirmed =
        refuse("report.confirm", "confirm",
               "Cochez la confirmation : l'adoption engage le budget et ne se défait pas.");
    return report(w, number, who, &unconfirmed);
  }
  const Context ctx = w.context(who);
  auto adopted = run_write(w.store, [&](Transaction& tx) { return adopt_report(tx, ctx, number); });
  if (!adopted.ok()) return report(w, number, who, &adopted.refusal());
  return redirect("/rapports/" + url_encode(number) + "?adopte=1");
}

}  // namespace

void add_report_pages(Router& router, WebContext& w) {
  router.add({"GET", "/rapports", Access::needs(Action::Read), "Séances et rapports"},
             [&w](RouteCall& c) { return reports(w, c.caller()); });
  router.add({"POST", "/rapports", Access::needs(Action::ManageReports), "Créer un rapport"},
             [&w](RouteCall& c) { return create_report_form(w, c.request, c.caller()); });
  router.add({"GET", "/rapports/{number}", Access::needs(Action::Read), "Un rapport"},
             [&w](RouteCall& c) {
               return report(w, c.param("number"), c.caller(), nullptr,
                             flash_of(c.request, {{"adopte", "Adoption enregistrée."},
                                                  {"article", "Article ajouté."},
                                                  {"montant", "Montant décidé abaissé."},
                                                  {"retrait", "Article retiré."}}));
             });
  router.add(
      {"POST", "/rapports/{number}/articles", Access::needs(Action::ManageReports),
       "Ajouter un article au rapport"},
      [&w](RouteCall& c) { return add_article_form(w, c.request, c.param("number"), c.caller()); });
  router.add({"POST", "/rapports/{number}/articles/{position}/retrait",
              Access::needs(Action::ManageReports), "Retirer un article du rapport"},
             [&w](RouteCall& c) {
               return remove_article_form(w, c.request, c.param("number"), c.param("position"),
                                          c.caller());
             });
  router.add({"POST", "/rapports/{number}/dossiers/{dossier}/montant",
              Access::needs(Action::ManageReports),
              "Abaisser le montant décidé d'un dossier du rapport (avec son motif)"},
             [&w](RouteCall& c) {
               return lower_amount_form(w, c.request, c.param("number"), c.param("dossier"),
                                        c.caller());
             });
  router.add({"POST", "/rapports/{number}/adoption", Access::needs(Action::ManageReports),
              "Adopter le rapport (le vote)"},
             [&w](RouteCall& c) { return adopt(w, c.request, c.param("number"), c.caller()); });
}

}  // namespace octroi::http::pages
