// Refusals of the accounts, the authorities, the dossier numbering, the plan editor, the
// documents and the text checks, after the reference demonstration: each returns its stable code
// and field and leaves the database content exactly as it was (the fixture of
// refusals_support.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/crypto/sodium_passwords.h"
#include "app/accounts.h"
#include "app/documents.h"
#include "integration/refusals_support.h"

namespace octroi_test {
namespace {

using octroi::AuthorityInput;
using octroi::UserInput;

class MoreRefusals : public Refusals {
 protected:
  UserInput new_user() {
    return {"jeanne.martin", "Jeanne Martin", "reader", "", "un-mot-de-passe-solide"};
  }
  auto create_user(const UserInput& in) {
    return [this, in](Transaction& tx, const Context& ctx) {
      return octroi::create_user(tx, ctx, in, passwords_);
    };
  }
  auto create_authority(const AuthorityInput& in) {
    return [this, in](Transaction& tx, const Context&) {
      return octroi::create_authority(tx, "test:admin", clock_, in);
    };
  }

  octroi::crypto::SodiumPasswordHasher passwords_;
};

// ---- Accounts -------------------------------------------------------------------------------

TEST_F(MoreRefusals, AnAccountNeedsAWellFormedLogin) {
  for (const std::string& login :
       std::vector<std::string>{"", "Jeanne Martin", "jeanne/martin", std::string(65, 'j')}) {
    SCOPED_TRACE(login);
    UserInput in = new_user();
    in.login = login;
    EXPECT_TRUE(RefusedUnchanged(create_user(in), "user.login", "login"));
  }
}

TEST_F(MoreRefusals, AnAccountNeedsADisplayNameOfAtMost200Bytes) {
  for (const std::string& name : {std::string(), std::string(201, 'n')}) {
    UserInput in = new_user();
    in.display_name = name;
    EXPECT_TRUE(RefusedUnchanged(create_user(in), "user.display_name", "display_name"));
  }
}

TEST_F(MoreRefusals, AnAccountsRoleIsOneOfTheSix) {
  for (const std::string role : {"", "chef", "Reader", "admin"}) {
    SCOPED_TRACE(role);
    UserInput in = new_user();
    in.role = role;
    EXPECT_TRUE(RefusedUnchanged(create_user(in), "user.role", "role"));
  }
}

TEST_F(MoreRefusals, APasswordIsNeitherTooLongNorTheLogin) {
  UserInput in = new_user();
  in.password = std::string(129, 'p');
  EXPECT_TRUE(RefusedUnchanged(create_user(in), "user.password_long", "password"));
  in.password = std::string(128, 'p');  // the limit itself is accepted (below)
  in.login = "jeanne.martin.2023";
  UserInput same = in;
  same.password = same.login;
  EXPECT_TRUE(RefusedUnchanged(create_user(same), "user.password_is_login", "password"));
  auto accepted = write(create_user(in));
  EXPECT_TRUE(accepted.ok()) << accepted.refusal().describe();
}

TEST_F(MoreRefusals, ALoginIsTakenOnce) {
  auto first = write(create_user(new_user()));
  ASSERT_TRUE(first.ok()) << first.refusal().describe();
  UserInput again = new_user();
  again.display_name = "Une autre Jeanne Martin";
  again.role = "finance";
  EXPECT_TRUE(RefusedUnchanged(create_user(again), "user.login_taken", "login"));
}

TEST_F(MoreRefusals, EveryFaultOfAnAccountIsNamedAtOnce) {
  auto r = write(create_user({"Jeanne Martin", "", "chef", "", "court"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(codes(r.refusal()),
            "[user.login @ login] [user.display_name @ display_name] [user.role @ role] "
            "[user.password_short @ password] ");
}

// ---- Authorities ----------------------------------------------------------------------------

TEST_F(MoreRefusals, AnAuthorityCodeIsASlugOfAtMost32Characters) {
  for (const std::string& code :
       std::vector<std::string>{"", "Seine-Saint-Denis", "cd 93", "cd_93", std::string(33, 'c')}) {
    SCOPED_TRACE(code);
    EXPECT_TRUE(RefusedUnchanged(
        create_authority({code, "Département de la Seine-Saint-Denis", "", "", ""}),
        "authority.code", "code"));
  }
}

TEST_F(MoreRefusals, AnAuthorityCodeIsTakenOnce) {
  // The demonstration's authority is "idf"; surrounding spaces do not make another code.
  EXPECT_TRUE(RefusedUnchanged(create_authority({" idf ", "Une autre région", "", "", ""}),
                               "authority.exists", "code"));
}

TEST_F(MoreRefusals, AnUnknownAuthorityIsNamed) {
  auto r = octroi::run_read(*store_,
                            [&](Transaction& tx) { return octroi::authority_by_code(tx, "cd93"); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(codes(r.refusal()), "[authority.unknown @ authority] ");
  EXPECT_NE(r.refusal().first().message.find("cd93"), std::string::npos);
}

// ---- Dossiers -------------------------------------------------------------------------------

TEST_F(MoreRefusals, NumberingStopsAtEX999999InsteadOfOverflowing) {
  auto last = write(create(new_dossier("EX999999")));
  ASSERT_TRUE(last.ok()) << last.refusal().describe();
  EXPECT_TRUE(RefusedUnchanged(create(new_dossier("")), "application.numbers_exhausted", "number"));
}

TEST_F(MoreRefusals, ANewPlanLineNeedsALabelAndAnAmount) {
  reopen("EX070162");
  PlanChange no_amount;
  no_amount.op = PlanChange::Op::Add;
  no_amount.side = PlanChange::Side::Expense;
  no_amount.label = "Frais de déplacement";
  EXPECT_TRUE(
      RefusedUnchanged(edit("EX070162", {no_amount}), "plan.line_incomplete", "plan.expenses[3]"));
  PlanChange no_label;
  no_label.op = PlanChange::Op::Add;
  no_label.side = PlanChange::Side::Resource;
  no_label.amount = "100";
  EXPECT_TRUE(
      RefusedUnchanged(edit("EX070162", {no_label}), "plan.line_incomplete", "plan.resources[3]"));
}

TEST_F(MoreRefusals, TextThatIsNotUtf8IsRefusedByName) {
  PartyInput p = new_party();
  p.legal_name = "Commune de Test \xff\xfe";
  EXPECT_TRUE(RefusedUnchanged(register_(p), "text.encoding", "legal_name"));
  ApplicationInput a = new_dossier("EX080001");
  a.title = "Projet \xc3";  // a truncated two-byte sequence
  EXPECT_TRUE(RefusedUnchanged(create(a), "text.encoding", "project.title"));
}

// ---- Aid schemes ----------------------------------------------------------------------------

TEST_F(MoreRefusals, ASchemeNumberIsDigitsOnly) {
  for (const std::string& number : std::vector<std::string>{"", "00A01176", "1234567890123"}) {
    SCOPED_TRACE(number);
    EXPECT_TRUE(
        RefusedUnchanged(create_scheme(new_scheme(number, "50")), "scheme.number", "number"));
  }
}

TEST_F(MoreRefusals, ASchemeClosesAfterItOpens) {
  SchemeInput s = new_scheme("00009001", "50");
  s.opens_on = "2023-06-01";
  s.closes_on = "2023-05-31";
  EXPECT_TRUE(RefusedUnchanged(create_scheme(s), "scheme.window", "closes_on"));
}

TEST_F(MoreRefusals, ARuleHasAKnownKindAndBase) {
  SchemeInput s = new_scheme("00009002", "50");
  s.rule.kind = "percent";
  EXPECT_TRUE(RefusedUnchanged(create_scheme(s), "rule.kind", "rule.kind"));
  s = new_scheme("00009002", "50");
  s.rule.base = "brut";
  EXPECT_TRUE(RefusedUnchanged(create_scheme(s), "rule.base", "rule.base"));
}

// The limit is 200 characters, not bytes: 200 « é » (400 bytes) are a valid service name.
TEST_F(MoreRefusals, AServiceNameHasAtMost200Characters) {
  std::string name;
  for (int i = 0; i < 200; ++i)
    name += "é";
  SchemeInput s = new_scheme("00009003", "50");
  s.service = name + "e";
  EXPECT_TRUE(RefusedUnchanged(create_scheme(s), "scheme.service", "service"));
  s.service = name;
  const auto created = write(create_scheme(s));
  ASSERT_TRUE(created.ok()) << created.refusal().describe();
  EXPECT_EQ(created->service, name);
}

TEST_F(MoreRefusals, AnEditKeepsTheSchemeNumber) {
  const auto edited = [](const std::string& new_number) {
    return [new_number](Transaction& tx, const Context& ctx) {
      auto in =
          octroi::scheme_input_of(octroi::scheme_by_number(tx, ctx.authority, "00001176").value());
      in.number = new_number;
      return octroi::edit_scheme(tx, ctx, "00001176", in);
    };
  };
  EXPECT_TRUE(RefusedUnchanged(edited("00001177"), "scheme.number_change", "number"));
}

// ---- Documents ------------------------------------------------------------------------------

TEST_F(MoreRefusals, NoProjectSheetForADossierWithoutAnAmount) {
  ApplicationInput a = new_dossier("EX080002");
  a.expenses.clear();
  a.resources.clear();
  auto created = write(create(a));
  ASSERT_TRUE(created.ok()) << created.refusal().describe();
  EXPECT_TRUE(RefusedUnchanged(
      [](Transaction& tx, const Context& ctx) {
        return octroi::project_sheet_data(tx, ctx.authority, "EX080002");
      },
      "document.no_amount", "number"));
}

}  // namespace
}  // namespace octroi_test
