#include "adapters/store/copy.h"

#include <algorithm>
#include <set>

#include "adapters/sql/tables.h"
#include "app/context.h"
#include "app/ports/authorities.h"
#include "app/ports/ledger.h"
#include "app/use_cases.h"

namespace octroi::stores {
namespace {

std::vector<std::string> columns_of(sql::Connection& c, const std::string& table) {
  auto st = c.prepare("SELECT * FROM " + table + " LIMIT 0");
  st.step();
  std::vector<std::string> out;
  for (int i = 0; i < st.column_count(); ++i)
    out.push_back(st.column_name(i));
  return out;
}

// The registry's entry of a table (adapters/sql/tables.h).
const sql::TableInfo& table_info(const std::string& table) {
  for (const auto& t : sql::registered_tables())
    if (table == t.name) return t;
  throw StoreError("table not in the registry: " + table);
}

std::string scope_column(const std::string& table) {
  return table_info(table).authority_column;
}

std::int64_t count_of(sql::Connection& c, const std::string& table, std::int64_t authority) {
  auto st = c.prepare("SELECT count(*) FROM " + table + " WHERE " + scope_column(table) + " = ?");
  st.bind(1, authority);
  st.step();
  return st.int64(0);
}

std::vector<Authority> authorities_to_copy(sql::SqlStore& from, const std::string& code) {
  return run_read(from, [&](Transaction& tx) {
    std::vector<Authority> out;
    for (auto& a : tx.authorities().list_authorities())
      if (code.empty() || a.code == code) out.push_back(std::move(a));
    return out;
  });
}

// Copies one table's rows of `authority`; returns how many.
std::int64_t copy_table(sql::Connection& src, sql::Connection& dst, const std::string& table,
                        std::int64_t authority) {
  const auto cols = columns_of(src, table);
  std::string names, marks;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    names += (i ? ", " : "") + cols[i];
    marks += i ? ",?" : "?";
  }
  auto read = src.prepare("SELECT " + names + " FROM " + table + " WHERE " + scope_column(table) +
                          " = ? ORDER BY 1");
  read.bind(1, authority);
  auto write = dst.prepare("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")");
  std::int64_t n = 0;
  while (read.step()) {
    write.reset();
    for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
      if (read.is_null(i))
        write.bind_null(i + 1);
      else
        write.bind(i + 1, read.text(i));
    }
    write.run();
    ++n;
  }
  return n;
}

// PostgreSQL's identity sequences do not see explicit ids: move them past the copied ones.
void advance_sequences(sql::Connection& dst) {
  if (dst.dialect() != sql::Dialect::Postgres) return;  // SQLite takes max(rowid) + 1
  for (const auto& t : sql::registered_tables()) {
    const std::string key = t.identity;
    if (key.empty()) continue;
    const std::string table = t.name;
    dst.exec("SELECT setval(pg_get_serial_sequence('" + table + "', '" + key +
             "'), coalesce((SELECT max(" + key + ") FROM " + table + "), 0) + 1, false)");
  }
}

std::optional<Refusal> check_schemas(sql::Connection& src, sql::Connection& dst) {
  const int vs = sql::schema_version(src), vd = sql::schema_version(dst);
  if (vs != vd)
    return refuse("copy.schema_version", "to",
                  "les deux bases n'ont pas la même version de schéma (" + std::to_string(vs) +
                      " et " + std::to_string(vd) + ")");
  const auto& order = copy_order();
  for (const auto& t : sql::schema_tables(src))
    if (!sql::is_excluded_table(t) && std::find(order.begin(), order.end(), t) == order.end())
      return refuse(
          "copy.unknown_table", "from",
          "la table « " + t + " » n'est pas prévue par la copie (adapters/sql/tables.cc)");
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& copy_order() {
  static const std::vector<std::string> order = [] {
    std::vector<std::string> out;
    for (const auto& t : sql::registered_tables())
      out.push_back(t.name);
    return out;
  }();
  return order;
}

Result<CopyReport> copy_store(sql::SqlStore& from, sql::SqlStore& to, const CopyOptions& options,
                              const std::function<void(const std::string&)>& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  CopyReport report;
  report.from = from.locator();
  report.to = to.locator();
  auto src = from.connect();
  auto dst = to.connect();
  if (auto r = check_schemas(*src, *dst)) return *r;

  const auto authorities = authorities_to_copy(from, options.authority);
  if (authorities.empty())
    return refuse("copy.no_authority", "authority",
                  options.authority.empty()
                      ? "la base source ne contient aucune collectivité"
                      : "collectivité « " + options.authority + " » inconnue dans la source");
  {
    auto st = dst->prepare("SELECT count(*) FROM authorities");
    st.step();
    if (st.int64(0) > 0 && !options.allow_non_empty)
      return refuse("copy.target_not_empty", "to",
                    "la base cible contient déjà des données (" + std::to_string(st.int64(0)) +
                        " collectivité(s)) : rien n'a été copié ; --force pour copier quand "
                        "même (les identifiants déjà pris font échouer toute la copie)");
  }

  // One read snapshot of the source, one write transaction on the target.
  try {
    sql::in_transaction(*src, false, [&] {
      sql::in_transaction(*dst, true, [&] {
        // The rows come as they are: the rules that read a dossier's current state to order its
        // visas stand aside while this transaction copies (migration 0021).
        dst->exec("INSERT INTO copy_in_progress (started_at) VALUES ('copie')");
        for (const auto& a : authorities) {
          CopiedAuthority copied;
          copied.code = a.code;
          for (const auto& t : copy_order()) {
            const std::int64_t n = copy_table(*src, *dst, t, a.id.value);
            copied.tables.push_back({t, n, 0});
            report.rows += n;
            if (n > 0) say(a.code + " · " + t + " : " + std::to_string(n) + " ligne(s)");
          }
          report.authorities.push_back(std::move(copied));
        }
        advance_sequences(*dst);
        dst->exec("DELETE FROM copy_in_progress");
      });
    });
  } catch (const sql::ConstraintViolation& e) {
    return refuse("copy.conflict", "to",
                  std::string("la cible refuse la copie, rien n'a été écrit : ") + e.what());
  }

  // Verification, on what the target committed.
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < authorities.size(); ++i) {
    const Authority& a = authorities[i];
    CopiedAuthority& copied = report.authorities[i];
    for (auto& t : copied.tables) {
      t.target = count_of(*dst, t.table, a.id.value);
      if (t.target != t.source)
        problems.push_back({"copy.count_mismatch", t.table,
                            a.code + " · " + t.table + " : " + std::to_string(t.source) +
                                " ligne(s) dans la source, " + std::to_string(t.target) +
                                " dans la cible"});
    }
    auto balances = [&](sql::SqlStore& s) {
      return run_read(s, [&](Transaction& tx) {
        std::vector<std::pair<std::string, LineBalances>> out;
        for (const auto& l : tx.ledger().list_budget_lines(a.id, std::nullopt))
          out.emplace_back(std::to_string(l.fiscal_year) + "/" + l.action,
                           tx.ledger().line_balances(a.id, l.id));
        return out;
      });
    };
    const auto bs = balances(from), bt = balances(to);
    copied.budget_lines = static_cast<std::int64_t>(bs.size());
    if (bs != bt)
      problems.push_back({"copy.balance_mismatch", "budget_lines",
                          a.code + " : les soldes des lignes budgétaires diffèrent après copie"});
    const auto ledger = run_read(to, [&](Transaction& tx) { return verify_ledger(tx, a.id); });
    copied.ledger_entries = ledger.entries;
    for (const auto& d : ledger.differences)
      problems.push_back({"copy.ledger", "ledger_entries", a.code + " : " + d.what});
    const auto source_audit =
        run_read(from, [&](Transaction& tx) { return verify_audit(tx, a.id, from.hasher()); });
    const auto audit =
        run_read(to, [&](Transaction& tx) { return verify_audit(tx, a.id, to.hasher()); });
    copied.audit_entries = audit.entries;
    copied.audit_head_hash = audit.head_hash;
    for (const auto& p : audit.problems)
      problems.push_back({"copy.audit", "audit_log", a.code + " : " + p.what});
    if (audit.head_hash != source_audit.head_hash)
      problems.push_back({"copy.audit_head", "audit_log",
                          a.code + " : la chaîne d'audit ne se termine pas sur le même hachage"});
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  return report;
}

}  // namespace octroi::stores
