// A refused form shows each problem next to the field it names (issue 18, finding 8): in the
// rendered page, the field gets aria-invalid="true" and aria-describedby pointing at the message
// written right after it, and the first such field gets autofocus, so that a keyboard or screen
// reader user lands on it. Server-side, so it works without JavaScript. The summary at the top of
// the page keeps every message, in French, each linked to its field. The API's codes are not shown
// (they stay in data-code attributes, for scripts and tests).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace octroi::http::pages {

// The form input a refusal's field path names, as the pages call their inputs: the path itself
// ("title", "amount"), "plan.expenses[2].amount" -> "expense-2", "plan.resources[1].amount" ->
// "resource-1", "applications[3]" -> "applications", else the path's last part ("project.title"
// -> "title"). Several candidates are tried in that order.
std::vector<std::string> input_names_for(const std::string& field);

struct PlacedProblem {
  std::string code;  // kept out of sight: a data-code attribute for scripts and tests
  std::string message;
  std::string anchor;  // the id of the message next to its field, "" when no field was found
};

// Places the problems of `r` in `html` (the page's body, before the layout) and says where each
// went. Hidden inputs are never marked; a field named twice gets the first message only once.
std::string place_field_errors(std::string html, const Refusal& r,
                               std::vector<PlacedProblem>& placed);

}  // namespace octroi::http::pages
