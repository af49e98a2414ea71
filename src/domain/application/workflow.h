// clang-format off
// The application (dossier) workflow, written as a table.
//
//            submit                start_instruction             propose
//   draft ──────────► submitted ───────────────────► under_instruction ──────► proposed
//                       │  ▲                           │   ▲      │  refuse       │ │  │
//     declare_incomplete│  │complete  declare_incomplete│   │reopen │               │ │  │award
//                       ▼  │                            ▼   └───────┼───────────────┘ │  ▼
//                     incomplete ◄──────────────────────┘           ▼          refuse │ awarded
//                                                                refused ◄──────────┘  │   │
//   withdraw: from draft, submitted, incomplete, under_instruction, proposed → withdrawn │   │
//                                                                         close ◄────────┘   │lapse
//                                                                        closed        lapsed◄┘
//
// | from              | event              | to                | guard                        |
// |-------------------|--------------------|-------------------|------------------------------|
// | draft             | submit             | submitted         | plan complete, scheme open   |
// | draft             | withdraw           | withdrawn         |                              |
// | submitted         | start_instruction  | under_instruction |                              |
// | submitted         | declare_incomplete | incomplete        | reason                       |
// | submitted         | withdraw           | withdrawn         |                              |
// | incomplete        | complete           | submitted         | plan complete                |
// | incomplete        | withdraw           | withdrawn         |                              |
// | under_instruction | declare_incomplete | incomplete        | reason                       |
// | under_instruction | propose            | proposed          | plan complete, award > 0     |
// | under_instruction | refuse             | refused           | reason                       |
// | under_instruction | withdraw           | withdrawn         |                              |
// | proposed          | reopen             | under_instruction | reason                       |
// | proposed          | award              | awarded           | deliberation, amount ≤ proposal |
// | proposed          | refuse             | refused           | reason                       |
// | proposed          | withdraw           | withdrawn         |                              |
// | awarded           | close              | closed            |                              |
// | awarded           | lapse              | lapsed            | reason                       |
//
// Refused, withdrawn, closed and lapsed are final. Adjustments to the list in the foundation
// issue, with reasons: `lapsed` is added because caducité ends an award differently from a
// closure (the unused allocation is released); `reopen` lets an instructor take a proposed
// dossier back before the session, instead of editing a proposal in place.
// Any (state, event) pair not in the table is refused with "workflow.transition".
// clang-format on
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace octroi {

enum class ApplicationState {
  Draft,
  Submitted,
  Incomplete,
  UnderInstruction,
  Proposed,
  Awarded,
  Refused,
  Withdrawn,
  Closed,
  Lapsed,
};

enum class ApplicationEvent {
  Submit,
  DeclareIncomplete,
  Complete,
  StartInstruction,
  Propose,
  Reopen,
  Award,
  Refuse,
  Withdraw,
  Close,
  Lapse,
};

enum class Guard {
  None,
  PlanComplete,   // plan balanced with an eligible base and a request; scheme open (submit)
  Reason,         // a reason is given
  AwardComputed,  // plan complete and the rule gives a positive award
  Deliberation,   // a deliberation reference and date, an amount within the proposal
};

struct Transition {
  ApplicationState from;
  ApplicationEvent event;
  ApplicationState to;
  Guard guard;
};

const std::vector<Transition>& workflow_table();
const std::vector<ApplicationState>& all_states();
const std::vector<ApplicationEvent>& all_events();
// The transition for (state, event), or nullopt when the pair is not in the table.
std::optional<Transition> find_transition(ApplicationState from, ApplicationEvent event);

std::string_view to_string(ApplicationState s);  // "under_instruction"
std::string_view french(ApplicationState s);     // "en instruction"
std::string_view to_string(ApplicationEvent e);  // "start_instruction"
std::string_view french(ApplicationEvent e);     // "mise en instruction"
bool parse_state(std::string_view s, ApplicationState& out);
bool parse_event(std::string_view s, ApplicationEvent& out);

// States in which the financing plan may be edited, and whether it must stay balanced there.
bool plan_editable(ApplicationState s);
bool plan_must_stay_complete(ApplicationState s);

}  // namespace octroi
