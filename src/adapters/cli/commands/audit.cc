// audit: list, verify.
#include "app/ports/audit.h"
#include "adapters/cli/commands/commands.h"
#include "core/french.h"

namespace octroi::cli {
namespace {

struct AuditCommands : Area {
  using Area::Area;
  std::int64_t audit_limit = 50;

  void list_command(CLI::App* audit) {
    auto* audit_list = audit->add_subcommand("list", "Dernières entrées du journal d'audit");
    add_common(audit_list, c);
    audit_list->add_option("--limit", audit_limit, "Nombre d'entrées (au plus 10 000)");
    audit_list->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r =
            read(*store, c, [&](Transaction& tx, AuthorityId a) -> Result<std::vector<AuditEntry>> {
              return tx.audit().list_audit(a, audit_limit);
            });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        if (c.json) {
          std::cout << json_audit(r.value());
        } else {
          for (const auto& e : r.value())
            std::cout << e.seq << "  " << fr::moment_short(e.at) << "  " << e.actor << "  "
                      << e.action << "  " << e.entity_key << "\n";
        }
        return 0;
      };
    });
  }

  void verify_command(CLI::App* audit) {
    auto* audit_verify = audit->add_subcommand(
        "verify", "Vérifie la chaîne de hachage du journal d'audit (code 1 si altération)");
    add_common(audit_verify, c);
    audit_verify->callback([this] {
      action = [this] {
        auto store = open_store();
        auto r = read(*store, c, [&](Transaction& tx, AuthorityId a) -> Result<AuditVerification> {
          return verify_audit(tx, a, store->hasher());
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << (c.json ? json_audit_verification(r.value())
                             : text_audit_verification(r.value()));
        return r->problems.empty() ? 0 : kRefused;
      };
    });
  }
};

}  // namespace

void add_audit_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<AuditCommands>(env);
  auto* audit = app.add_subcommand("audit", "Journal d'audit");
  audit->require_subcommand(1);
  area.list_command(audit);
  area.verify_command(audit);
}

}  // namespace octroi::cli
