#include "adapters/http/web/field_errors.h"

#include <cctype>
#include <set>
#include <utility>

#include "adapters/http/web/markup.h"

namespace octroi::http::pages {
namespace {

// "plan.expenses[2].amount" -> {"plan.expenses", 2, "amount"}; a path without an index -> 0.
struct Indexed {
  std::string head;
  int index = 0;
  std::string tail;
};

Indexed split_index(const std::string& field) {
  const auto open = field.find('[');
  const auto close = field.find(']', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos || close <= open + 1)
    return {field, 0, ""};
  int n = 0;
  for (std::size_t i = open + 1; i < close; ++i) {
    if (field[i] < '0' || field[i] > '9' || n > 100000) return {field, 0, ""};
    n = n * 10 + (field[i] - '0');
  }
  std::string tail = field.substr(close + 1);
  if (!tail.empty() && tail.front() == '.') tail.erase(0, 1);
  return {field.substr(0, open), n, tail};
}

// Where the tag of the first visible input, select or textarea called `name` starts and ends
// (the end past its closing tag for a select or a textarea), or npos.
std::pair<std::size_t, std::size_t> find_input(const std::string& html, const std::string& name) {
  const std::string needle = "name=\"" + escape_markup(name) + "\"";
  for (std::size_t at = html.find(needle); at != std::string::npos;
       at = html.find(needle, at + needle.size())) {
    const std::size_t open = html.rfind('<', at);
    const std::size_t close = html.find('>', at);
    if (open == std::string::npos || close == std::string::npos) continue;
    const std::string tag = html.substr(open, close + 1 - open);
    std::string element;
    for (std::size_t i = 1; i < tag.size() && std::isalpha(static_cast<unsigned char>(tag[i])); ++i)
      element += tag[i];
    if (element != "input" && element != "select" && element != "textarea") continue;
    if (tag.find("type=\"hidden\"") != std::string::npos) continue;
    std::size_t end = close + 1;
    if (element != "input") {
      const std::size_t closing = html.find("</" + element + ">", close);
      if (closing == std::string::npos) continue;
      end = closing + element.size() + 3;
    }
    return {open, end};
  }
  return {std::string::npos, std::string::npos};
}

}  // namespace

std::vector<std::string> input_names_for(const std::string& field) {
  std::vector<std::string> out{field};
  const Indexed ix = split_index(field);
  if (ix.index > 0) {
    if (ix.head == "plan.expenses" || ix.head == "expenses")
      out.push_back("expense-" + std::to_string(ix.index));
    if (ix.head == "plan.resources" || ix.head == "resources")
      out.push_back("resource-" + std::to_string(ix.index));
    out.push_back(ix.head);
  }
  // "party.siret" may be the form's "siret"; but "plan.expenses[2].amount" is not the form's
  // "amount": a field inside a list is found by its line or not at all.
  if (field.find('[') != std::string::npos) return out;
  if (const auto dot = field.rfind('.'); dot != std::string::npos && dot + 1 < field.size())
    out.push_back(field.substr(dot + 1));
  return out;
}

std::string place_field_errors(std::string html, const Refusal& r,
                               std::vector<PlacedProblem>& placed) {
  std::set<std::string> marked;
  bool focused = false;
  int n = 0;
  for (const auto& p : r.problems) {
    PlacedProblem out{p.code, p.message, ""};
    for (const auto& name : input_names_for(p.field)) {
      if (name.empty()) continue;
      const auto [start, end] = find_input(html, name);
      if (start == std::string::npos) continue;
      out.anchor = "erreur-" + std::to_string(++n);
      if (!marked.insert(name).second) {
        // The field already carries a message: this one joins it.
        out.anchor = "";
        break;
      }
      const std::string message = "<span class=\"field-error\" id=\"" + out.anchor +
                                  "\" data-code=\"" + escape_markup(p.code) + "\">" +
                                  escape_markup(p.message) + "</span>";
      html.insert(end, message);
      // Inside the opening tag, before its '>' (or "/>").
      std::size_t gt = html.find('>', start);
      if (gt > start && html[gt - 1] == '/') --gt;
      html.insert(gt, std::string(" aria-invalid=\"true\" aria-describedby=\"") + out.anchor +
                          "\"" + (focused ? "" : " autofocus"));
      focused = true;
      break;
    }
    placed.push_back(std::move(out));
  }
  return html;
}

}  // namespace octroi::http::pages
