// The authorities port (app/ports/authorities.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/authorities.h"

namespace octroi::sql {
namespace {

class SqlAuthorities final : public AuthoritiesPort {
 public:
  explicit SqlAuthorities(TxContext& t) : t_(t) {}

  std::optional<Authority> find_authority(const std::string& code) override {
    auto st = t_.c.prepare(
        "SELECT id, code, name, siret, address, executive FROM authorities WHERE code = ?");
    Params(st).add(code);
    if (!st.step()) return std::nullopt;
    Authority a = authority_row(st);
    t_.scope(a.id);
    return a;
  }

  std::vector<Authority> list_authorities() override {
    auto st = t_.c.prepare(
        "SELECT id, code, name, siret, address, executive FROM authorities ORDER BY code");
    std::vector<Authority> out;
    while (st.step())
      out.push_back(authority_row(st));
    return out;
  }

  AuthorityId insert_authority(const Authority& a) override {
    const std::int64_t new_id =
        Params(t_.c.prepare("INSERT INTO authorities (code, name, siret, address, "
                            "executive) VALUES (?,?,?,?,?) RETURNING id"))
            .add(a.code)
            .add(a.name)
            .add(a.siret)
            .add(a.address)
            .add(a.executive)
            .run_returning_id();
    return AuthorityId{new_id};
  }

  void update_authority(const Authority& a) override {
    t_.scope(a.id);
    Params(
        t_.c.prepare(
            "UPDATE authorities SET name = ?, siret = ?, address = ?, executive = ? WHERE id = ?"))
        .add(a.name)
        .add(a.siret)
        .add(a.address)
        .add(a.executive)
        .add(a.id.value)
        .run();
  }

 private:
  static Authority authority_row(Statement& st) {
    Row row(st);
    return {row.id<AuthorityId>(), row.text(), row.text(), row.text(), row.text(), row.text()};
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<AuthoritiesPort> authorities_rows(TxContext& t) {
  return std::make_unique<SqlAuthorities>(t);
}

}  // namespace octroi::sql
