// The fixture of the refusal tests (refusals_test.cc, more_refusals_test.cc): the reference
// demonstration, a use case run in a write transaction that must be refused with a given code
// and field and leave the database content exactly as it was, and builders of valid inputs to
// spoil one field at a time. Test code only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "integration/test_support.h"

namespace octroi_test {

using octroi::ApplicationInput;
using octroi::Context;
using octroi::EventInput;
using octroi::Money;
using octroi::PartyInput;
using octroi::PlanChange;
using octroi::SchemeInput;
using octroi::Transaction;

inline Money euros(std::int64_t e) {
  return Money::from_euros(e);
}

inline PlanChange set_amount(PlanChange::Side side, std::size_t position,
                             const std::string& amount) {
  PlanChange c;
  c.op = PlanChange::Op::Set;
  c.side = side;
  c.position = position;
  c.amount = amount;
  return c;
}
inline PlanChange expense(std::size_t position, const std::string& amount) {
  return set_amount(PlanChange::Side::Expense, position, amount);
}
inline PlanChange resource(std::size_t position, const std::string& amount) {
  return set_amount(PlanChange::Side::Resource, position, amount);
}

// True when `message` mentions `fragment`, ignoring case (SQLite says "CHECK constraint failed",
// PostgreSQL "violates check constraint").
inline bool mentions(std::string message, const std::string& fragment) {
  std::transform(message.begin(), message.end(), message.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return message.find(fragment) != std::string::npos;
}

inline std::string codes(const octroi::Refusal& r) {
  std::string out;
  for (const auto& p : r.problems)
    out += "[" + p.code + " @ " + p.field + "] ";
  return out;
}

class Refusals : public DemoDatabaseTest {
 protected:
  // Runs `use_case` in a write transaction; succeeds when it is refused with a problem of this
  // code (and this field, unless empty) and the database content is the same before and after.
  template <class F>
  ::testing::AssertionResult RefusedUnchanged(F&& use_case, const std::string& code,
                                              const std::string& field) {
    const std::string before = dump_database(db_);
    auto r = write(use_case);
    const std::string after = dump_database(db_);
    if (r.ok()) return ::testing::AssertionFailure() << "accepted; expected a refusal " << code;
    bool found = false;
    for (const auto& p : r.refusal().problems)
      if (p.code == code && (field.empty() || p.field == field)) found = true;
    if (!found)
      return ::testing::AssertionFailure()
             << "expected [" << code << " @ " << field << "], got " << codes(r.refusal());
    for (const auto& p : r.refusal().problems)
      if (p.message.empty())
        return ::testing::AssertionFailure() << "problem " << p.code << " has no message";
    if (before != after)
      return ::testing::AssertionFailure()
             << "the refusal changed the database: " << first_difference(before, after);
    return ::testing::AssertionSuccess();
  }

  void reopen(const std::string& number) {
    auto r = write([&](Transaction& tx, const Context& ctx) {
      EventInput in;
      in.event = "reopen";
      in.reason = "Plan de financement à corriger";
      return octroi::apply_application_event(tx, ctx, number, in);
    });
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
    ASSERT_EQ(r->state(), octroi::ApplicationState::UnderInstruction);
  }

  auto edit(const std::string& number, const std::vector<PlanChange>& changes) {
    return [number, changes](Transaction& tx, const Context& ctx) {
      return octroi::edit_plan(tx, ctx, number, changes);
    };
  }

  auto event(const std::string& number, const std::string& name, const std::string& reason = "") {
    return [number, name, reason](Transaction& tx, const Context& ctx) {
      EventInput in;
      in.event = name;
      in.reason = reason;
      return octroi::apply_application_event(tx, ctx, number, in);
    };
  }

  // A complete, balanced dossier under the chèque numérique scheme, for the commune of
  // Montfermeil.
  ApplicationInput new_dossier(const std::string& number) {
    ApplicationInput a;
    a.number = number;
    a.scheme_number = "00001176";
    a.party_id = party_id("Commune de Montfermeil");
    a.title = "Chèque numérique – deuxième projet";
    a.place = "Montfermeil";
    a.start = "2023-02-01";
    a.end = "2023-12-31";
    a.reference_year = "2023";
    a.expenses = {{"Abonnement", "6000", true}};
    a.resources = {{"Autofinancement", "3000", "self_funding", ""},
                   {"Région", "3000", "authority", "sollicité"}};
    return a;
  }

  auto create(const ApplicationInput& in) {
    return [in](Transaction& tx, const Context& ctx) {
      return octroi::create_application(tx, ctx, in);
    };
  }

  PartyInput new_party() {
    PartyInput p;
    p.legal_name = "Commune de Test";
    p.legal_status = "Commune";
    p.postal_code = "75001";
    p.city = "Paris";
    return p;
  }

  auto register_(const PartyInput& in) {
    return
        [in](Transaction& tx, const Context& ctx) { return octroi::register_party(tx, ctx, in); };
  }

  SchemeInput new_scheme(const std::string& number, const std::string& rate) {
    SchemeInput s;
    s.number = number;
    s.name = "Dispositif de test";
    s.framework_deliberation = "CR 2023-001";
    s.rule.rate_percent = rate;
    return s;
  }

  auto create_scheme(const SchemeInput& in) {
    return [in](Transaction& tx, const Context& ctx) { return octroi::create_scheme(tx, ctx, in); };
  }
};

}  // namespace octroi_test
