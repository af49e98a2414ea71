// The audit port (app/ports/audit.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/audit.h"

namespace octroi::sql {
namespace {

constexpr const char* kAuditColumns =
    "seq, authority_id, authority_seq, at, actor, action, entity, entity_key, before, after, "
    "prev_hash, hash";

class SqlAudit final : public AuditPort {
 public:
  explicit SqlAudit(TxContext& t) : t_(t) {}

  void append_audit(const AuditEntry& in) override {
    t_.scope(in.authority);
    AuditEntry e = in;
    if (auto head = t_.audit_heads.find(e.authority.value); head != t_.audit_heads.end()) {
      e.authority_seq = head->second.first + 1;
      e.prev_hash = head->second.second;
    } else {
      auto st = t_.c.prepare(
          "SELECT authority_seq, hash FROM audit_log WHERE authority_id = ? "
          "ORDER BY authority_seq DESC LIMIT 1");
      Params(st).add(e.authority.value);
      if (st.step()) {
        Row row(st);
        e.authority_seq = row.int64() + 1;
        e.prev_hash = row.text();
      } else {
        e.authority_seq = 1;
        e.prev_hash.clear();
      }
    }
    e.hash = t_.hasher.sha256_hex(audit_chain_material(e, e.prev_hash));
    Params(t_.c.prepare(
               "INSERT INTO audit_log (authority_id, authority_seq, at, actor, action, entity, "
               "entity_key, before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"))
        .add(e.authority.value)
        .add(e.authority_seq)
        .add(e.at)
        .add(e.actor)
        .add(e.action)
        .add(e.entity)
        .add(e.entity_key)
        .add(e.before)
        .add(e.after)
        .add(e.prev_hash)
        .add(e.hash)
        .run_later();
    t_.audit_heads[e.authority.value] = {e.authority_seq, e.hash};
  }

  std::vector<AuditEntry> list_audit(AuthorityId a, std::int64_t limit) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kAuditColumns +
                           " FROM audit_log WHERE authority_id = ? ORDER BY seq DESC LIMIT ?");
    Params(st).add(a.value).add(std::clamp<std::int64_t>(limit, 1, 10000));
    std::vector<AuditEntry> out;
    while (st.step())
      out.push_back(audit_row(st));
    return out;
  }

  std::vector<AuditEntry> audit_of(AuthorityId a, const std::string& entity,
                                   const std::string& key) override {
    t_.scope(a);
    auto st =
        t_.c.prepare(std::string("SELECT ") + kAuditColumns +
                     " FROM audit_log WHERE authority_id = ? AND entity = ? AND entity_key = ? "
                     "ORDER BY seq LIMIT 10000");
    Params(st).add(a.value).add(entity).add(key);
    std::vector<AuditEntry> out;
    while (st.step())
      out.push_back(audit_row(st));
    return out;
  }

  std::vector<AuditEntry> audit_trail(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kAuditColumns +
                           " FROM audit_log WHERE authority_id = ? ORDER BY authority_seq");
    Params(st).add(a.value);
    std::vector<AuditEntry> out;
    while (st.step())
      out.push_back(audit_row(st));
    return out;
  }

 private:
  static AuditEntry audit_row(Statement& st) {
    AuditEntry e;
    Row row(st);
    e.seq = row.int64();
    e.authority = row.id<AuthorityId>();
    e.authority_seq = row.int64();
    e.at = row.instant();
    e.actor = row.text();
    e.action = row.text();
    e.entity = row.text();
    e.entity_key = row.text();
    e.before = row.text();
    e.after = row.text();
    e.prev_hash = row.text();
    e.hash = row.text();
    return e;
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<AuditPort> audit_rows(TxContext& t) {
  return std::make_unique<SqlAudit>(t);
}

}  // namespace octroi::sql
