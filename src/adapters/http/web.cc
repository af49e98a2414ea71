#include "adapters/http/web.h"

#include <mstch/mstch.hpp>

#include <map>

#include "app/context.h"
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
                                  {"available", fr::euros(b.ae_voted - b.allocated)},
                                  {"cp_voted", fr::euros(b.cp_voted)}});
      }
    auto apps = run_read(store, [&](Transaction& tx) {
      ApplicationFilter f;
      f.limit = 1000;
      return list_applications(tx, who.authority, f);
    });
    std::map<std::string, std::pair<std::string, int>> by_state;
    if (apps.ok())
      for (const auto& a : apps.value()) {
        auto& e = by_state[std::string(to_string(a.application.state))];
        e.first = std::string(french(a.application.state));
        ++e.second;
      }
    mstch::array states;
    for (const auto& [state, e] : by_state)
      states.push_back(
          mstch::map{{"state", state}, {"label", e.first}, {"count", std::to_string(e.second)}});
    return page("dashboard", "Tableau de bord", {{"lines", rows}, {"states", states}}, &who);
  }

  HttpResponse dossiers(const HttpRequest& r, const Principal& who) {
    ApplicationFilter f;
    f.limit = 50;
    const std::string page_s = param(r, "page");
    int page_n = 1;
    if (!page_s.empty() && page_s.size() < 6 &&
        page_s.find_first_not_of("0123456789") == std::string::npos)
      page_n = std::max(1, std::stoi(page_s));
    f.offset = (page_n - 1) * f.limit;
    const std::string state = param(r, "state"), scheme = param(r, "scheme");
    if (!state.empty()) {
      ApplicationState s{};
      if (parse_state(state, s)) f.state = s;
    }
    auto list = run_read(store, [&](Transaction& tx) -> Result<std::vector<ApplicationView>> {
      if (!scheme.empty()) {
        auto s = scheme_by_number(tx, who.authority, scheme);
        if (!s.ok()) return s.refusal();
        f.scheme = s->id;
      }
      return list_applications(tx, who.authority, f);
    });
    auto schemes = run_read(store, [&](Transaction& tx) { return tx.list_schemes(who.authority); });
    mstch::array scheme_options, state_options, rows;
    for (const auto& s : schemes)
      scheme_options.push_back(mstch::map{{"value", s.number},
                                          {"label", s.number + " — " + s.name},
                                          {"selected", s.number == scheme}});
    for (ApplicationState s : all_states())
      state_options.push_back(mstch::map{{"value", std::string(to_string(s))},
                                         {"label", std::string(french(s))},
                                         {"selected", std::string(to_string(s)) == state}});
    if (!list.ok()) return page("dossiers", "Dossiers", {}, &who, &list.refusal(), 422);
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
    const std::string base =
        "/dossiers?state=" + url_encode(state) + "&scheme=" + url_encode(scheme) + "&page=";
    mstch::map ctx{{"dossiers", rows},
                   {"count", std::to_string(list->size())},
                   {"page_label", "page " + std::to_string(page_n)},
                   {"state_options", state_options},
                   {"scheme_options", scheme_options}};
    if (page_n > 1) ctx["previous"] = base + std::to_string(page_n - 1);
    if (static_cast<std::int64_t>(list->size()) == f.limit)
      ctx["next"] = base + std::to_string(page_n + 1);
    return page("dossiers", "Dossiers", ctx, &who);
  }

  mstch::map dossier_context(const ApplicationView& v, const Principal& who) {
    const auto& a = v.application;
    const bool editable = permits(who.role, Action::EditDossier) && plan_editable(a.state);
    mstch::array expenses, resources, explanation, history;
    for (std::size_t i = 0; i < v.plan.expenses.size(); ++i) {
      const auto& l = v.plan.expenses[i];
      expenses.push_back(mstch::map{{"position", std::to_string(i + 1)},
                                    {"label", l.label},
                                    {"amount", fr::euros(l.amount)},
                                    {"amount_raw", l.amount.to_decimal_string()},
                                    {"share", share(l.share_bp)},
                                    {"eligible", std::string(l.eligible ? "oui" : "non")}});
    }
    for (std::size_t i = 0; i < v.plan.resources.size(); ++i) {
      const auto& l = v.plan.resources[i];
      resources.push_back(mstch::map{{"position", std::to_string(i + 1)},
                                     {"label", l.label},
                                     {"amount", fr::euros(l.amount)},
                                     {"amount_raw", l.amount.to_decimal_string()},
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
      history.push_back(mstch::map{
          {"at", when(h.at)}, {"actor", h.actor}, {"event", what}, {"reason", h.reason}});
    }
    mstch::map ctx{{"number", a.number},
                   {"title", a.project.title},
                   {"state", std::string(french(a.state))},
                   {"scheme_number", v.scheme.number},
                   {"scheme_name", v.scheme.name},
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
                   {"editable", editable},
                   {"csrf", who.csrf_token}};
    // The workflow's events from this state, but those that only an act may cause (the vote,
    // the balance payment, the lapse sweep).
    mstch::array events;
    for (const auto& t : workflow_table()) {
      if (t.from != a.state) continue;
      const std::string name(to_string(t.event));
      if (name == "award" || name == "close" || name == "lapse") continue;
      events.push_back(mstch::map{{"value", name}, {"label", std::string(french(t.event))}});
    }
    ctx["can_move"] = permits(who.role, Action::MoveDossier) && !events.empty();
    ctx["party_id"] = std::to_string(v.party.id.value);
    ctx["can_note"] = permits(who.role, Action::EditDossier);
    auto notes = run_read(
        store, [&](Transaction& tx) { return notes_of_application(tx, who.authority, a.number); });
    mstch::array note_rows;
    if (notes.ok())
      for (const auto& n : notes.value())
        note_rows.push_back(mstch::map{{"author", n.author}, {"at", when(n.at)}, {"text", n.text}});
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
    if (a.award) ctx["awarded"] = fr::euros(a.award->amount);
    if (v.award_refusal) ctx["award_refusal"] = v.award_refusal->first().message;
    return ctx;
  }

  HttpResponse dossier(const std::string& number, const Principal& who,
                       const Refusal* refusal = nullptr, const std::string& flash = "") {
    auto v = run_read(store,
                      [&](Transaction& tx) { return show_application(tx, who.authority, number); });
    if (!v.ok()) return not_found(who, v.refusal());
    return page("dossier", "Dossier " + number, dossier_context(v.value(), who), &who, refusal,
                refusal ? 422 : 200, flash);
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
    const Context ctx{who.authority, who.actor, &clock};
    auto edited =
        run_write(store, [&](Transaction& tx) { return edit_plan(tx, ctx, number, changes); });
    if (!edited.ok()) return dossier(number, who, &edited.refusal());
    return redirect("/dossiers/" + url_encode(number) + "?modifie=1");
  }

  HttpResponse move(const HttpRequest& r, const std::string& number, const Principal& who) {
    EventInput in;
    in.event = param(r, "event");
    in.reason = param(r, "reason");
    const Context ctx{who.authority, who.actor, &clock};
    auto moved = run_write(
        store, [&](Transaction& tx) { return apply_application_event(tx, ctx, number, in); });
    if (!moved.ok()) return dossier(number, who, &moved.refusal());
    return redirect("/dossiers/" + url_encode(number) + "?evenement=1");
  }

  HttpResponse note(const HttpRequest& r, const std::string& number, const Principal& who) {
    const Context ctx{who.authority, who.actor, &clock};
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
    const Context ctx{who.authority, who.actor, &clock};
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

  // Everything octroi knows of a party in this authority: its dossiers, what was awarded and
  // paid (the 360° view instructors ask each other for).
  HttpResponse party(const std::string& id_text, const Principal& who) {
    const Refusal unknown = refuse("party.unknown", "id", "Tiers inconnu.");
    if (id_text.empty() || id_text.size() > 12 ||
        id_text.find_first_not_of("0123456789") != std::string::npos)
      return not_found(who, unknown);
    const PartyId id{std::stoll(id_text)};
    const auto p =
        run_read(store, [&](Transaction& tx) { return tx.get_party(who.authority, id); });
    if (!p) return not_found(who, unknown);
    auto all = run_read(store, [&](Transaction& tx) {
      ApplicationFilter f;
      f.limit = 1000;
      return list_applications(tx, who.authority, f);
    });
    mstch::array rows;
    Money awarded, paid;
    if (all.ok())
      for (const auto& v : all.value()) {
        if (v.party.id != id) continue;
        Money dossier_paid;
        auto award = run_read(store, [&](Transaction& tx) {
          return show_award(tx, who.authority, v.application.number);
        });
        if (award.ok()) dossier_paid = award->paid;
        const Money granted = v.application.award ? v.application.award->amount : Money();
        awarded = awarded + granted;
        paid = paid + dossier_paid;
        rows.push_back(
            mstch::map{{"number", v.application.number},
                       {"title", v.application.project.title},
                       {"state", std::string(french(v.application.state))},
                       {"awarded", v.application.award ? fr::euros(granted) : std::string("—")},
                       {"paid", fr::euros(dossier_paid)}});
      }
    const Address& ad = p->address;
    return page("party", p->legal_name,
                {{"name", p->legal_name},
                 {"siret", p->siret},
                 {"siren", p->siret.empty() ? p->siren : std::string()},
                 {"status", p->legal_status},
                 {"address", ad.display()},
                 {"vat", std::string(p->recovers_vat ? "récupérée (montants HT)"
                                                     : "non récupérée (montants TTC)")},
                 {"dossiers", rows},
                 {"total_awarded", fr::euros(awarded)},
                 {"total_paid", fr::euros(paid)}},
                &who);
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
      articles.push_back(
          mstch::map{{"position", std::to_string(av.article.position)},
                     {"kind", std::string(french(av.article.kind))},
                     {"title", av.article.title},
                     {"line", std::to_string(av.line.fiscal_year) + "/" + av.line.action},
                     {"amount", fr::euros(av.article.amount)},
                     {"has_dossiers", !dossiers.empty()},
                     {"dossiers", dossiers}});
    }
    const bool draft = rv.report.state == ReportState::Draft;
    const bool can_adopt = permits(who.role, Action::ManageReports) && draft;
    // The AE/AP check before the vote: per line, what the report's articles allocate against
    // what the line still has (voted minus allocated). Transfers allocate nothing.
    std::map<std::string, Money> needed;
    for (const auto& av : rv.articles)
      if (av.article.kind != ArticleKind::Transfer)
        needed[std::to_string(av.line.fiscal_year) + "/" + av.line.action] =
            needed[std::to_string(av.line.fiscal_year) + "/" + av.line.action] + av.article.amount;
    auto overview = run_read(
        store, [&](Transaction& tx) { return budget_overview(tx, who.authority, std::nullopt); });
    mstch::array checks, lines;
    if (overview.ok())
      for (const auto& l : overview.value()) {
        const std::string key = std::to_string(l.line.fiscal_year) + "/" + l.line.action;
        lines.push_back(mstch::map{{"key", key}, {"label", l.line.action_label}});
        const auto it = needed.find(key);
        if (it == needed.end()) continue;
        const Money available = l.balances.ae_voted - l.balances.allocated;
        const bool enough = !draft || it->second <= available;
        checks.push_back(
            mstch::map{{"line", key},
                       {"needed", fr::euros(it->second)},
                       {"available", fr::euros(available)},
                       {"verdict", std::string(!draft   ? "affecté par le vote"
                                               : enough ? "suffisant"
                                                        : "insuffisant : le vote sera refusé")}});
      }
    mstch::array schemes, proposed, parties;
    if (draft && permits(who.role, Action::ManageReports)) {
      for (const auto& pa :
           run_read(store, [&](Transaction& tx) { return tx.list_parties(who.authority); }))
        parties.push_back(mstch::map{{"id", std::to_string(pa.id.value)}, {"name", pa.legal_name}});
      for (const auto& sc :
           run_read(store, [&](Transaction& tx) { return tx.list_schemes(who.authority); }))
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
    mstch::map ctx{{"number", rv.report.number},
                   {"href", url_encode(rv.report.number)},
                   {"title", rv.report.title},
                   {"body", std::string(french(rv.session.body))},
                   {"date", fr::date_long(rv.session.date)},
                   {"state", std::string(french(rv.report.state))},
                   {"articles", articles},
                   {"can_adopt", can_adopt},
                   {"can_compose", can_adopt},
                   {"checks", checks},
                   {"lines", lines},
                   {"schemes", schemes},
                   {"proposed", proposed},
                   {"parties", parties},
                   {"csrf", who.csrf_token}};
    return page("report", "Rapport " + number, ctx, &who, refusal, refusal ? 422 : 200, flash);
  }

  HttpResponse create_report_form(const HttpRequest& r, const Principal& who) {
    ReportInput in;
    in.number = param(r, "number");
    in.title = param(r, "title");
    in.body = param(r, "body");
    in.session_date = param(r, "session_date");
    const Context ctx{who.authority, who.actor, &clock};
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
    for (const auto& [k, v] : r.query)
      if (k.rfind("application-", 0) == 0 && v == "1") in.applications.push_back(k.substr(12));
    const Context ctx{who.authority, who.actor, &clock};
    auto added =
        run_write(store, [&](Transaction& tx) { return add_article(tx, ctx, number, in); });
    if (!added.ok()) return report(number, who, &added.refusal());
    return redirect("/rapports/" + url_encode(number) + "?article=1");
  }

  HttpResponse adopt(const HttpRequest& r, const std::string& number, const Principal& who) {
    if (param(r, "confirm") != "1") {
      const Refusal unconfirmed =
          refuse("report.confirm", "confirm",
                 "Cochez la confirmation : l'adoption engage le budget et ne se défait pas.");
      return report(number, who, &unconfirmed);
    }
    const Context ctx{who.authority, who.actor, &clock};
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
    if (parts.size() == 1 && parts[0] == "compte") return w.change_own_password(r, p);
    if (parts.size() == 1 && parts[0] == "rapports") {
      if (!permits(p.role, Action::ManageReports)) return w.forbidden(p);
      return w.create_report_form(r, p);
    }
    if (parts.size() == 3 && parts[0] == "rapports" && parts[2] == "articles") {
      if (!permits(p.role, Action::ManageReports)) return w.forbidden(p);
      return w.add_article_form(r, parts[1], p);
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
                                                        : "");
    if (parts.size() == 1 && parts[0] == "rapports") return w.reports(p);
    if (parts.size() == 1 && parts[0] == "compte") return w.account(p);
    if (parts.size() == 2 && parts[0] == "tiers") return w.party(parts[1], p);
    if (parts.size() == 2 && parts[0] == "rapports")
      return w.report(parts[1], p, nullptr,
                      !param(r, "adopte").empty()    ? "Adoption enregistrée."
                      : !param(r, "article").empty() ? "Article ajouté."
                                                     : "");
    if (parts.size() == 3 && parts[0] == "budget") return w.journal(parts[1], parts[2], p);
  }
  return w.not_found(p, refuse("request.not_found", "path", "Cette page n'existe pas."));
}

}  // namespace octroi::http
