// Parsing raw user input in the use cases: collects every problem of a form at once, so that a
// user sees all the fields at fault, not only the first.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/rate.h"
#include "core/result.h"

namespace octroi {

class InputProblems {
 public:
  template <class T>
  std::optional<T> take(Result<T> r) {
    if (r.ok()) return std::move(r).value();
    for (const auto& p : r.refusal().problems)
      list_.push_back(p);
    return std::nullopt;
  }
  void add(Problem p) { list_.push_back(std::move(p)); }
  void add(const Refusal& r) {
    for (const auto& p : r.problems)
      list_.push_back(p);
  }
  bool empty() const { return list_.empty(); }
  Refusal refusal() const { return Refusal(list_); }

  std::optional<Date> date(const std::string& text, const std::string& field) {
    return take(Date::parse(text, field));
  }
  std::optional<Date> optional_date(const std::string& text, const std::string& field) {
    if (text.empty()) return std::nullopt;
    return date(text, field);
  }
  std::optional<Money> money(const std::string& text, const std::string& field) {
    return take(Money::parse(text, field));
  }
  std::optional<Money> optional_money(const std::string& text, const std::string& field) {
    if (text.empty()) return std::nullopt;
    return money(text, field);
  }

 private:
  std::vector<Problem> list_;
};

}  // namespace octroi
