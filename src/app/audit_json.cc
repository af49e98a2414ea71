#include "app/audit_json.h"

#include <cstdio>

#include "app/ports/audit.h"

namespace octroi {

void record_audit(Transaction& tx, const Context& ctx, const AuditRecord& r) {
  AuditEntry e;
  e.authority = ctx.authority;
  e.at = r.at ? *r.at : ctx.clock->now();
  e.actor = ctx.actor;
  e.action = r.action;
  e.entity = r.entity;
  e.entity_key = r.key;
  e.before = r.before;
  e.after = r.after;
  tx.audit().append_audit(e);
}

}  // namespace octroi

namespace octroi::audit_json {
namespace {

class Obj {
 public:
  Obj& str(const char* k, const std::string& v) { return raw(k, quote(v)); }
  Obj& num(const char* k, std::int64_t v) { return raw(k, std::to_string(v)); }
  Obj& boolean(const char* k, bool v) { return raw(k, v ? "true" : "false"); }
  Obj& money(const char* k, const Money& m) { return str(k, m.to_decimal_string()); }
  Obj& opt_money(const char* k, const std::optional<Money>& m) {
    return m ? money(k, *m) : raw(k, "null");
  }
  Obj& opt_date(const char* k, const std::optional<Date>& d) {
    return d ? str(k, d->iso()) : raw(k, "null");
  }
  Obj& raw(const char* k, std::string v) {
    fields_.emplace_back(k, std::move(v));
    return *this;
  }
  std::string done() const { return join(fields_); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

  static std::string join(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out = "{";
    for (const auto& [k, v] : fields) {
      if (out.size() > 1) out += ",";
      out += quote(k) + ":" + v;
    }
    return out + "}";
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string of(const Authority& a) {
  return Obj()
      .str("code", a.code)
      .str("name", a.name)
      .str("siret", a.siret)
      .str("address", a.address)
      .str("executive", a.executive)
      .done();
}

std::string of(const AidScheme& s) {
  const auto& r = s.rule;
  std::string rule = Obj()
                         .str("kind", std::string(to_string(r.kind)))
                         .str("rate_percent", r.rate.to_percent_string())
                         .str("rate_rounding", std::string(to_string(r.rate_rounding)))
                         .str("base", std::string(to_string(r.base)))
                         .opt_money("step", r.step)
                         .str("step_rounding", std::string(to_string(r.step_rounding)))
                         .opt_money("cap", r.cap)
                         .boolean("not_above_request", r.not_above_request)
                         .opt_money("fixed_amount", r.fixed_amount)
                         .done();
  return Obj()
      .str("number", s.number)
      .str("name", s.name)
      .str("framework_deliberation", s.framework_deliberation)
      .str("section", std::string(to_string(s.section)))
      .str("budget_imputation", s.budget_imputation)
      .str("budget_action", s.budget_action)
      .opt_date("opens_on", s.opens_on)
      .opt_date("closes_on", s.closes_on)
      .raw("rule", rule)
      .str("service", s.service)
      .done();
}

std::string of(const Party& p) {
  const auto& r = p.representative;
  const auto& a = p.address;
  return Obj()
      .str("legal_name", p.legal_name)
      .str("siren", p.siren)
      .str("siret", p.siret)
      .str("rna", p.rna)
      .str("naf", p.naf)
      .str("legal_status", p.legal_status)
      .boolean("recovers_vat", p.recovers_vat)
      .raw("representative", Obj()
                                 .str("civility", r.civility)
                                 .str("first_name", r.first_name)
                                 .str("last_name", r.last_name)
                                 .str("role", r.role)
                                 .done())
      .raw("address", Obj()
                          .str("line1", a.line1)
                          .str("line2", a.line2)
                          .str("postal_code", a.postal_code)
                          .str("city", a.city)
                          .str("insee_code", a.insee_code)
                          .done())
      .str("departement", p.departement)
      .done();
}

namespace {

Obj application_obj(const Application& a);

}  // namespace

std::string of(const Application& a) {
  return application_obj(a).done();
}

std::pair<std::string, std::string> changes(const Application& before, const Application& after) {
  const Obj b = application_obj(before);
  const Obj n = application_obj(after);
  std::vector<std::pair<std::string, std::string>> was, now;
  OCTROI_CHECK(b.fields().size() == n.fields().size(),
               "a dossier's audit object has the same keys whatever its state");
  for (std::size_t i = 0; i < b.fields().size(); ++i) {
    // Same keys in the same order: the object is built by one function.
    const bool key = b.fields()[i].first == "number";
    if (key || b.fields()[i].second != n.fields()[i].second) {
      was.push_back(b.fields()[i]);
      now.push_back(n.fields()[i]);
    }
  }
  return {Obj::join(was), Obj::join(now)};
}

namespace {

Obj application_obj(const Application& a) {
  std::string expenses = "[";
  for (const auto& l : a.plan.expenses) {
    if (expenses.size() > 1) expenses += ",";
    expenses += Obj()
                    .str("label", l.label)
                    .money("amount", l.amount)
                    .boolean("eligible", l.eligible)
                    .done();
  }
  expenses += "]";
  std::string resources = "[";
  for (const auto& l : a.plan.resources) {
    if (resources.size() > 1) resources += ",";
    resources += Obj()
                     .str("label", l.label)
                     .money("amount", l.amount)
                     .str("kind", std::string(to_string(l.kind)))
                     .str("status", l.status)
                     .done();
  }
  resources += "]";
  Obj o;
  o.str("number", a.number)
      .num("scheme_id", a.scheme.value)
      .num("party_id", a.party.value)
      .str("title", a.project.title)
      .str("description", a.project.description)
      .str("place", a.project.place)
      .str("start", a.project.start.iso())
      .str("end", a.project.end.iso())
      .boolean("early_start", a.early_start.requested)
      .opt_date("early_start_date", a.early_start.date)
      .str("early_start_justification", a.early_start.justification)
      .num("reference_year", a.reference_year)
      .str("basis", std::string(to_string(a.basis)))
      .str("state", std::string(to_string(a.state())))
      .opt_date("submitted_on", a.submitted_on)
      .opt_money("proposed_award", a.proposed_award);
  // Always both, so that changes() compares the same keys in the same order.
  o.opt_money("rule_award", a.rule_award).str("proposal_reason", a.proposal_reason);
  o.opt_money("requested", a.requested_amount);
  if (a.award) {
    o.raw("award", Obj()
                       .money("amount", a.award->amount)
                       .str("date", a.award->date.iso())
                       .str("deliberation", a.award->deliberation)
                       .done());
  } else {
    o.raw("award", "null");
  }
  o.raw("expenses", expenses).raw("resources", resources);
  return o;
}

}  // namespace

}  // namespace octroi::audit_json
