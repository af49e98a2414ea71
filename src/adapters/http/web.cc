#include "adapters/http/web.h"

#include <mstch/mstch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "adapters/documents/odt_package.h"
#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "adapters/opendata/scdl_csv.h"
#include "adapters/spreadsheet/xlsx.h"

#include "app/context.h"
#include "app/open_data.h"
#include "app/ports/accounts.h"
#include "app/ports/ledger.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "app/use_cases.h"
#include "core/french.h"

namespace octroi::http {

const std::map<std::string, std::string>& html_templates();  // generated (embed_files.cmake)

namespace {

const std::string& tpl(const std::string& name) {
  const auto& all = html_templates();
  const auto it = all.find(name);
  OCTROI_CHECK(it != all.end(), "every page has its template");
  return it->second;
}

HttpResponse redirect(const std::string& to) {
  HttpResponse r;
  r.status = 303;
  r.content_type.clear();
  r.headers.push_back({"Location", to});
  return r;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string param(const HttpRequest& r, const std::string& name) {
  const auto it = r.query.find(name);
  return it == r.query.end() ? "" : it->second;
}

mstch::array problems_of(const Refusal& r) {
  mstch::array out;
  for (const auto& p : r.problems)
    out.push_back(mstch::map{{"code", p.code}, {"field", p.field}, {"message", p.message}});
  return out;
}

// "2023-01-25T10:15:00Z" -> "25 janvier 2023, 10 h 15 (UTC)"; anything else as it is.
std::string when(const std::string& iso) {
  const auto seconds = instant_seconds(iso);
  if (!seconds) return iso;
  const Date d = Date::from_days(*seconds / 86400);
  const std::int64_t minutes = *seconds % 86400 / 60;
  const std::string mm = std::to_string(minutes % 60);
  return fr::date_long(d) + ", " + std::to_string(minutes / 60) + " h " +
         (mm.size() < 2 ? "0" + mm : mm) + " (UTC)";
}

std::string share(std::int64_t bp) {
  return fr::percent_bp(bp);
}

// What an audit line did, in French ("application.plan_edit" -> "plan de financement modifié").
std::string audit_action_label(const std::string& action) {
  static const std::map<std::string, std::string> labels = {
      {"application.create", "création du dossier"},
      {"application.plan_edit", "plan de financement modifié"},
      {"application.award", "aide attribuée par le vote"},
      {"application.transfer", "transfert à un nouveau bénéficiaire"},
      {"application.amendment", "avenant"},
      {"application.close", "dossier soldé et clos"},
      {"application.lapse", "caducité"},
      {"application.note", "note privée"},
      {"agreement.create", "convention établie"},
      {"agreement.sign", "signature de la convention"},
      {"payment.advance", "avance versée"},
      {"payment.interim", "acompte versé"},
      {"payment.balance", "solde versé"},
      {"clawback.order", "ordre de reversement"},
      {"condition.add", "condition ajoutée"},
      {"condition.set", "condition mise à jour"},
      {"outcome.report", "résultat déclaré"},
      {"stateaid.check", "contrôle de minimis"},
  };
  if (const auto it = labels.find(action); it != labels.end()) return it->second;
  ApplicationEvent e{};
  if (action.rfind("application.", 0) == 0 && parse_event(action.substr(12), e))
    return std::string(french(e));
  return action;
}

}  // namespace

struct Web::Impl {
  sql::SqlStore& store;
  Clock& clock;
  PasswordHasher& passwords;
  TokenSource& tokens;
  LoginThrottle& throttle;
  const ApiOptions& options;

  // A page inside the layout. `user` is empty on the login page.
  HttpResponse page(const std::string& name, const std::string& title, mstch::map ctx,
                    const Principal* who, const Refusal* refusal = nullptr, int status = 200,
                    const std::string& flash = "") {
    mstch::map layout = ctx;
    layout["page_title"] = title;
    if (who)
      layout["user"] = mstch::map{{"display_name", who->display_name},
                                  {"role_label", std::string(role_label(who->role))},
                                  {"csrf", who->csrf_token}};
    if (refusal) {
      layout["has_problems"] = true;
      layout["problems"] = problems_of(*refusal);
    }
    if (!flash.empty()) layout["flash"] = flash;
    HttpResponse r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = mstch::render(tpl("layout"), layout, {{"page", tpl(name)}});
    r.headers.push_back({"Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                         "frame-ancestors 'none'"});
    r.headers.push_back({"X-Frame-Options", "DENY"});
    return r;
  }

  // Who did it, as people know them: a user's name for "web:login", else the actor as recorded
  // ("api:label" for a token, "cli:…", "demo").
  std::map<std::string, std::string> actor_names(AuthorityId a) {
    std::map<std::string, std::string> out;
    for (const auto& u :
         run_read(store, [&](Transaction& tx) { return tx.accounts().list_users(a); }))
      out["web:" + u.login] = u.display_name;
    return out;
  }
  static std::string actor_name(const std::map<std::string, std::string>& names,
                                const std::string& actor) {
    const auto it = names.find(actor);
    return it == names.end() ? actor : it->second;
  }

  HttpResponse login_page(const HttpRequest& r) {
    if (r.method == "GET")
      return page("login", "Connexion", {{"login", std::string()}}, nullptr, nullptr, 200,
                  param(r, "motdepasse").empty()
                      ? ""
                      : "Mot de passe changé : reconnectez-vous avec le nouveau.");
    const std::string login = param(r, "login"), password = param(r, "password");
    const auto now = instant_seconds(clock.now_iso()).value_or(0);
    if (const std::int64_t wait = throttle.login_wait(login, r.remote_addr, now); wait > 0) {
      const Refusal refused = throttled(wait, "login");
      auto out = page("login", "Connexion", {{"login", login}}, nullptr, &refused, 429);
      out.headers.push_back({"Retry-After", std::to_string(wait)});
      return out;
    }
    auto opened = run_write(store, [&](Transaction& tx) {
      return open_session(tx, clock, login, password, passwords, tokens, store.hasher(),
                          options.sessions);
    });
    throttle.login_outcome(opened.ok(), login, r.remote_addr, now);
    if (!opened.ok())
      return page("login", "Connexion", {{"login", login}}, nullptr, &opened.refusal(), 401);
    auto out = redirect("/");
    out.headers.push_back({"Set-Cookie", "octroi_session=" + opened->token +
                                             "; Path=/; HttpOnly; SameSite=Strict" +
                                             (options.secure_cookies ? "; Secure" : "")});
    return out;
  }

  Result<Principal> who_is(const HttpRequest& r) {
    const std::string token = r.cookie("octroi_session");
    if (token.empty()) return refuse("auth.required", "session", "Connectez-vous.");
    auto p = run_read(store, [&](Transaction& tx) {
      return principal_of_session(tx, clock, token, store.hasher(), options.sessions);
    });
    if (p.ok() && p->needs_touch)
      static_cast<void>(run_write(store, [&](Transaction& tx) -> Result<int> {
        touch_session(tx, clock, p.value());
        return 0;
      }));
    return p;
  }

  HttpResponse forbidden(const Principal& who) {
    const Refusal r = refuse(
        "auth.forbidden", "role",
        "Votre rôle (" + std::string(role_label(who.role)) + ") ne permet pas cette action.");
    return page("error", "Accès refusé", {{"heading", std::string("Accès refusé")}}, &who, &r, 403);
  }

  HttpResponse not_found(const Principal& who, const Refusal& r) {
    return page("error", "Introuvable", {{"heading", std::string("Introuvable")}}, &who, &r, 404);
  }

  HttpResponse dashboard(const Principal& who) {
    auto lines = run_read(
        store, [&](Transaction& tx) { return budget_overview(tx, who.authority, std::nullopt); });
    mstch::array rows;
    if (lines.ok())
      for (const auto& v : lines.value()) {
        const auto& b = v.balances;
        rows.push_back(mstch::map{{"key", std::to_string(v.line.fiscal_year) + "/" + v.line.action},
                                  {"year", std::to_string(v.line.fiscal_year)},
                                  {"action", v.line.action},
                                  {"label", v.line.action_label},
                                  {"imputation", v.line.imputation.str()},
                                  {"voted", fr::euros(b.ae_voted)},
                                  {"allocated", fr::euros(b.allocated)},
                                  {"committed", fr::euros(b.committed)},
                                  {"paid", fr::euros(b.paid)},
                                  {"available", fr::euros(b.available())},
                                  {"cp_voted", fr::euros(b.cp_voted)}});
      }
    auto counts =
        run_read(store, [&](Transaction& tx) { return dossier_counts(tx, who.authority); });
    mstch::array states;
    if (counts.ok())
      for (const auto& [state, n] : counts.value())
        if (n > 0)
          states.push_back(mstch::map{{"state", std::string(to_string(state))},
                                      {"label", std::string(french(state))},
                                      {"count", std::to_string(n)}});
    return page("dashboard", "Tableau de bord", {{"lines", rows}, {"states", states}}, &who);
  }

  HttpResponse dossiers(const HttpRequest& r, const Principal& who) {
    ApplicationSearch in;
    in.limit = 50;
    const std::string page_s = param(r, "page");
    std::int64_t page_n = 1;
    if (!page_s.empty() && page_s.size() < 6 &&
        page_s.find_first_not_of("0123456789") == std::string::npos)
      page_n = std::max<std::int64_t>(1, std::stoll(page_s));
    in.offset = (page_n - 1) * in.limit;
    in.state = param(r, "state");
    in.scheme = param(r, "scheme");
    in.departement = param(r, "departement");
    in.session = param(r, "session");
    in.text = param(r, "q");
    auto list = run_read(
        store, [&](Transaction& tx) { return search_applications(tx, who.authority, in); });
    auto schemes =
        run_read(store, [&](Transaction& tx) { return tx.schemes().list_schemes(who.authority); });
    auto sessions =
        run_read(store, [&](Transaction& tx) { return list_sessions(tx, who.authority); });
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
                   {"export_href", "/dossiers.xlsx?q=" + url_encode(in.text) + "&state=" +
                                       url_encode(in.state) + "&scheme=" + url_encode(in.scheme) +
                                       "&departement=" + url_encode(in.departement) +
                                       "&session=" + url_encode(in.session)},
                   {"state_options", state_options},
                   {"scheme_options", scheme_options},
                   {"session_options", session_options}};
    if (!list.ok()) {
      ctx["count"] = std::string("0");
      ctx["dossiers"] = rows;
      return page("dossiers", "Dossiers", ctx, &who, &list.refusal(), 422);
    }
    for (const auto& v : list.value())
      rows.push_back(
          mstch::map{{"number", v.application.number},
                     {"party", v.party.legal_name},
                     {"title", v.application.project.title},
                     {"state", std::string(french(v.application.state))},
                     {"base", fr::euros(v.plan.eligible_base)},
                     {"award", v.application.award ? fr::euros(v.application.award->amount)
                               : v.award           ? fr::euros(v.award->amount)
                                                   : std::string("—")}});
    const std::string base = "/dossiers?q=" + url_encode(in.text) +
                             "&state=" + url_encode(in.state) + "&scheme=" + url_encode(in.scheme) +
                             "&departement=" + url_encode(in.departement) +
                             "&session=" + url_encode(in.session) + "&page=";
    ctx["dossiers"] = rows;
    ctx["count"] = std::to_string(list->size());
    ctx["page_label"] = "page " + std::to_string(page_n);
    if (page_n > 1) ctx["previous"] = base + std::to_string(page_n - 1);
    if (static_cast<std::int64_t>(list->size()) == in.limit)
      ctx["next"] = base + std::to_string(page_n + 1);
    return page("dossiers", "Dossiers", ctx, &who);
  }

  // The dossier page. `typed`: what a refused plan form held, shown again instead of the stored
  // amounts so that nothing typed is lost.
  mstch::map dossier_context(const AwardView& av, const Principal& who,
                             const std::map<std::string, std::string>* typed) {
    const ApplicationView& v = av.dossier;
    const auto& a = v.application;
    const Context scope = context_of(who, clock);
    const bool in_service = check_instructing_service(scope, v.scheme).ok();
    const bool editable =
        permits(who.role, Action::EditDossier) && plan_editable(a.state) && in_service;
    auto typed_or = [&](const std::string& key, const std::string& stored) {
      if (!typed) return stored;
      const auto it = typed->find(key);
      return it == typed->end() ? stored : it->second;
    };
    const auto names = actor_names(who.authority);
    mstch::array expenses, resources, explanation, history, audit;
    for (std::size_t i = 0; i < v.plan.expenses.size(); ++i) {
      const auto& l = v.plan.expenses[i];
      const std::string pos = std::to_string(i + 1);
      expenses.push_back(
          mstch::map{{"position", pos},
                     {"label", l.label},
                     {"amount", fr::euros(l.amount)},
                     {"amount_raw", typed_or("expense-" + pos, l.amount.to_decimal_string())},
                     {"share", share(l.share_bp)},
                     {"eligible", std::string(l.eligible ? "oui" : "non")}});
    }
    for (std::size_t i = 0; i < v.plan.resources.size(); ++i) {
      const auto& l = v.plan.resources[i];
      const std::string pos = std::to_string(i + 1);
      resources.push_back(
          mstch::map{{"position", pos},
                     {"label", l.label},
                     {"amount", fr::euros(l.amount)},
                     {"amount_raw", typed_or("resource-" + pos, l.amount.to_decimal_string())},
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
    auto trail = run_read(
        store, [&](Transaction& tx) { return dossier_audit(tx, who.authority, a.number); });
    if (trail.ok())
      for (const auto& e : trail.value())
        audit.push_back(mstch::map{{"seq", std::to_string(e.authority_seq)},
                                   {"at", when(e.at)},
                                   {"actor", actor_name(names, e.actor)},
                                   {"action", audit_action_label(e.action)},
                                   {"before", e.before.empty() ? std::string("—") : e.before},
                                   {"after", e.after.empty() ? std::string("—") : e.after}});
    mstch::map ctx{{"number", a.number},
                   {"title", a.project.title},
                   {"state", std::string(french(a.state))},
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
                   {"resource_shares", share(v.plan.resource_shares_sum_bp)},
                   {"base", fr::euros(v.plan.eligible_base)},
                   {"requested", fr::euros(v.plan.requested)},
                   {"history", history},
                   {"audit", audit},
                   {"editable", editable},
                   {"csrf", who.csrf_token}};
    if (permits(who.role, Action::EditDossier) && !in_service)
      ctx["other_service"] = v.scheme.service.empty()
                                 ? std::string("aucun service (administrateurs)")
                                 : v.scheme.service;
    // The workflow's events from this state, but those that only an act may cause (the vote,
    // the balance payment, the lapse sweep).
    mstch::array events;
    for (const auto& t : workflow_table()) {
      if (t.from != a.state) continue;
      const std::string name(to_string(t.event));
      if (name == "award" || name == "close" || name == "lapse") continue;
      events.push_back(mstch::map{{"value", name}, {"label", std::string(french(t.event))}});
    }
    ctx["can_move"] = permits(who.role, Action::MoveDossier) && !events.empty() && in_service;
    ctx["party_id"] = std::to_string(v.party.id.value);
    ctx["can_note"] = permits(who.role, Action::EditDossier) && in_service;
    auto notes = run_read(
        store, [&](Transaction& tx) { return notes_of_application(tx, who.authority, a.number); });
    mstch::array note_rows;
    if (notes.ok())
      for (const auto& n : notes.value())
        note_rows.push_back(mstch::map{
            {"author", actor_name(names, n.author)}, {"at", when(n.at)}, {"text", n.text}});
    ctx["notes"] = note_rows;
    ctx["events"] = events;
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
    // State aid: the de minimis checks made, and a new one at instruction when the scheme's
    // regime is de minimis.
    const AidRegime regime = aid_regime_of(a, v.scheme);
    const bool de_minimis = is_de_minimis(regime);
    ctx["regime"] = std::string(french(regime));
    ctx["de_minimis"] = de_minimis;
    mstch::array checks;
    for (const auto& c : av.state_aid_checks)
      checks.push_back(
          mstch::map{{"date", fr::date_long(c.checked_on)},
                     {"stage", std::string(c.stage == "vote" ? "vote" : "instruction")},
                     {"amount", fr::euros(c.amount)},
                     {"used", fr::euros(c.used)},
                     {"ceiling", fr::euros(c.ceiling)},
                     {"room", fr::euros(c.room)},
                     {"verdict", std::string(c.ok ? "sous le plafond" : "plafond dépassé")}});
    ctx["checks"] = checks;
    ctx["can_check"] = de_minimis && permits(who.role, Action::EditDossier) && in_service &&
                       a.state != ApplicationState::Closed;
    return ctx;
  }

  HttpResponse dossier(const std::string& number, const Principal& who,
                       const Refusal* refusal = nullptr, const std::string& flash = "",
                       const std::map<std::string, std::string>* typed = nullptr) {
    auto v =
        run_read(store, [&](Transaction& tx) { return show_award(tx, who.authority, number); });
    if (!v.ok()) return not_found(who, v.refusal());
    const int status = !refusal ? 200 : refusal->first().code == "auth.service" ? 403 : 422;
    return page("dossier", "Dossier " + number, dossier_context(v.value(), who, typed), &who,
                refusal, status, flash);
  }

  // Documents, produced by generate_document (each recorded in the audit trail with its template
  // version and hashes): one as .odt, one as .pdf (LibreOffice), or all of them in a .zip with
  // their PDFs (one LibreOffice run for the batch).
  enum class Format { Odt, Pdf, Zip };
  HttpResponse documents(const std::vector<DocumentRequest>& wanted, Format format,
                         const std::string& zip_name, const Principal& who) {
    const Context ctx = context_of(who, clock);
    documents::FodtEngine engine;
    auto made = run_write(store, [&](Transaction& tx) -> Result<std::vector<GeneratedDocument>> {
      std::vector<GeneratedDocument> out;
      for (const auto& r : wanted) {
        auto g = generate_document(tx, ctx, engine, store.hasher(), r);
        if (!g.ok()) return g.refusal();
        out.push_back(std::move(g).value());
      }
      return out;
    });
    if (!made.ok()) {
      const auto& code = made.refusal().first().code;
      if (code == "application.unknown" || code == "report.unknown")
        return not_found(who, made.refusal());
      return page("error", "Document", {{"heading", std::string("Document")}}, &who,
                  &made.refusal(), 422);
    }
    HttpResponse r;
    if (format == Format::Odt) {
      r.content_type = "application/vnd.oasis.opendocument.text";
      r.body = std::move(made->front().odt);
      r.headers.push_back({"Content-Disposition",
                           "attachment; filename=\"" + made->front().request.file + ".odt\""});
      return r;
    }
    namespace fs = std::filesystem;
    std::string dir_template = (fs::temp_directory_path() / "octroi-docs-XXXXXX").string();
    if (!mkdtemp(dir_template.data()))
      throw std::runtime_error("cannot create a temporary directory");
    const fs::path dir(dir_template);
    std::vector<std::string> paths;
    for (const auto& g : made.value()) {
      const fs::path path = dir / (g.request.file + ".odt");
      std::ofstream(path, std::ios::binary) << g.odt;
      paths.push_back(path.string());
    }
    auto pdfs = documents::convert_to_pdf(paths, dir.string());
    if (!pdfs.ok()) {
      fs::remove_all(dir);
      return page("error", "Document", {{"heading", std::string("Document")}}, &who,
                  &pdfs.refusal(), 503);
    }
    auto slurp = [](const std::string& path) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      return bytes.str();
    };
    if (format == Format::Pdf) {
      r.content_type = "application/pdf";
      r.body = slurp(pdfs->at(0));
      r.headers.push_back({"Content-Disposition",
                           "attachment; filename=\"" + made->front().request.file + ".pdf\""});
    } else {
      std::vector<std::pair<std::string, std::string>> entries;
      for (std::size_t i = 0; i < made->size(); ++i) {
        entries.emplace_back((*made)[i].request.file + ".pdf", slurp(pdfs->at(i)));
        entries.emplace_back((*made)[i].request.file + ".odt", std::move((*made)[i].odt));
      }
      r.content_type = "application/zip";
      r.body = documents::zip_archive(entries);
      r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + zip_name + ".zip\""});
    }
    fs::remove_all(dir);
    return r;
  }

  // GET /dossiers/{n}/{fiche|convention|notification}.{odt|pdf}
  HttpResponse dossier_document(const std::string& number, const std::string& file,
                                const Principal& who) {
    const auto dot = file.rfind('.');
    const std::string stem = file.substr(0, dot), ext = file.substr(dot + 1);
    const DocumentKind kind = stem == "fiche"        ? DocumentKind::ProjectSheet
                              : stem == "convention" ? DocumentKind::Agreement
                                                     : DocumentKind::Notification;
    const std::string prefix = stem == "fiche" ? "fiche-projet-" : stem + "-";
    return documents({{kind, "", number, prefix + number}},
                     ext == "pdf" ? Format::Pdf : Format::Odt, "", who);
  }

  // GET /rapports/{n}/documents.zip, or one of them: /rapports/{n}/{file}.{odt|pdf}
  HttpResponse report_document(const std::string& number, const std::string& file,
                               const Principal& who) {
    auto wanted = run_read(
        store, [&](Transaction& tx) { return report_documents(tx, who.authority, number); });
    if (!wanted.ok()) return not_found(who, wanted.refusal());
    std::string zip_name = "documents-" + number;
    std::replace(zip_name.begin(), zip_name.end(), ' ', '-');
    if (file == "documents.zip") return documents(wanted.value(), Format::Zip, zip_name, who);
    const auto dot = file.rfind('.');
    const std::string stem = file.substr(0, dot), ext = file.substr(dot + 1);
    for (const auto& r : wanted.value())
      if (r.file == stem && (ext == "odt" || ext == "pdf"))
        return documents({r}, ext == "pdf" ? Format::Pdf : Format::Odt, "", who);
    return not_found(who,
                     refuse("request.not_found", "path",
                            "Le rapport " + number + " n'a pas de document « " + file + " »."));
  }

  // The templates of documents: versions, downloads, and (administrators) a new version.
  HttpResponse templates(const Principal& who, const Refusal* refusal = nullptr,
                         const std::map<std::string, std::string>* typed = nullptr,
                         const std::string& flash = "") {
    const auto families =
        run_read(store, [&](Transaction& tx) { return list_templates(tx, who.authority); });
    mstch::array rows, names;
    for (const auto& f : families) {
      mstch::array versions;
      for (const auto& v : f.versions)
        versions.push_back(mstch::map{
            {"version", std::to_string(v.version)},
            {"adopted_by", v.adopted_by},
            {"from", fr::date_long(v.applies_from)},
            {"until", v.applies_until ? fr::date_long(*v.applies_until) : std::string("—")},
            {"note", v.note},
            {"uploaded", when(v.uploaded_at)},
            {"sha", v.sha256.substr(0, 16)}});
      const std::string name(template_name(f.kind));
      rows.push_back(mstch::map{
          {"name", name}, {"label", std::string(french(f.kind))}, {"versions", versions}});
      const bool selected = typed && typed->count("name") && typed->at("name") == name;
      names.push_back(mstch::map{
          {"name", name}, {"label", std::string(french(f.kind))}, {"selected", selected}});
    }
    auto typed_value = [&](const char* k) {
      if (!typed) return std::string();
      const auto it = typed->find(k);
      return it == typed->end() ? std::string() : it->second;
    };
    const int status = refusal ? 422 : 200;
    return page("templates", "Modèles de documents",
                {{"families", rows},
                 {"names", names},
                 {"csrf", who.csrf_token},
                 {"can_upload", permits(who.role, Action::ManageSchemes)},
                 {"adopted_by", typed_value("adopted_by")},
                 {"applies_from", typed_value("applies_from")},
                 {"applies_until", typed_value("applies_until")},
                 {"note", typed_value("note")}},
                &who, refusal, status, flash);
  }

  HttpResponse upload_template_form(const HttpRequest& r, const Principal& who) {
    TemplateUpload u;
    u.name = param(r, "name");
    u.adopted_by = param(r, "adopted_by");
    u.applies_from = param(r, "applies_from");
    u.applies_until = param(r, "applies_until");
    u.note = param(r, "note");
    const auto file = r.files.find("content");
    if (file != r.files.end()) u.content = file->second;
    const Context ctx = context_of(who, clock);
    documents::FodtEngine engine;
    auto stored = run_write(store, [&](Transaction& tx) {
      return upload_template(tx, ctx, engine, store.hasher(), u);
    });
    if (!stored.ok()) {
      const std::map<std::string, std::string> typed = {{"name", u.name},
                                                        {"adopted_by", u.adopted_by},
                                                        {"applies_from", u.applies_from},
                                                        {"applies_until", u.applies_until},
                                                        {"note", u.note}};
      return templates(who, &stored.refusal(), &typed);
    }
    return redirect("/modeles?depose=" + stored->name);
  }

  // GET /modeles/{name}/{version}.fodt
  HttpResponse template_file(const std::string& name, const std::string& file,
                             const Principal& who) {
    const std::string digits = file.size() > 5 && file.substr(file.size() - 5) == ".fodt"
                                   ? file.substr(0, file.size() - 5)
                                   : std::string();
    if (digits.empty() || digits.size() > 6 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return not_found(who, refuse("request.not_found", "path", "Cette page n'existe pas."));
    documents::FodtEngine engine;
    auto t = run_read(store, [&](Transaction& tx) {
      return find_template(tx, who.authority, engine, store.hasher(), name, std::stoi(digits));
    });
    if (!t.ok()) return not_found(who, t.refusal());
    HttpResponse r;
    r.content_type = "application/vnd.oasis.opendocument.text-flat-xml";
    r.body = std::move(t->content);
    r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + name + "-v" +
                                                    std::to_string(t->version) + ".fodt\""});
    return r;
  }

  HttpResponse state_aid_check(const std::string& number, const Principal& who) {
    const Context ctx = context_of(who, clock);
    auto checked = run_write(
        store, [&](Transaction& tx) { return check_state_aid(tx, ctx, number, "instruction"); });
    if (!checked.ok()) return dossier(number, who, &checked.refusal());
    return redirect("/dossiers/" + url_encode(number) + "?minimis=1");
  }

  // One form for the whole plan: every line whose amount was changed becomes one change, and
  // the use case applies them all or none (under instruction the plan must stay balanced).
  HttpResponse edit_plan_form(const HttpRequest& r, const std::string& number,
                              const Principal& who) {
    auto current = run_read(
        store, [&](Transaction& tx) { return show_application(tx, who.authority, number); });
    if (!current.ok()) return not_found(who, current.refusal());
    std::vector<PlanChange> changes;
    auto collect = [&](const std::vector<PrintedLine>& lines, PlanChange::Side side,
                       const std::string& prefix) {
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto it = r.query.find(prefix + std::to_string(i + 1));
        if (it == r.query.end() || it->second == lines[i].amount.to_decimal_string()) continue;
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
    const Context ctx = context_of(who, clock);
    auto edited =
        run_write(store, [&](Transaction& tx) { return edit_plan(tx, ctx, number, changes); });
    if (!edited.ok()) return dossier(number, who, &edited.refusal(), "", &r.query);
    return redirect("/dossiers/" + url_encode(number) + "?modifie=1");
  }

  HttpResponse move(const HttpRequest& r, const std::string& number, const Principal& who) {
    EventInput in;
    in.event = param(r, "event");
    in.reason = param(r, "reason");
    const Context ctx = context_of(who, clock);
    auto moved = run_write(
        store, [&](Transaction& tx) { return apply_application_event(tx, ctx, number, in); });
    if (!moved.ok()) return dossier(number, who, &moved.refusal());
    return redirect("/dossiers/" + url_encode(number) + "?evenement=1");
  }

  HttpResponse note(const HttpRequest& r, const std::string& number, const Principal& who) {
    const Context ctx = context_of(who, clock);
    auto added = run_write(
        store, [&](Transaction& tx) { return add_note(tx, ctx, number, param(r, "text")); });
    if (!added.ok()) return dossier(number, who, &added.refusal());
    return redirect("/dossiers/" + url_encode(number) + "?note=1");
  }

  HttpResponse account(const Principal& who, const Refusal* refusal = nullptr) {
    return page("account", "Mon compte",
                {{"display_name", who.display_name},
                 {"role_label", std::string(role_label(who.role))},
                 {"service", who.service},
                 {"csrf", who.csrf_token}},
                &who, refusal, refusal ? 422 : 200);
  }

  HttpResponse change_own_password(const HttpRequest& r, const Principal& who) {
    // Guessing the current password from a stolen session is throttled like a login.
    const std::string key = LoginThrottle::password_key(who.user_id);
    const auto now = instant_seconds(clock.now_iso()).value_or(0);
    if (const auto wait = throttle.wait_seconds(key, now); wait > 0) {
      const Refusal refused = throttled(wait, "current");
      auto out = account(who, &refused);
      out.status = 429;
      out.headers.push_back({"Retry-After", std::to_string(wait)});
      return out;
    }
    const Context ctx = context_of(who, clock);
    auto changed = run_write(store, [&](Transaction& tx) {
      return change_password(tx, ctx, who, param(r, "current"), param(r, "next"), passwords);
    });
    if (!changed.ok() && changed.refusal().first().code == "user.password_wrong")
      throttle.failed(key, now);
    if (!changed.ok()) return account(who, &changed.refusal());
    throttle.succeeded(key);
    auto out = redirect("/login?motdepasse=1");
    out.headers.push_back(
        {"Set-Cookie", "octroi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
    return out;
  }

  // Everything octroi knows of a party in this authority (the 360° view instructors ask each
  // other for): its dossiers, what was awarded and paid, its de minimis aid.
  HttpResponse party(const std::string& id_text, const Principal& who) {
    auto pv = run_read(store, [&](Transaction& tx) {
      return show_party(tx, who.authority, id_text, clock.today());
    });
    if (!pv.ok()) return not_found(who, pv.refusal());
    const PartyView& v = pv.value();
    mstch::array rows, undertaking, aids;
    for (const auto& d : v.dossiers) {
      const auto& app = d.dossier.application;
      rows.push_back(mstch::map{{"number", app.number},
                                {"title", app.project.title},
                                {"scheme", d.dossier.scheme.number},
                                {"state", std::string(french(app.state))},
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
                     {"amount", fr::euros(r.amount)},
                     {"share", fr::percent_bp(r.share_bp)},
                     {"part", fr::euros(r.part)},
                     {"regime", std::string(french(r.regime))},
                     {"source", r.source + ", ligne " + std::to_string(r.source_line)}});
    const Party& p = v.party;
    const Address& ad = p.address;
    return page("party", p.legal_name,
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
                 {"total_imported", fr::euros(v.total_imported)}},
                &who);
  }

  HttpResponse award_page(const std::string& number, const Principal& who,
                          const Refusal* refusal = nullptr, const std::string& flash = "") {
    auto v =
        run_read(store, [&](Transaction& tx) { return show_award(tx, who.authority, number); });
    if (!v.ok()) return not_found(who, v.refusal());
    const AwardView& av = v.value();
    const auto& app = av.dossier.application;
    const bool finance = permits(who.role, Action::ManagePayments);
    const bool awarded = app.state == ApplicationState::Awarded;
    mstch::array payments, clawbacks, amendments;
    for (const auto& p : av.payments)
      payments.push_back(mstch::map{
          {"date", fr::date_long(p.requested_on)},
          {"kind", std::string(french(p.kind))},
          {"realised", p.realised_eligible ? fr::euros(*p.realised_eligible) : std::string("—")},
          {"amount", fr::euros(p.amount)},
          {"reference", p.reference}});
    for (const auto& c : av.clawbacks)
      clawbacks.push_back(mstch::map{{"date", fr::date_long(c.decided_on)},
                                     {"amount", fr::euros(c.amount)},
                                     {"reason", c.reason},
                                     {"reference", c.reference}});
    for (const auto& am : av.amendments)
      amendments.push_back(mstch::map{{"number", std::to_string(am.number)},
                                      {"kind", std::string(am.kind == "transfer" ? "transfert"
                                                           : am.kind == "amount" ? "montant"
                                                                                 : "prolongation")},
                                      {"deliberation", am.deliberation},
                                      {"date", fr::date_long(am.approved_on)}});
    mstch::map ctx{{"number", app.number},
                   {"title", app.project.title},
                   {"party", av.dossier.party.legal_name},
                   {"state", std::string(french(app.state))},
                   {"awarded", app.award ? fr::euros(app.award->amount) : std::string("—")},
                   {"paid", fr::euros(av.paid)},
                   {"remaining", fr::euros(av.remaining)},
                   {"payments", payments},
                   {"clawbacks", clawbacks},
                   {"has_clawbacks", !clawbacks.empty()},
                   {"amendments", amendments},
                   {"has_amendments", !amendments.empty()},
                   {"can_draft", finance && awarded},
                   {"can_pay", finance && awarded && av.agreement && av.agreement->is_signed()},
                   {"csrf", who.csrf_token}};
    if (app.award) {
      ctx["deliberation"] = app.award->deliberation;
      ctx["award_date"] = fr::date_long(app.award->date);
    }
    if (av.agreement) {
      const Agreement& ag = *av.agreement;
      auto signed_on = [](const std::optional<Date>& d) {
        return d ? "le " + fr::date_long(*d) : std::string("attendue");
      };
      ctx["agreement"] = mstch::map{
          {"model", ag.model_deliberation.empty() ? std::string("—") : ag.model_deliberation},
          {"start", fr::date_long(ag.eligibility_start)},
          {"end", fr::date_long(ag.eligibility_end)},
          {"beneficiary_signed", signed_on(ag.signed_by_beneficiary_on)},
          {"authority_signed", signed_on(ag.signed_by_authority_on)},
          {"signed", ag.is_signed()},
          {"can_sign", finance && awarded && !ag.is_signed()},
          {"number", app.number},
          {"csrf", who.csrf_token}};
    }
    return page("award", "Convention et versements " + number, ctx, &who, refusal,
                refusal ? 422 : 200, flash);
  }

  HttpResponse awards(const Principal& who) {
    auto list = run_read(store, [&](Transaction& tx) { return list_awards(tx, who.authority); });
    if (!list.ok()) return not_found(who, list.refusal());
    mstch::array rows;
    for (const auto& av : list->awards) {
      const auto& app = av.dossier.application;
      rows.push_back(
          mstch::map{{"number", app.number},
                     {"party", av.dossier.party.legal_name},
                     {"state", std::string(french(app.state))},
                     {"agreement", std::string(!av.agreement               ? "à établir"
                                               : av.agreement->is_signed() ? "signée"
                                                                           : "en signature")},
                     {"awarded", app.award ? fr::euros(app.award->amount) : std::string("—")},
                     {"paid", fr::euros(av.paid)},
                     {"remaining", fr::euros(av.remaining)}});
    }
    return page("awards", "Conventions et versements",
                {{"awards", rows},
                 {"count", std::to_string(rows.size())},
                 {"total_awarded", fr::euros(list->total_awarded)},
                 {"total_paid", fr::euros(list->total_paid)},
                 {"total_remaining", fr::euros(list->total_remaining)}},
                &who);
  }

  // GET /conventions/scdl.csv?seuil=23000&du=…&au=…: the SCDL publication (open data), recorded
  // in the audit trail with the file's hash.
  HttpResponse scdl(const HttpRequest& r, const Principal& who) {
    auto options_in =
        scdl_options({param(r, "seuil"), param(r, "du"), param(r, "au"), "seuil", "du", "au"});
    if (!options_in.ok())
      return page("error", "Publication SCDL", {{"heading", std::string("Publication SCDL")}}, &who,
                  &options_in.refusal(), 422);
    const ScdlOptions chosen = options_in.value();
    const Context ctx = context_of(who, clock);
    std::string bytes;
    auto made = run_write(store, [&](Transaction& tx) {
      auto e = scdl_export(tx, who.authority, chosen, clock.today());
      if (!e.ok()) return e;
      bytes = opendata::scdl_csv(e->rows);
      record_scdl_export(tx, ctx, e.value(), chosen, store.hasher().sha256_hex(bytes));
      return e;
    });
    if (!made.ok())
      return page("error", "Publication SCDL", {{"heading", std::string("Publication SCDL")}}, &who,
                  &made.refusal(), 422);
    HttpResponse out;
    out.content_type = "text/csv; charset=utf-8";
    out.body = std::move(bytes);
    out.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"" + made->file_name + "\""});
    return out;
  }

  // GET /dossiers.xlsx (the search's filters apply), /budget.xlsx (lines and journals),
  // /conventions.xlsx (payments and SCDL rows): the lists as a workbook.
  HttpResponse workbook(const HttpRequest& r, const std::string& which, const Principal& who) {
    std::vector<std::string> sheets;
    ApplicationSearch search;
    if (which == "dossiers") {
      sheets = {"dossiers"};
      search.state = param(r, "state");
      search.scheme = param(r, "scheme");
      search.departement = param(r, "departement");
      search.session = param(r, "session");
      search.text = param(r, "q");
    } else if (which == "budget") {
      sheets = {"budget", "journal"};
    } else {
      sheets = {"payments"};
    }
    auto made = run_read(store, [&](Transaction& tx) {
      auto s = spreadsheet::authority_sheets(tx, who.authority, sheets, search, clock.today());
      if (s.ok() && which == "conventions") {  // with the SCDL rows when they can be made
        auto more = spreadsheet::authority_sheets(tx, who.authority, {}, search, clock.today());
        if (more.ok())
          for (auto& sheet : more.value())
            if (sheet.name == "SCDL subventions") s->push_back(std::move(sheet));
      }
      return s;
    });
    if (!made.ok())
      return page("error", "Export", {{"heading", std::string("Export")}}, &who, &made.refusal(),
                  422);
    auto bytes = spreadsheet::write_xlsx(made.value());
    if (!bytes.ok())
      return page("error", "Export", {{"heading", std::string("Export")}}, &who, &bytes.refusal(),
                  422);
    HttpResponse out;
    out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    out.body = std::move(bytes).value();
    out.headers.push_back({"Content-Disposition", "attachment; filename=\"" + which + ".xlsx\""});
    return out;
  }

  HttpResponse draft_agreement(const HttpRequest& r, const std::string& number,
                               const Principal& who) {
    AgreementInput in;
    in.eligibility_start = param(r, "eligibility_start");
    in.eligibility_end = param(r, "eligibility_end");
    const Context ctx = context_of(who, clock);
    auto done =
        run_write(store, [&](Transaction& tx) { return create_agreement(tx, ctx, number, in); });
    if (!done.ok()) return award_page(number, who, &done.refusal());
    return redirect("/dossiers/" + url_encode(number) + "/aide?convention=1");
  }

  HttpResponse sign(const HttpRequest& r, const std::string& number, const Principal& who) {
    SignatureInput in;
    in.signatory = param(r, "signatory");
    in.on = param(r, "on");
    const Context ctx = context_of(who, clock);
    auto done =
        run_write(store, [&](Transaction& tx) { return sign_agreement(tx, ctx, number, in); });
    if (!done.ok()) return award_page(number, who, &done.refusal());
    return redirect("/dossiers/" + url_encode(number) + "/aide?signature=1");
  }

  HttpResponse pay(const HttpRequest& r, const std::string& number, const Principal& who) {
    PaymentInput in;
    in.kind = param(r, "kind");
    in.amount = param(r, "amount");
    in.realised = param(r, "realised");
    in.on = param(r, "on");
    in.reference = param(r, "reference");
    const Context ctx = context_of(who, clock);
    auto done =
        run_write(store, [&](Transaction& tx) { return request_payment(tx, ctx, number, in); });
    if (!done.ok()) return award_page(number, who, &done.refusal());
    return redirect("/dossiers/" + url_encode(number) + "/aide?versement=1");
  }

  HttpResponse reports(const Principal& who, const Refusal* refusal = nullptr) {
    auto list = run_read(store, [&](Transaction& tx) { return list_reports(tx, who.authority); });
    mstch::array rows;
    if (list.ok())
      for (const auto& rep : list.value())
        rows.push_back(mstch::map{{"number", rep.number},
                                  {"href", url_encode(rep.number)},
                                  {"title", rep.title},
                                  {"state", std::string(french(rep.state))}});
    return page("reports", "Séances et rapports",
                {{"reports", rows},
                 {"can_compose", permits(who.role, Action::ManageReports)},
                 {"csrf", who.csrf_token}},
                &who, refusal, refusal ? 422 : 200);
  }

  HttpResponse report(const std::string& number, const Principal& who,
                      const Refusal* refusal = nullptr, const std::string& flash = "") {
    auto v =
        run_read(store, [&](Transaction& tx) { return show_report(tx, who.authority, number); });
    if (!v.ok()) return not_found(who, v.refusal());
    const auto& rv = v.value();
    mstch::array articles;
    for (const auto& av : rv.articles) {
      mstch::array dossiers;
      for (const auto& app : av.applications)
        dossiers.push_back(
            mstch::map{{"number", app.application.number},
                       {"party", app.party.legal_name},
                       {"award", app.application.award ? fr::euros(app.application.award->amount)
                                 : app.award           ? fr::euros(app.award->amount)
                                                       : std::string("—")}});
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
      checks.push_back(
          mstch::map{{"line", std::to_string(c.line.fiscal_year) + "/" + c.line.action},
                     {"needed", fr::euros(c.needed)},
                     {"available", fr::euros(c.available)},
                     {"verdict", std::string(c.enough ? "suffisant" : "insuffisant")}});
    auto budget = run_read(store, [&](Transaction& tx) {
      return tx.ledger().list_budget_lines(who.authority, std::nullopt);
    });
    for (const auto& l : budget)
      lines.push_back(mstch::map{{"key", std::to_string(l.fiscal_year) + "/" + l.action},
                                 {"label", l.action_label}});
    mstch::array schemes, proposed, parties;
    if (draft && permits(who.role, Action::ManageReports)) {
      for (const auto& pa : run_read(
               store, [&](Transaction& tx) { return tx.parties().list_parties(who.authority); }))
        parties.push_back(mstch::map{{"id", std::to_string(pa.id.value)}, {"name", pa.legal_name}});
      for (const auto& sc : run_read(
               store, [&](Transaction& tx) { return tx.schemes().list_schemes(who.authority); }))
        schemes.push_back(mstch::map{{"number", sc.number}, {"name", sc.name}});
      auto ready = run_read(store, [&](Transaction& tx) {
        ApplicationFilter f;
        f.state = ApplicationState::Proposed;
        f.limit = 1000;
        return list_applications(tx, who.authority, f);
      });
      if (ready.ok())
        for (const auto& d : ready.value())
          proposed.push_back(
              mstch::map{{"number", d.application.number},
                         {"party", d.party.legal_name},
                         {"award", d.award ? fr::euros(d.award->amount) : std::string("—")}});
    }
    // The session's documents (report, deliberation, annexes), each downloadable.
    mstch::array docs;
    auto wanted = run_read(store, [&](Transaction& tx) {
      return report_documents(tx, who.authority, rv.report.number);
    });
    if (wanted.ok())
      for (const auto& d : wanted.value()) {
        std::string label(french(d.kind));
        if (!d.number.empty()) label += " " + d.number;
        label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
        docs.push_back(mstch::map{{"file", d.file}, {"label", label}});
      }
    mstch::map ctx{{"number", rv.report.number},
                   {"href", url_encode(rv.report.number)},
                   {"documents", docs},
                   {"title", rv.report.title},
                   {"body", std::string(french(rv.session.body))},
                   {"date", fr::date_long(rv.session.date)},
                   {"state", std::string(french(rv.report.state))},
                   {"articles", articles},
                   {"can_adopt", can_adopt},
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
    return page("report", "Rapport " + number, ctx, &who, refusal, refusal ? 422 : 200, flash);
  }

  HttpResponse create_report_form(const HttpRequest& r, const Principal& who) {
    ReportInput in;
    in.number = param(r, "number");
    in.title = param(r, "title");
    in.body = param(r, "body");
    in.session_date = param(r, "session_date");
    const Context ctx = context_of(who, clock);
    auto created = run_write(store, [&](Transaction& tx) { return create_report(tx, ctx, in); });
    if (!created.ok()) return reports(who, &created.refusal());
    return redirect("/rapports/" + url_encode(created->number));
  }

  HttpResponse add_article_form(const HttpRequest& r, const std::string& number,
                                const Principal& who) {
    ArticleInput in;
    in.kind = param(r, "kind");
    in.title = param(r, "title");
    in.line = param(r, "line");
    in.amount = param(r, "amount");
    in.scheme = param(r, "scheme");
    in.party = param(r, "party");
    in.planned_total = param(r, "planned_total");
    in.tranche_rate = param(r, "tranche_rate");
    in.application = param(r, "application");
    in.new_end = param(r, "new_end");
    for (const auto& [k, v] : r.query)
      if (k.rfind("application-", 0) == 0 && v == "1") in.applications.push_back(k.substr(12));
    const Context ctx = context_of(who, clock);
    auto added =
        run_write(store, [&](Transaction& tx) { return add_article(tx, ctx, number, in); });
    if (!added.ok()) return report(number, who, &added.refusal());
    return redirect("/rapports/" + url_encode(number) + "?article=1");
  }

  HttpResponse remove_article_form(const std::string& number, const std::string& position,
                                   const Principal& who) {
    const Context ctx = context_of(who, clock);
    auto removed = run_write(
        store, [&](Transaction& tx) { return remove_article(tx, ctx, number, position); });
    if (!removed.ok()) return report(number, who, &removed.refusal());
    return redirect("/rapports/" + url_encode(number) + "?retrait=1");
  }

  HttpResponse adopt(const HttpRequest& r, const std::string& number, const Principal& who) {
    if (param(r, "confirm") != "1") {
      const Refusal unconfirmed =
          refuse("report.confirm", "confirm",
                 "Cochez la confirmation : l'adoption engage le budget et ne se défait pas.");
      return report(number, who, &unconfirmed);
    }
    const Context ctx = context_of(who, clock);
    auto adopted = run_write(store, [&](Transaction& tx) { return adopt_report(tx, ctx, number); });
    if (!adopted.ok()) return report(number, who, &adopted.refusal());
    return redirect("/rapports/" + url_encode(number) + "?adopte=1");
  }

  HttpResponse journal(const std::string& year, const std::string& action, const Principal& who) {
    const std::string key = year + "/" + action;
    auto line = run_read(
        store, [&](Transaction& tx) { return budget_line_by_key(tx, who.authority, key); });
    if (!line.ok()) return not_found(who, line.refusal());
    auto entries =
        run_read(store, [&](Transaction& tx) { return line_journal(tx, who.authority, key); });
    mstch::array rows;
    if (entries.ok())
      for (const auto& e : entries.value())
        rows.push_back(mstch::map{{"id", std::to_string(e.id.value)},
                                  {"at", when(e.at)},
                                  {"kind", std::string(french(e.kind))},
                                  {"amount", fr::euros(e.amount)},
                                  {"reference", e.reference},
                                  {"label", e.label}});
    return page("journal", "Ligne " + key,
                {{"key", key},
                 {"label", line->action_label},
                 {"imputation", line->imputation.str()},
                 {"entries", rows}},
                &who);
  }
};

Web::Web(sql::SqlStore& store, Clock& clock, PasswordHasher& passwords, TokenSource& tokens,
         LoginThrottle& throttle, const ApiOptions& options)
    : impl_(std::make_unique<Impl>(Impl{store, clock, passwords, tokens, throttle, options})) {}

Web::~Web() = default;

HttpResponse Web::handle(const HttpRequest& r) {
  Impl& w = *impl_;
  const auto parts = [&] {
    std::vector<std::string> out;
    std::string cur;
    for (char c : r.path) {
      if (c == '/') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  }();
  if (parts.size() == 1 && parts[0] == "login" && (r.method == "GET" || r.method == "POST"))
    return w.login_page(r);
  auto who = w.who_is(r);
  if (!who.ok()) return redirect("/login");
  const Principal& p = who.value();
  if (r.method == "POST") {
    if (param(r, "csrf") != p.csrf_token) {
      const Refusal bad =
          refuse("auth.csrf", "csrf", "Jeton CSRF absent ou invalide : rechargez la page.");
      return w.page("error", "Refusé", {{"heading", std::string("Formulaire refusé")}}, &p, &bad,
                    403);
    }
    if (parts.size() == 1 && parts[0] == "logout") {
      static_cast<void>(run_write(w.store, [&](Transaction& tx) -> Result<int> {
        close_session(tx, r.cookie("octroi_session"), w.store.hasher());
        return 0;
      }));
      auto out = redirect("/login");
      out.headers.push_back(
          {"Set-Cookie", "octroi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
      return out;
    }
    if (parts.size() == 3 && parts[0] == "dossiers" && parts[2] == "plan") {
      if (!permits(p.role, Action::EditDossier)) return w.forbidden(p);
      return w.edit_plan_form(r, parts[1], p);
    }
    if (parts.size() == 3 && parts[0] == "dossiers" && parts[2] == "evenement") {
      if (!permits(p.role, Action::MoveDossier)) return w.forbidden(p);
      return w.move(r, parts[1], p);
    }
    if (parts.size() == 3 && parts[0] == "dossiers" && parts[2] == "notes") {
      if (!permits(p.role, Action::EditDossier)) return w.forbidden(p);
      return w.note(r, parts[1], p);
    }
    if (parts.size() == 3 && parts[0] == "dossiers" && parts[2] == "minimis") {
      if (!permits(p.role, Action::EditDossier)) return w.forbidden(p);
      return w.state_aid_check(parts[1], p);
    }
    if (parts.size() == 4 && parts[0] == "dossiers" && parts[2] == "aide") {
      if (!permits(p.role, Action::ManagePayments)) return w.forbidden(p);
      if (parts[3] == "convention") return w.draft_agreement(r, parts[1], p);
      if (parts[3] == "signature") return w.sign(r, parts[1], p);
      if (parts[3] == "versement") return w.pay(r, parts[1], p);
    }
    if (parts.size() == 1 && parts[0] == "compte") return w.change_own_password(r, p);
    if (parts.size() == 1 && parts[0] == "rapports") {
      if (!permits(p.role, Action::ManageReports)) return w.forbidden(p);
      return w.create_report_form(r, p);
    }
    if (parts.size() == 3 && parts[0] == "rapports" && parts[2] == "articles") {
      if (!permits(p.role, Action::ManageReports)) return w.forbidden(p);
      return w.add_article_form(r, parts[1], p);
    }
    if (parts.size() == 5 && parts[0] == "rapports" && parts[2] == "articles" &&
        parts[4] == "retrait") {
      if (!permits(p.role, Action::ManageReports)) return w.forbidden(p);
      return w.remove_article_form(parts[1], parts[3], p);
    }
    if (parts.size() == 1 && parts[0] == "modeles") {
      if (!permits(p.role, Action::ManageSchemes)) return w.forbidden(p);
      return w.upload_template_form(r, p);
    }
    if (parts.size() == 3 && parts[0] == "rapports" && parts[2] == "adoption") {
      if (!permits(p.role, Action::ManageReports)) return w.forbidden(p);
      return w.adopt(r, parts[1], p);
    }
  } else if (r.method == "GET") {
    if (!permits(p.role, Action::Read)) return w.forbidden(p);
    if (parts.empty()) return w.dashboard(p);
    if (parts.size() == 1 && parts[0] == "dossiers") return w.dossiers(r, p);
    if (parts.size() == 2 && parts[0] == "dossiers")
      return w.dossier(parts[1], p, nullptr,
                       !param(r, "note").empty()        ? "Note ajoutée."
                       : !param(r, "modifie").empty()   ? "Plan de financement enregistré."
                       : !param(r, "evenement").empty() ? "Le dossier a avancé."
                       : !param(r, "minimis").empty()   ? "Contrôle de minimis enregistré."
                                                        : "");
    if (parts.size() == 3 && parts[0] == "dossiers" &&
        (parts[2] == "fiche.odt" || parts[2] == "fiche.pdf" || parts[2] == "convention.odt" ||
         parts[2] == "convention.pdf" || parts[2] == "notification.odt" ||
         parts[2] == "notification.pdf"))
      return w.dossier_document(parts[1], parts[2], p);
    if (parts.size() == 3 && parts[0] == "rapports")
      return w.report_document(parts[1], parts[2], p);
    if (parts.size() == 1 && parts[0] == "modeles")
      return w.templates(p, nullptr, nullptr,
                         param(r, "depose").empty() ? ""
                                                    : "Nouvelle version du modèle « " +
                                                          param(r, "depose") + " » déposée.");
    if (parts.size() == 3 && parts[0] == "modeles") return w.template_file(parts[1], parts[2], p);
    if (parts.size() == 3 && parts[0] == "dossiers" && parts[2] == "aide")
      return w.award_page(parts[1], p, nullptr,
                          !param(r, "convention").empty()  ? "Convention établie."
                          : !param(r, "signature").empty() ? "Signature enregistrée."
                          : !param(r, "versement").empty() ? "Versement enregistré."
                                                           : "");
    if (parts.size() == 1 && parts[0] == "conventions") return w.awards(p);
    if (parts.size() == 1 && (parts[0] == "dossiers.xlsx" || parts[0] == "budget.xlsx" ||
                              parts[0] == "conventions.xlsx"))
      return w.workbook(r, parts[0].substr(0, parts[0].size() - 5), p);
    if (parts.size() == 2 && parts[0] == "conventions" && parts[1] == "scdl.csv")
      return w.scdl(r, p);
    if (parts.size() == 1 && parts[0] == "rapports") return w.reports(p);
    if (parts.size() == 1 && parts[0] == "compte") return w.account(p);
    if (parts.size() == 2 && parts[0] == "tiers") return w.party(parts[1], p);
    if (parts.size() == 2 && parts[0] == "rapports")
      return w.report(parts[1], p, nullptr,
                      !param(r, "adopte").empty()    ? "Adoption enregistrée."
                      : !param(r, "article").empty() ? "Article ajouté."
                      : !param(r, "retrait").empty() ? "Article retiré."
                                                     : "");
    if (parts.size() == 3 && parts[0] == "budget") return w.journal(parts[1], parts[2], p);
  }
  return w.not_found(p, refuse("request.not_found", "path", "Cette page n'existe pas."));
}

}  // namespace octroi::http
