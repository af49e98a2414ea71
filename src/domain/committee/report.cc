#include "domain/committee/report.h"

#include <set>

#include "core/french.h"
#include "domain/text.h"

namespace octroi {

std::string_view to_string(Body b) {
  return kBodyNames.code(b);
}

std::string_view french(Body b) {
  return kBodyNames.label(b);
}

bool parse_body(std::string_view s, Body& out) {
  if (s == "cp") s = "standing_committee";
  if (s == "cr") s = "council";
  return kBodyNames.parse(s, out);
}

std::string_view to_string(ArticleKind k) {
  return kArticleKindNames.code(k);
}

std::string_view french(ArticleKind k) {
  return kArticleKindNames.label(k);
}

bool parse_article_kind(std::string_view s, ArticleKind& out) {
  return kArticleKindNames.parse(s, out);
}

std::string_view to_string(ReportState s) {
  return kReportStateNames.code(s);
}

std::string_view french(ReportState s) {
  return kReportStateNames.label(s);
}

Status Article::validate(const std::string& prefix) const {
  std::vector<Problem> problems;
  auto path = [&](const std::string& f) { return prefix.empty() ? f : prefix + "." + f; };
  if (auto p = text::check_required(title, path("title"), "L'intitulé de l'article", 500))
    problems.push_back(*p);
  if (!amount.is_positive())
    problems.push_back(
        {"article.amount", path("amount"), "Le montant de l'article doit être positif."});
  auto need = [&](bool ok, const char* code, const char* field, const char* what) {
    if (!ok) problems.push_back({code, path(field), what});
  };
  switch (kind) {
    case ArticleKind::SchemeAwards:
      need(scheme.has_value(), "article.scheme", "scheme",
           "Un article d'attribution nomme son dispositif.");
      need(!applications.empty(), "article.applications", "applications",
           "Un article d'attribution nomme au moins un dossier.");
      break;
    case ArticleKind::Tranche:
      need(party.has_value(), "article.party", "party",
           "Une tranche de subvention globale nomme son bénéficiaire.");
      need(planned_total.has_value() && planned_total->is_positive(), "article.planned_total",
           "planned_total", "Le montant total prévu de la subvention globale est obligatoire.");
      need(tranche_rate.has_value() && !tranche_rate->is_zero(), "article.tranche_rate",
           "tranche_rate", "La part de la tranche (en %) est obligatoire.");
      break;
    case ArticleKind::Direct:
      break;
    case ArticleKind::Transfer:
      need(transfer_application.has_value(), "article.application", "application",
           "Un avenant de transfert nomme le dossier transféré.");
      need(party.has_value(), "article.party", "party",
           "Un avenant de transfert nomme le nouveau bénéficiaire.");
      break;
    case ArticleKind::AmountChange:
      need(transfer_application.has_value(), "article.application", "application",
           "Un avenant de montant nomme le dossier modifié.");
      break;
    case ArticleKind::Extension:
      need(transfer_application.has_value(), "article.application", "application",
           "Un avenant de prorogation nomme le dossier prorogé.");
      need(new_end.has_value(), "article.new_end", "new_end",
           "Un avenant de prorogation donne la nouvelle fin de la période d'éligibilité.");
      break;
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

bool Report::is_valid_number(std::string_view n) {
  std::size_t i = 0;
  while (i < n.size() && n[i] >= 'A' && n[i] <= 'Z')
    ++i;
  if (i < 2 || i > 4 || i >= n.size() || n[i] != ' ') return false;
  const std::string_view rest = n.substr(i + 1);
  if (rest.size() < 6 || rest.size() > 9 || rest[4] != '-') return false;
  for (std::size_t k = 0; k < rest.size(); ++k)
    if (k != 4 && (rest[k] < '0' || rest[k] > '9')) return false;
  return true;
}

Status Report::validate() const {
  std::vector<Problem> problems;
  if (!is_valid_number(number))
    problems.push_back(
        {"report.number", "number",
         "Numéro de rapport invalide « " + number + " » : par exemple CP 2023-040."});
  if (auto p = text::check_required(title, "title", "L'intitulé du rapport", 500))
    problems.push_back(*p);
  for (std::size_t i = 0; i < articles.size(); ++i)
    if (auto r = articles[i].validate("articles[" + std::to_string(i + 1) + "]"); !r.ok())
      for (const auto& p : r.refusal().problems)
        problems.push_back(p);
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

namespace {

// Prefixes every problem of `r` with the article it belongs to.
Refusal in_article(const Article& a, const Refusal& r) {
  std::vector<Problem> out;
  const std::string where = "articles[" + std::to_string(a.position) + "]";
  for (const auto& p : r.problems)
    out.push_back({p.code, p.field.empty() ? where : where + "." + p.field,
                   "Article " + std::to_string(a.position) + " : " + p.message});
  return Refusal(std::move(out));
}

Refusal article_refusal(const Article& a, std::string code, std::string message) {
  return in_article(a, refuse(std::move(code), "", std::move(message)));
}

class Planner {
 public:
  Planner(const Report& r, const Session& s, const VoteInputs& in)
      : report_(r), session_(s), in_(in) {
    plan_.balances_after = in.balances;
  }

  Result<VotePlan> run() {
    if (report_.articles.empty())
      return refuse("report.empty", "articles",
                    "Le rapport " + report_.number + " ne comporte aucun article.");
    for (const auto& a : report_.articles) {
      if (auto r = a.validate(""); !r.ok()) return in_article(a, r.refusal());
      if (!in_.lines.count(a.line))
        return article_refusal(
            a, "report.unknown_line",
            "ligne budgétaire inconnue (n° interne " + std::to_string(a.line.value) + ").");
      Status s = done();
      switch (a.kind) {
        case ArticleKind::SchemeAwards:
          s = awards(a);
          break;
        case ArticleKind::Tranche:
          s = tranche(a);
          break;
        case ArticleKind::Direct:
          s = allocate(a, a.amount, std::nullopt, std::nullopt, a.title);
          break;
        case ArticleKind::Transfer:
          s = transfer(a);
          break;
        case ArticleKind::AmountChange:
          s = amount_change(a);
          break;
        case ArticleKind::Extension:
          s = extension(a);
          break;
      }
      if (!s.ok()) return s.refusal();
    }
    return plan_;
  }

 private:
  Status allocate(const Article& a, Money amount, std::optional<ApplicationId> app,
                  std::optional<PartyId> party, const std::string& label) {
    const BudgetLine& line = in_.lines.at(a.line);
    auto after =
        apply_movement(line, plan_.balances_after[a.line], MovementKind::Allocation, amount);
    if (!after.ok()) {
      if (!app) return in_article(a, after.refusal());
      // Name the dossier that no longer fits: the amount in the message is its award.
      const Refusal& r = after.refusal();
      std::vector<Problem> named;
      for (const auto& p : r.problems)
        named.push_back(
            {p.code, p.field, "dossier " + in_.applications.at(*app).number + " : " + p.message});
      return in_article(a, Refusal(std::move(named)));
    }
    plan_.balances_after[a.line] = after.value();
    plan_.allocations.push_back({a.id, a.position, a.line, amount, app, party, label});
    return done();
  }

  Status awards(const Article& a) {
    const auto scheme_it = in_.schemes.find(*a.scheme);
    if (scheme_it == in_.schemes.end())
      return article_refusal(a, "report.unknown_scheme", "dispositif inconnu.");
    const AidScheme& scheme = scheme_it->second;
    if (scheme.section != in_.lines.at(a.line).imputation.section())
      return article_refusal(
          a, "report.section_mismatch",
          "le dispositif " + scheme.number + " relève du " +
              std::string(octroi::french(scheme.section)) + ", alors que la ligne " +
              in_.lines.at(a.line).key() + " relève de l'" +
              std::string(octroi::french(in_.lines.at(a.line).imputation.section())) + ".");
    Money sum;
    for (const auto& id : a.applications) {
      const auto it = in_.applications.find(id);
      if (it == in_.applications.end())
        return article_refusal(a, "report.unknown_application", "dossier inconnu.");
      const Application& app = it->second;
      if (!seen_.insert(id.value).second)
        return article_refusal(a, "report.duplicate_application",
                               "le dossier " + app.number + " figure deux fois dans le rapport.");
      if (app.scheme != scheme.id)
        return article_refusal(
            a, "report.application_scheme",
            "le dossier " + app.number + " ne relève pas du dispositif " + scheme.number + ".");
      if (app.state() != ApplicationState::Proposed || !app.proposed_award)
        return article_refusal(a, "report.application_state",
                               "le dossier " + app.number +
                                   " n'est pas proposé en commission (il est " +
                                   std::string(octroi::french(app.state())) + ").");
      sum += *app.proposed_award;
    }
    if (sum != a.amount)
      return article_refusal(a, "report.sum_mismatch",
                             "le total des dossiers (" + fr::euros(sum) +
                                 ") ne correspond pas au montant de l'article (" +
                                 fr::euros(a.amount) + ").");
    for (const auto& id : a.applications) {
      Application app = in_.applications.at(id);
      EventContext ctx;
      ctx.on = session_.date;
      ctx.deliberation = report_.number;
      ctx.deliberation_date = session_.date;
      if (auto r = apply_event(app, scheme, ApplicationEvent::Award, ctx); !r.ok())
        return in_article(a, r.refusal());
      if (auto r = allocate(a, app.award->amount, app.id, app.party,
                            app.number + " – " + app.project.title);
          !r.ok())
        return r;
      plan_.awarded.push_back(std::move(app));
    }
    return done();
  }

  Status tranche(const Article& a) {
    const Rate& rate = *a.tranche_rate;
    // Exact: amount × den == total × num, no rounding tolerated in a deliberation's figures.
    if (static_cast<Int128>(a.amount.cents()) * rate.denominator() !=
        static_cast<Int128>(a.planned_total->cents()) * rate.numerator())
      return article_refusal(a, "report.tranche_mismatch",
                             "la tranche de " + fr::euros(a.amount) + " ne fait pas " +
                                 fr::percent_short(rate) + " du total prévu de " +
                                 fr::euros(*a.planned_total) + " (" +
                                 fr::euros(a.planned_total->apply(rate, Rounding::HalfUp)) + ").");
    if (!in_.parties.count(*a.party))
      return article_refusal(a, "report.unknown_party", "bénéficiaire inconnu.");
    return allocate(a, a.amount, std::nullopt, a.party, a.title);
  }

  Status transfer(const Article& a) {
    const auto it = in_.applications.find(*a.transfer_application);
    if (it == in_.applications.end())
      return article_refusal(a, "report.unknown_application", "dossier inconnu.");
    const Application& app = it->second;
    if (!seen_.insert(app.id.value).second)
      return article_refusal(a, "report.duplicate_application",
                             "le dossier " + app.number + " figure deux fois dans le rapport.");
    if (app.state() != ApplicationState::Awarded || !app.award)
      return article_refusal(a, "report.application_state",
                             "seul un dossier attribué peut être transféré ; le dossier " +
                                 app.number + " est " + std::string(octroi::french(app.state())) +
                                 ".");
    if (!in_.parties.count(*a.party))
      return article_refusal(a, "report.unknown_party", "nouveau bénéficiaire inconnu.");
    if (*a.party == app.party)
      return article_refusal(
          a, "report.transfer_same_party",
          "le nouveau bénéficiaire est déjà celui du dossier " + app.number + ".");
    // The transferee takes the unpaid balance (reliquat): the award less what was paid.
    const Money unpaid =
        app.award->amount - (in_.paid.count(app.id) ? in_.paid.at(app.id) : Money());
    if (a.amount != unpaid)
      return article_refusal(a, "report.transfer_amount",
                             "le montant transféré (" + fr::euros(a.amount) +
                                 ") doit être le reliquat non versé du dossier " + app.number +
                                 " (" + fr::euros(unpaid) + ").");
    plan_.transfers.push_back({a.id, app.id, app.party, *a.party, a.amount});
    return done();
  }

  // The awarded dossier an amendment article names (not named twice in the report).
  Result<Application> amended(const Article& a) {
    const auto it = in_.applications.find(*a.transfer_application);
    if (it == in_.applications.end())
      return article_refusal(a, "report.unknown_application", "dossier inconnu.");
    const Application& app = it->second;
    if (!seen_.insert(app.id.value).second)
      return article_refusal(a, "report.duplicate_application",
                             "le dossier " + app.number + " figure deux fois dans le rapport.");
    if (app.state() != ApplicationState::Awarded || !app.award)
      return article_refusal(a, "report.application_state",
                             "seul un dossier attribué peut faire l'objet d'un avenant ; le "
                             "dossier " +
                                 app.number + " est " + std::string(octroi::french(app.state())) +
                                 ".");
    return app;
  }

  Status amount_change(const Article& a) {
    auto found = amended(a);
    if (!found.ok()) return found.refusal();
    const Application& app = found.value();
    const Money old_amount = app.award->amount;
    const Money paid = in_.paid.count(app.id) ? in_.paid.at(app.id) : Money();
    const Money committed = in_.committed.count(app.id) ? in_.committed.at(app.id) : Money();
    if (a.amount == old_amount)
      return article_refusal(
          a, "report.amount_unchanged",
          "le nouveau montant est celui de la subvention (" + fr::euros(old_amount) + ").");
    if (a.amount < paid)
      return article_refusal(a, "report.amount_below_paid",
                             "le nouveau montant (" + fr::euros(a.amount) +
                                 ") est inférieur aux sommes déjà versées (" + fr::euros(paid) +
                                 ").");
    // The difference is allocated or released where the award is allocated, nowhere else.
    if (const auto it = in_.allocation_lines.find(app.id);
        it != in_.allocation_lines.end() && it->second != a.line) {
      const auto line_it = in_.lines.find(it->second);
      return article_refusal(
          a, "report.amendment_line",
          "l'avenant doit être imputé sur la ligne où la subvention du dossier " + app.number +
              " est affectée (" +
              (line_it != in_.lines.end() ? line_it->second.key() : std::string("?")) + ").");
    }
    AmendmentDecision d;
    d.article = a.id;
    d.application = app.id;
    d.kind = ArticleKind::AmountChange;
    d.old_amount = old_amount;
    d.new_amount = a.amount;
    d.line = a.line;
    const BudgetLine& line = in_.lines.at(a.line);
    auto step = [&](MovementKind kind, Money amount) -> Status {
      auto after = apply_movement(line, plan_.balances_after[a.line], kind, amount);
      if (!after.ok()) return in_article(a, after.refusal());
      plan_.balances_after[a.line] = after.value();
      return done();
    };
    if (a.amount > old_amount) {
      const Money delta = a.amount - old_amount;
      if (auto r = allocate(a, delta, app.id, app.party,
                            app.number + " – avenant : montant porté à " + fr::euros(a.amount));
          !r.ok())
        return r;
      if (committed.is_positive()) {
        if (auto r = step(MovementKind::Commitment, delta); !r.ok()) return r;
        d.commit = delta;
      }
    } else {
      d.release = old_amount - a.amount;
      d.decommit = max(Money(), committed - a.amount);
      if (d.decommit.is_positive())
        if (auto r = step(MovementKind::Decommitment, d.decommit); !r.ok()) return r;
      if (auto r = step(MovementKind::Release, d.release); !r.ok()) return r;
    }
    plan_.amendments.push_back(d);
    return done();
  }

  Status extension(const Article& a) {
    auto found = amended(a);
    if (!found.ok()) return found.refusal();
    const Application& app = found.value();
    if (a.amount != app.award->amount)
      return article_refusal(a, "report.extension_amount",
                             "le montant d'un avenant de prorogation est celui de la subvention (" +
                                 fr::euros(app.award->amount) + ").");
    const Date old_end =
        in_.eligibility_end.count(app.id) ? in_.eligibility_end.at(app.id) : app.project.end;
    if (!(old_end < *a.new_end))
      return article_refusal(a, "report.extension_date",
                             "la nouvelle fin (" + fr::date_long(*a.new_end) +
                                 ") ne prolonge pas la période actuelle, qui finit le " +
                                 fr::date_long(old_end) + ".");
    AmendmentDecision d;
    d.article = a.id;
    d.application = app.id;
    d.kind = ArticleKind::Extension;
    d.old_amount = d.new_amount = app.award->amount;
    d.old_end = old_end;
    d.new_end = a.new_end;
    d.line = a.line;
    plan_.amendments.push_back(d);
    return done();
  }

  const Report& report_;
  const Session& session_;
  const VoteInputs& in_;
  VotePlan plan_;
  std::set<std::int64_t> seen_;
};

}  // namespace

Result<VotePlan> plan_vote(const Report& report, const Session& session, const VoteInputs& in) {
  OCTROI_CHECK(report.state == ReportState::Draft, "only a draft report is voted");
  return Planner(report, session, in).run();
}

}  // namespace octroi
