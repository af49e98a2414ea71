// The helpers every page area shares (web/pages.h): the layout, the error pages, the session, the
// French wording of dates, shares and audit lines.
#include <map>
#include <stdexcept>
#include <string>

#include "adapters/http/web/field_errors.h"
#include "adapters/http/web/pages.h"
#include "app/ports/accounts.h"
#include "app/use_cases.h"
#include "core/french.h"

namespace octroi::http {
const std::map<std::string, std::string>& html_templates();  // generated (embed_files.cmake)
}  // namespace octroi::http

namespace octroi::http::pages {

const std::string& tpl(const std::string& name) {
  const auto& all = html_templates();
  const auto it = all.find(name);
  OCTROI_CHECK(it != all.end(), "every page has its template");
  return it->second;
}

HttpResponse redirect(const std::string& to) {
  // A header value never carries a line break, whatever a page passed.
  if (to.find_first_of("\r\n") != std::string::npos) throw std::logic_error("redirect: CR/LF");
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

std::string flash_of(const HttpRequest& r,
                     const std::vector<std::pair<std::string, std::string>>& flags) {
  for (const auto& [flag, message] : flags)
    if (!param(r, flag).empty()) return message;
  return "";
}

mstch::array problems_of(const Refusal& r) {
  mstch::array out;
  for (const auto& p : r.problems)
    out.push_back(mstch::map{{"code", p.code}, {"field", p.field}, {"message", p.message}});
  return out;
}

std::string when(const Instant& t) {
  return fr::moment(t);
}

std::string share(std::int64_t bp) {
  return fr::percent_bp(bp);
}

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
      {"application.assign", "attribution à un instructeur"},
      {"application.follow", "suivi par un agent"},
      {"application.unfollow", "fin du suivi par un agent"},
      {"opinion.request", "avis demandé à un service"},
      {"opinion.answer", "avis donné"},
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

std::string actor_name(const std::map<std::string, std::string>& names, const std::string& actor) {
  const auto it = names.find(actor);
  return it == names.end() ? actor : it->second;
}

mstch::map budget_line_row(const BudgetLineView& v) {
  const auto& b = v.balances;
  return mstch::map{{"key", v.line.key()},
                    {"year", std::to_string(v.line.fiscal_year)},
                    {"action", v.line.action},
                    {"href", "/budget/" + std::to_string(v.line.fiscal_year) + "/" + v.line.action},
                    {"label", v.line.action_label},
                    {"imputation", v.line.imputation.str()},
                    {"voted", fr::euros(b.ae_voted)},
                    {"allocated", fr::euros(b.allocated)},
                    {"committed", fr::euros(b.committed)},
                    {"paid", fr::euros(b.paid)},
                    {"available", fr::euros(b.available())},
                    {"cp_voted", fr::euros(b.cp_voted)},
                    {"cp_used", fr::euros(b.cp_used)}};
}

Refusal no_such_page() {
  return refuse("request.not_found", "path", "Cette page n'existe pas.");
}

namespace {

// Each table in a box of its own that scrolls sideways on a narrow screen, so that the page itself
// never does (RGAA 10.11, 320 px); focusable, so that a keyboard can scroll it. The body's tables
// come from the templates: a user's "<table" is escaped before it gets here.
std::string wrap_tables(std::string html) {
  static const std::string open = "<div class=\"table-scroll\" tabindex=\"0\">";
  static const std::string close = "</div>";
  for (auto at = html.find("<table"); at != std::string::npos;) {
    const auto end = html.find("</table>", at);
    if (end == std::string::npos) break;  // an unclosed table is left as it is, never half-wrapped
    html.insert(end + 8, close);
    html.insert(at, open);
    at = html.find("<table", end + 8 + open.size() + close.size());
  }
  return html;
}

}  // namespace

namespace {

// A page's body rendered, its refusal placed next to its fields, inside the layout `layout_name`
// whose own values are `layout`.
HttpResponse render_page(const std::string& layout_name, mstch::map layout, const std::string& name,
                         const mstch::map& ctx, const Refusal* refusal, int status,
                         const std::string& flash) {
  // The page's body first, so that a refusal's messages can be put next to their fields in it.
  // Every template may include another as a partial ({{>scheme_form}}).
  std::string body = wrap_tables(mstch::render(tpl(name), ctx, html_templates()));
  if (refusal) {
    std::vector<PlacedProblem> placed;
    body = place_field_errors(std::move(body), *refusal, placed);
    mstch::array problems;
    for (const auto& p : placed)
      problems.push_back(
          mstch::map{{"code", p.code}, {"message", p.message}, {"anchor", p.anchor}});
    layout["has_problems"] = true;
    layout["problems"] = problems;
  }
  if (!flash.empty()) layout["flash"] = flash;
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  // The layout around a marker, then the body put in its place: the body is never read again as
  // a template (what a user typed in it could hold "{{"), and the marker cannot come from data,
  // whose "<" is escaped.
  static const std::string kMarker = "<!--octroi:page-->";
  r.body = mstch::render(tpl(layout_name), layout, {{"page", kMarker}, {"style", tpl("style")}});
  if (const auto at = r.body.find(kMarker); at != std::string::npos)
    r.body.replace(at, kMarker.size(), body);
  r.headers.push_back({"Content-Security-Policy",
                       "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; "
                       "form-action 'self'; frame-ancestors 'none'"});
  r.headers.push_back({"X-Frame-Options", "DENY"});
  return r;
}

}  // namespace

HttpResponse WebContext::page(const std::string& name, const std::string& title, mstch::map ctx,
                              const Principal* who, const Refusal* refusal, int status,
                              const std::string& flash) const {
  mstch::map layout = ctx;
  layout["page_title"] = title;
  if (who)
    layout["user"] = mstch::map{{"display_name", who->display_name},
                                {"role_label", std::string(role_label(who->role))},
                                {"can_administer", permits(who->role, Action::ManageUsers)},
                                {"csrf", who->csrf_token}};
  return render_page("layout", std::move(layout), name, ctx, refusal, status, flash);
}

HttpResponse WebContext::portal_page(const std::string& name, const std::string& title,
                                     mstch::map ctx, const Principal* who, const Refusal* refusal,
                                     int status, const std::string& flash) const {
  mstch::map layout = ctx;
  layout["page_title"] = title;
  if (who)
    layout["applicant"] =
        mstch::map{{"display_name", who->display_name}, {"csrf", who->csrf_token}};
  return render_page("portal_layout", std::move(layout), name, ctx, refusal, status, flash);
}

HttpResponse WebContext::error_page(const std::string& heading, const Principal& who,
                                    const Refusal& r, int status) const {
  return page("error", heading, {{"heading", heading}}, &who, &r, status);
}

HttpResponse WebContext::forbidden(const Principal& who) const {
  const Refusal r =
      refuse("auth.forbidden", "role",
             "Votre rôle (" + std::string(role_label(who.role)) + ") ne permet pas cette action.");
  return error_page("Accès refusé", who, r, 403);
}

HttpResponse WebContext::not_found(const Principal& who, const Refusal& r) const {
  return error_page("Introuvable", who, r, 404);
}

HttpResponse WebContext::csrf_refused(const Principal& who) const {
  const Refusal bad =
      refuse("auth.csrf", "csrf", "Jeton CSRF absent ou invalide : rechargez la page.");
  return page("error", "Refusé", {{"heading", std::string("Formulaire refusé")}}, &who, &bad, 403);
}

Result<Principal> WebContext::who_is(const HttpRequest& r) const {
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

std::map<std::string, std::string> WebContext::actor_names(AuthorityId a) const {
  std::map<std::string, std::string> out;
  for (const auto& u :
       run_read(store, [&](Transaction& tx) { return tx.accounts().list_users(a); }))
    out["web:" + u.login] = u.display_name;
  return out;
}

}  // namespace octroi::http::pages
