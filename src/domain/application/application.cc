#include "domain/application/application.h"

#include "core/french.h"
#include "domain/text.h"

namespace octroi {

bool Application::is_valid_number(std::string_view number) {
  if (number.size() != 8 || number.substr(0, 2) != "EX") return false;
  for (char c : number.substr(2))
    if (c < '0' || c > '9') return false;
  return true;
}

Status Application::validate(bool require_complete) const {
  std::vector<Problem> problems;
  if (auto p = text::check_required(project.title, "project.title", "Le titre du projet", 300))
    problems.push_back(*p);
  if (auto p = text::check_optional(project.description, "project.description",
                                    "La description du projet", 20000, text::Lines::Many))
    problems.push_back(*p);
  if (auto p = text::check_optional(project.place, "project.place", "La localisation", 200))
    problems.push_back(*p);
  if (project.end < project.start)
    problems.push_back({"project.dates", "project.end",
                        "La date de fin du projet (" + fr::date_long(project.end) +
                            ") précède sa date de début (" + fr::date_long(project.start) + ")."});
  if (reference_year < 2000 || reference_year > 2100)
    problems.push_back({"application.reference_year", "reference_year",
                        "L'exercice de référence doit être une année entre 2000 et 2100."});
  if (early_start.requested) {
    if (!early_start.date)
      problems.push_back({"early_start.date", "early_start.date",
                          "La date de démarrage anticipé est obligatoire quand il est demandé."});
    if (text::trim(early_start.justification).empty())
      problems.push_back({"early_start.justification", "early_start.justification",
                          "La motivation du démarrage anticipé est obligatoire."});
  } else if (early_start.date) {
    problems.push_back({"early_start.date", "early_start.date",
                        "Une date de démarrage anticipé est donnée sans que le démarrage "
                        "anticipé soit demandé."});
  }
  if (auto p = text::check_optional(early_start.justification, "early_start.justification",
                                    "La motivation du démarrage anticipé", 5000, text::Lines::Many))
    problems.push_back(*p);
  if (requested_amount && !requested_amount->is_positive())
    problems.push_back({"application.requested", "requested",
                        "Le montant demandé doit être positif (vide : la ligne de la collectivité "
                        "au plan de financement)."});
  if (auto r = plan.validate(require_complete); !r.ok())
    for (const auto& p : r.refusal().problems)
      problems.push_back(p);
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

Result<AwardComputation> Application::compute_award(const AidScheme& aid_scheme) const {
  return octroi::compute_award(aid_scheme.rule, {plan.eligible_base(), basis, requested()});
}

std::optional<InvariantBreach> Application::check_invariants() const {
  const bool awarded_states = state_ == ApplicationState::Awarded ||
                              state_ == ApplicationState::Closed ||
                              state_ == ApplicationState::Lapsed;
  if (award.has_value() != awarded_states)
    return InvariantBreach{"W4", awarded_states ? "awarded, closed or lapsed without an award"
                                                : "an award before the dossier is awarded"};
  if (award && !award->amount.is_positive()) return InvariantBreach{"W4", "award amount <= 0"};
  if (award && award->deliberation.empty())
    return InvariantBreach{"W4", "award without its deliberation"};
  if (proposed_award && !proposed_award->is_positive())
    return InvariantBreach{"W5", "proposed award <= 0"};
  if ((state_ == ApplicationState::Proposed || state_ == ApplicationState::AwaitingApproval) &&
      !proposed_award)
    return InvariantBreach{"W5", "proposed or awaiting visas without a proposed award"};
  if (proposed_award && rule_award && *proposed_award > *rule_award)
    return InvariantBreach{"W5", "proposed award above the rule's amount"};
  if (proposed_award && rule_award && *proposed_award < *rule_award &&
      text::trim(proposal_reason).empty())
    return InvariantBreach{"W5", "proposed award below the rule's amount without a reason"};
  if (plan_must_stay_complete(state_) && !plan.validate(true).ok())
    return InvariantBreach{"W6", "under instruction with an incomplete plan"};
  return std::nullopt;
}

void Application::assert_invariants() const {
  if (auto broken = check_invariants()) invariant_breached("dossier", *broken, number);
}

namespace {

// Whether the scheme's approval chain lets the event take the dossier out of instruction:
// propose when it has none, request_approval when it has one.
Status check_chain(const AidScheme& scheme, ApplicationEvent event) {
  if (event == ApplicationEvent::Propose && !scheme.approval_chain.empty())
    return refuse("approval.required", "event",
                  "Le dispositif « " + scheme.name + " » demande " +
                      std::to_string(scheme.approval_chain.size()) +
                      " visa(s) avant la commission : demandez le visa (" +
                      scheme.approval_chain.front().label + " d'abord).");
  if (event == ApplicationEvent::RequestApproval && scheme.approval_chain.empty())
    return refuse("approval.no_chain", "event",
                  "Le dispositif « " + scheme.name +
                      " » n'a pas de circuit de visa : proposez le dossier en commission.");
  return done();
}

Status check_guard(const Application& app, const AidScheme& scheme, const Transition& t,
                   const EventContext& ctx, Money* award_amount, Money* rule_amount) {
  switch (t.guard) {
    case Guard::None:
      return done();
    case Guard::Reason:
      if (text::trim(ctx.reason).empty())
        return refuse("workflow.reason_required", "reason",
                      "Un motif est obligatoire pour : " + std::string(french(t.event)) + ".");
      return done();
    case Guard::PlanComplete: {
      if (auto r = app.validate(true); !r.ok()) return r;
      if (t.event == ApplicationEvent::Submit && !scheme.is_open_on(ctx.on))
        return refuse("scheme.closed", "scheme",
                      "Le dispositif « " + scheme.name + " » n'est pas ouvert au " +
                          fr::date_long(ctx.on) + ".");
      return done();
    }
    case Guard::AwardComputed: {
      if (auto r = check_chain(scheme, t.event); !r.ok()) return r;
      if (auto r = app.validate(true); !r.ok()) return r;
      auto award = app.compute_award(scheme);
      if (!award.ok()) return award.refusal();
      if (!award->amount.is_positive())
        return refuse("award.zero", "plan",
                      "Le calcul de l'aide donne 0,00 € : le dossier ne peut être proposé.");
      *rule_amount = award->amount;
      *award_amount = award->amount;
      if (!ctx.amount) return done();
      if (!ctx.amount->is_positive())
        return refuse("award.proposed_amount", "amount", "Le montant proposé doit être positif.");
      if (*ctx.amount > award->amount)
        return refuse("award.above_rule", "amount",
                      "Le montant proposé (" + fr::euros(*ctx.amount) +
                          ") dépasse le montant que donne le barème du dispositif (" +
                          fr::euros(award->amount) + ").");
      if (*ctx.amount < award->amount && text::trim(ctx.reason).empty())
        return refuse("award.reduction_reason", "reason",
                      "Motivez le montant proposé (" + fr::euros(*ctx.amount) +
                          ") inférieur à celui du barème (" + fr::euros(award->amount) + ").");
      *award_amount = *ctx.amount;
      return done();
    }
    case Guard::Reduction: {
      const Money proposed = app.proposed_award.value_or(Money());
      std::vector<Problem> problems;
      if (!ctx.amount || !ctx.amount->is_positive())
        problems.push_back(
            {"award.proposed_amount", "amount", "Le nouveau montant proposé doit être positif."});
      else if (*ctx.amount >= proposed)
        problems.push_back({"award.not_lower", "amount",
                            "Le nouveau montant (" + fr::euros(*ctx.amount) +
                                ") doit être inférieur au montant proposé (" + fr::euros(proposed) +
                                ") : une réduction ne l'augmente jamais."});
      if (text::trim(ctx.reason).empty())
        problems.push_back({"workflow.reason_required", "reason",
                            "Un motif est obligatoire pour : réduction du montant proposé."});
      if (!problems.empty()) return Refusal(std::move(problems));
      *award_amount = *ctx.amount;
      return done();
    }
    case Guard::Visa:
      if (ctx.visas_given >= static_cast<int>(scheme.approval_chain.size()))
        return refuse("approval.complete", "event",
                      "Tous les visas du dossier " + app.number + " sont donnés (" +
                          std::to_string(scheme.approval_chain.size()) + ").");
      return done();
    case Guard::ChainComplete: {
      const int levels = static_cast<int>(scheme.approval_chain.size());
      if (ctx.visas_given < levels)
        return refuse("approval.pending", "event",
                      "Le dossier " + app.number + " attend encore " +
                          std::to_string(levels - ctx.visas_given) + " visa(s) sur " +
                          std::to_string(levels) + " : « " +
                          scheme.approval_chain[static_cast<std::size_t>(ctx.visas_given)].label +
                          " » d'abord.");
      *award_amount = app.proposed_award.value_or(Money());
      *rule_amount = app.rule_award.value_or(*award_amount);
      return done();
    }
    case Guard::Deliberation: {
      std::vector<Problem> problems;
      if (text::trim(ctx.deliberation).empty())
        problems.push_back({"award.deliberation", "deliberation",
                            "La référence de la délibération d'attribution est obligatoire "
                            "(par exemple CP 2023-040)."});
      if (!ctx.deliberation_date)
        problems.push_back({"award.deliberation_date", "deliberation_date",
                            "La date de la délibération d'attribution est obligatoire."});
      const Money proposed = app.proposed_award.value_or(Money());
      const Money amount = ctx.amount.value_or(proposed);
      if (!amount.is_positive())
        problems.push_back({"award.amount", "amount", "Le montant attribué doit être positif."});
      else if (amount > proposed)
        problems.push_back({"award.above_proposal", "amount",
                            "Le montant attribué (" + fr::euros(amount) +
                                ") dépasse le montant proposé (" + fr::euros(proposed) + ")."});
      if (!problems.empty()) return Refusal(std::move(problems));
      *award_amount = amount;
      return done();
    }
  }
  return done();
}

}  // namespace

Status apply_event(Application& app, const AidScheme& scheme, ApplicationEvent event,
                   const EventContext& ctx) {
  const auto t = find_transition(app.state_, event);
  if (!t)
    return refuse("workflow.transition", "event",
                  "Action « " + std::string(french(event)) + " » impossible : le dossier " +
                      app.number + " est " + std::string(french(app.state_)) + ".");
  Money amount, rule;
  if (auto r = check_guard(app, scheme, *t, ctx, &amount, &rule); !r.ok()) return r;
  switch (event) {
    case ApplicationEvent::Submit:
    case ApplicationEvent::Complete:
      if (!app.submitted_on) app.submitted_on = ctx.on;
      break;
    case ApplicationEvent::Propose:
    case ApplicationEvent::RequestApproval:
      if (t->from == ApplicationState::AwaitingApproval) break;  // the proposal visas approved
      app.proposed_award = amount;
      app.rule_award = rule;
      app.proposal_reason = amount < rule ? text::trim(ctx.reason) : std::string();
      break;
    case ApplicationEvent::Reduce:
      app.proposed_award = amount;
      app.proposal_reason = text::trim(ctx.reason);
      break;
    case ApplicationEvent::Reopen:
    case ApplicationEvent::SendBack:
      app.proposed_award.reset();
      app.rule_award.reset();
      app.proposal_reason.clear();
      break;
    case ApplicationEvent::Award:
      app.award = Award{amount, *ctx.deliberation_date, text::trim(ctx.deliberation)};
      app.aid_regime = scheme.aid_regime;
      break;
    default:
      break;
  }
  app.state_ = t->to;
  OCTROI_DEBUG_CHECK(app.assert_invariants());
  return done();
}

}  // namespace octroi
