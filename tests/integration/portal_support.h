// The applicant portal in-process (issue 19): requests with the portal's cookies (the session,
// octroi_portail; the public forms' token, octroi_portail_form), an applicant signed up, verified
// by the link of the e-mail the outbox holds, and logged in; an organisation joined; a dossier
// applied for. Shared by the portal's tests.
#pragma once

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "app/portal.h"
#include "app/ports/portal.h"
#include "integration/web_page_support.h"

namespace octroi_test {

class PortalTest : public WebPageTest {
 protected:
  static constexpr const char* kFormToken =
      "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
  static constexpr const char* kPassword = "un-mot-de-passe-solide";

  void SetUp() override {
    WebPageTest::SetUp();
    if (HasFatalFailure()) return;
    octroi::http::ApiOptions o;
    o.portal.base_url = "https://aides.example.fr";
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_, o);
  }

  // A request of the portal: `session` is the applicant's (octroi_portail); public forms carry the
  // double-submit token (cookie and field).
  HttpResponse portal(const std::string& method, const std::string& path,
                      std::map<std::string, std::string> form = {}, const std::string& session = "",
                      const std::string& agent_session = "") {
    HttpRequest r;
    r.method = method;
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
      const std::string rest = path.substr(q + 1);
      std::size_t at = 0;
      while (at <= rest.size()) {
        auto end = rest.find('&', at);
        if (end == std::string::npos) end = rest.size();
        const auto kv = rest.substr(at, end - at);
        const auto eq = kv.find('=');
        if (eq != std::string::npos) r.query[kv.substr(0, eq)] = kv.substr(eq + 1);
        at = end + 1;
      }
    }
    for (auto& [k, v] : form)
      r.query[k] = v;
    std::string cookies = std::string("octroi_portail_form=") + kFormToken;
    if (!session.empty()) cookies += "; octroi_portail=" + session;
    if (!agent_session.empty()) cookies += "; octroi_session=" + agent_session;
    r.headers["cookie"] = cookies;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }
  HttpResponse pget(const std::string& path, const std::string& session = "") {
    return portal("GET", path, {}, session);
  }
  // A form of a signed-in applicant (with the session's CSRF token) or a public one.
  HttpResponse ppost(const std::string& path, std::map<std::string, std::string> form,
                     const std::string& session = "") {
    if (session.empty())
      form["form_csrf"] = kFormToken;
    else if (!form.count("csrf"))
      form["csrf"] = session_csrf(session);
    return portal("POST", path, form, session);
  }

  // The database holds what `before` (a dump_database) held.
  void expect_unchanged(const std::string& before) {
    const std::string after = dump_database(db_);
    EXPECT_EQ(before, after) << first_difference(before, after);
  }

  std::string session_csrf(const std::string& session) {
    return csrf_of(pget("/portail/espace", session).body);
  }

  // The e-mails to `email`, newest first.
  std::vector<octroi::MailRecord> mails_to(const std::string& email) {
    return octroi::run_read(
        *store_, [&](octroi::Transaction& tx) { return tx.portal().mail_to(idf_, email, 100); });
  }

  // The code of the newest e-mail to `email` whose body links to `path`.
  std::string code_in_mail(const std::string& email, const std::string& path) {
    for (const auto& m : mails_to(email)) {
      std::smatch found;
      const std::regex re(path + "\\?code=([0-9a-f]{64})");
      if (std::regex_search(m.body, found, re)) return found[1].str();
    }
    return "";
  }

  // Signs up, follows the verification link, logs in: the session token.
  std::string applicant(const std::string& email, const std::string& name = "Marie Dupont") {
    auto r = ppost("/portail/inscription",
                   {{"email", email}, {"display_name", name}, {"password", kPassword}});
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string code = code_in_mail(email, "/portail/verifier");
    EXPECT_FALSE(code.empty());
    r = ppost("/portail/verifier", {{"code", code}});
    EXPECT_EQ(r.status, 303) << r.body;
    return log_in(email, kPassword);
  }

  std::string log_in(const std::string& email, const std::string& password) {
    const auto r = ppost("/portail/connexion", {{"email", email}, {"password", password}});
    EXPECT_EQ(r.status, 303) << r.body;
    const std::string cookie = header(r, "Set-Cookie");
    const auto start = cookie.find('=') + 1;
    return cookie.substr(start, cookie.find(';') - start);
  }

  // Joins (registering it) the commune of this SIRET; its party id.
  std::int64_t join(const std::string& session, const std::string& siret, const std::string& name) {
    const auto r = ppost("/portail/organisations",
                         {{"siret", siret},
                          {"legal_name", name},
                          {"legal_status", "Commune"},
                          {"first_name", "Rolin"},
                          {"last_name", "Cranoly"},
                          {"role", "Maire"},
                          {"address_line1", "1 place Foch"},
                          {"postal_code", "93220"},
                          {"city", "Gagny"}},
                         session);
    EXPECT_EQ(r.status, 303) << r.body;
    const auto rows = query(db_, "SELECT id FROM parties WHERE siret = '" + siret + "'");
    return rows.empty() ? 0 : std::stoll(rows[0][0]);
  }

  // A draft on the chèque numérique: 16 000 € of eligible expenses, 8 000 € asked of the Region.
  std::string apply(const std::string& session, std::int64_t party,
                    const std::string& title = "Chèque numérique pour les commerces de Gagny") {
    const auto r = ppost("/portail/dispositifs/00001176/demande",
                         {{"party", std::to_string(party)},
                          {"title", title},
                          {"description", "Abonnements à une solution de vente en ligne"},
                          {"place", "Gagny"},
                          {"start", "01/02/2023"},
                          {"end", "31/12/2023"},
                          {"reference_year", "2023"},
                          {"expense-1-label", "Abonnements numériques"},
                          {"expense-1", "16 000,00"},
                          {"expense-1-eligible", "1"},
                          {"resource-1-label", "Région Île-de-France"},
                          {"resource-1", "8000"},
                          {"resource-1-kind", "authority"},
                          {"resource-2-label", "Commune"},
                          {"resource-2", "8000"},
                          {"resource-2-kind", "self_funding"}},
                         session);
    EXPECT_EQ(r.status, 303) << r.body;
    const std::string to = header(r, "Location");
    const auto at = to.find("/portail/dossiers/");
    return at == std::string::npos ? "" : to.substr(at + 18, 8);
  }

  // A file posted as multipart/form-data would be: the part `field` with `name` and `bytes`, the
  // other fields in `form` (the session's CSRF token added).
  HttpResponse upload(const std::string& path, const std::string& name, const std::string& bytes,
                      std::map<std::string, std::string> form, const std::string& session,
                      const std::string& field = "file") {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.query = std::move(form);
    if (!r.query.count("csrf")) r.query["csrf"] = session_csrf(session);
    r.query[field + ".filename"] = name;
    r.files[field] = bytes;
    r.headers["cookie"] =
        std::string("octroi_portail_form=") + kFormToken + "; octroi_portail=" + session;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  // A small PDF (what libmagic reads as application/pdf).
  static std::string pdf(const std::string& text) {
    return "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text + "\ntrailer << >>\n%%EOF\n";
  }

  // The three pieces the chèque numérique asks for, attached to the draft.
  void attach_pieces(const std::string& session, const std::string& number) {
    for (const char* piece : {"Délibération de la collectivité approuvant le projet",
                              "Devis ou factures des abonnements", "Relevé d'identité bancaire"}) {
      const auto r = upload("/portail/dossiers/" + number + "/fichiers", "piece.pdf", pdf(piece),
                            {{"piece", piece}}, session);
      EXPECT_EQ(r.status, 303) << r.body;
    }
  }

  // A dossier submitted, instructed, proposed and awarded by the vote of a report of today's
  // session (CP 2023-050); the scheme's payment ceilings set first (décret 2018-514's 30 % and
  // 80 %: the demonstration's scheme has none).
  void award(const std::string& number) {
    auto rules = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      auto sc = octroi::scheme_by_number(tx, ctx.authority, "00001176");
      if (!sc.ok()) return octroi::Result<octroi::AidScheme>(sc.refusal());
      octroi::SchemeInput in = octroi::scheme_input_of(sc.value());
      in.advance_max = "30";
      in.interim_max = "80";
      return octroi::edit_scheme(tx, ctx, "00001176", in);
    });
    EXPECT_TRUE(rules.ok()) << rules.refusal().describe();
    for (const char* event : {"start_instruction", "propose"}) {
      octroi::EventInput e;
      e.event = event;
      auto moved = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
        return octroi::apply_application_event(tx, ctx, number, e);
      });
      EXPECT_TRUE(moved.ok()) << event << ": " << moved.refusal().describe();
    }
    octroi::ReportInput r;
    r.number = "CP 2023-050";
    r.title = "Chèque numérique";
    r.session_date = "2023-01-20";
    octroi::ArticleInput a;
    a.kind = "scheme_awards";
    a.title = "Chèque numérique";
    a.line = "2023/16300302";
    a.scheme = "00001176";
    a.applications = {number};
    auto adopted = write(
        [&](octroi::Transaction& tx, const octroi::Context& ctx) -> octroi::Result<octroi::Done> {
          if (auto c = octroi::create_report(tx, ctx, r); !c.ok()) return c.refusal();
          if (auto x = octroi::add_article(tx, ctx, r.number, a); !x.ok()) return x.refusal();
          if (auto v = octroi::adopt_report(tx, ctx, r.number); !v.ok()) return v.refusal();
          return octroi::done();
        });
    EXPECT_TRUE(adopted.ok()) << adopted.refusal().describe();
  }

  // Luhn-valid SIRETs of two communes that the demonstration does not know.
  static constexpr const char* kGagny = "21930048700010";
  static constexpr const char* kLivry = "21930046100015";
};

}  // namespace octroi_test
