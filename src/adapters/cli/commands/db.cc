// db copy: from one store to another, verified.
#include "adapters/cli/commands/commands.h"

namespace octroi::cli {
namespace {

struct DbCommands : Area {
  using Area::Area;
  std::string copy_from, copy_to, copy_authority;
  bool copy_force = false;

  void copy_command(CLI::App* db) {
    auto* db_copy = db->add_subcommand(
        "copy",
        "Copie les données d'une collectivité (ou de toutes) d'une base à l'autre, SQLite ou "
        "PostgreSQL, puis vérifie comptes, soldes et chaîne d'audit");
    db_copy->add_option("--from", copy_from, "Base source : fichier SQLite ou URL postgresql://…")
        ->required();
    db_copy->add_option("--to", copy_to, "Base cible (créée ou mise à jour si besoin)")->required();
    db_copy->add_option("--authority", copy_authority,
                        "Code de la collectivité à copier (par défaut : toutes)");
    db_copy->add_flag("--force", copy_force,
                      "Copier même si la cible contient déjà des données (tout ou rien)");
    db_copy->add_flag("--json", c.json, "Sortie JSON");
    db_copy->callback([this] {
      action = [this] {
        auto from = stores::open(copy_from, stores::OpenMode::Existing);
        auto to = stores::open(copy_to, stores::OpenMode::Create);
        const bool progress = !c.json;
        auto r = stores::copy_store(*from, *to, {copy_authority, copy_force},
                                    [&](const std::string& line) {
                                      if (progress) std::cerr << line << "\n";
                                    });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        r->from = stores::display_name(copy_from);
        r->to = stores::display_name(copy_to);
        std::cout << (c.json ? json_copy_report(r.value()) : text_copy_report(r.value()));
        return 0;
      };
    });
  }
};

}  // namespace

void add_db_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<DbCommands>(env);
  auto* db = app.add_subcommand("db", "Administration de la base");
  db->require_subcommand(1);
  area.copy_command(db);
}

}  // namespace octroi::cli
