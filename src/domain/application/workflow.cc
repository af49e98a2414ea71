#include "domain/application/workflow.h"
#include "core/enum_names.h"

namespace octroi {

using S = ApplicationState;
using E = ApplicationEvent;

const std::vector<Transition>& workflow_table() {
  static const std::vector<Transition> table = {
      {S::Draft, E::Submit, S::Submitted, Guard::PlanComplete},
      {S::Draft, E::Withdraw, S::Withdrawn, Guard::None},
      {S::Submitted, E::StartInstruction, S::UnderInstruction, Guard::None},
      {S::Submitted, E::DeclareIncomplete, S::Incomplete, Guard::Reason},
      {S::Submitted, E::Withdraw, S::Withdrawn, Guard::None},
      {S::Incomplete, E::Complete, S::Submitted, Guard::PlanComplete},
      {S::Incomplete, E::Withdraw, S::Withdrawn, Guard::None},
      {S::UnderInstruction, E::DeclareIncomplete, S::Incomplete, Guard::Reason},
      {S::UnderInstruction, E::Propose, S::Proposed, Guard::AwardComputed},
      {S::UnderInstruction, E::Refuse, S::Refused, Guard::Reason},
      {S::UnderInstruction, E::Withdraw, S::Withdrawn, Guard::None},
      {S::Proposed, E::Reopen, S::UnderInstruction, Guard::Reason},
      {S::Proposed, E::Award, S::Awarded, Guard::Deliberation},
      {S::Proposed, E::Refuse, S::Refused, Guard::Reason},
      {S::Proposed, E::Withdraw, S::Withdrawn, Guard::None},
      {S::Awarded, E::Close, S::Closed, Guard::None},
      {S::Awarded, E::Lapse, S::Lapsed, Guard::Reason},
  };
  return table;
}

const std::vector<ApplicationState>& all_states() {
  static const std::vector<ApplicationState> v = {
      S::Draft,   S::Submitted, S::Incomplete, S::UnderInstruction, S::Proposed,
      S::Awarded, S::Refused,   S::Withdrawn,  S::Closed,           S::Lapsed};
  return v;
}

const std::vector<ApplicationEvent>& all_events() {
  static const std::vector<ApplicationEvent> v = {E::Submit,   E::DeclareIncomplete,
                                                  E::Complete, E::StartInstruction,
                                                  E::Propose,  E::Reopen,
                                                  E::Award,    E::Refuse,
                                                  E::Withdraw, E::Close,
                                                  E::Lapse};
  return v;
}

std::optional<Transition> find_transition(ApplicationState from, ApplicationEvent event) {
  for (const auto& t : workflow_table())
    if (t.from == from && t.event == event) return t;
  return std::nullopt;
}

std::string_view to_string(ApplicationState s) {
  switch (s) {
    case S::Draft:
      return "draft";
    case S::Submitted:
      return "submitted";
    case S::Incomplete:
      return "incomplete";
    case S::UnderInstruction:
      return "under_instruction";
    case S::Proposed:
      return "proposed";
    case S::Awarded:
      return "awarded";
    case S::Refused:
      return "refused";
    case S::Withdrawn:
      return "withdrawn";
    case S::Closed:
      return "closed";
    case S::Lapsed:
      return "lapsed";
  }
  return "?";
}

std::string_view french(ApplicationState s) {
  switch (s) {
    case S::Draft:
      return "brouillon";
    case S::Submitted:
      return "déposé";
    case S::Incomplete:
      return "incomplet";
    case S::UnderInstruction:
      return "en instruction";
    case S::Proposed:
      return "proposé en commission";
    case S::Awarded:
      return "attribué";
    case S::Refused:
      return "refusé";
    case S::Withdrawn:
      return "retiré";
    case S::Closed:
      return "soldé";
    case S::Lapsed:
      return "caduc";
  }
  return "?";
}

std::string_view to_string(ApplicationEvent e) {
  switch (e) {
    case E::Submit:
      return "submit";
    case E::DeclareIncomplete:
      return "declare_incomplete";
    case E::Complete:
      return "complete";
    case E::StartInstruction:
      return "start_instruction";
    case E::Propose:
      return "propose";
    case E::Reopen:
      return "reopen";
    case E::Award:
      return "award";
    case E::Refuse:
      return "refuse";
    case E::Withdraw:
      return "withdraw";
    case E::Close:
      return "close";
    case E::Lapse:
      return "lapse";
  }
  return "?";
}

std::string_view french(ApplicationEvent e) {
  switch (e) {
    case E::Submit:
      return "dépôt";
    case E::DeclareIncomplete:
      return "déclaration d'incomplétude";
    case E::Complete:
      return "complément";
    case E::StartInstruction:
      return "mise en instruction";
    case E::Propose:
      return "proposition en commission";
    case E::Reopen:
      return "retour en instruction";
    case E::Award:
      return "attribution";
    case E::Refuse:
      return "refus";
    case E::Withdraw:
      return "retrait";
    case E::Close:
      return "solde";
    case E::Lapse:
      return "caducité";
  }
  return "?";
}

bool parse_state(std::string_view s, ApplicationState& out) {
  return parse_enum_name(s, all_states(), out);
}

bool parse_event(std::string_view s, ApplicationEvent& out) {
  return parse_enum_name(s, all_events(), out);
}

bool plan_editable(ApplicationState s) {
  return s == S::Draft || s == S::Incomplete || s == S::UnderInstruction;
}

bool plan_must_stay_complete(ApplicationState s) {
  return s == S::UnderInstruction;
}

}  // namespace octroi
