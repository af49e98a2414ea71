// document (sheet, agreement, letter, render: a batch of documents, app/document_batch.h) and
// template (list, upload, show).
#include <filesystem>
#include <fstream>

#include "adapters/cli/commands/commands.h"
#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "app/document_batch.h"
#include "core/french.h"

namespace octroi::cli {
namespace {

using Requests = std::function<Result<std::vector<DocumentRequest>>(Transaction&, AuthorityId)>;

struct DocumentCommands : Area {
  using Area::Area;
  std::string document_number, document_out, render_report;
  bool document_pdf = false;
  std::vector<std::string> render_only;
  TemplateUpload upload;
  std::string upload_file;
  std::string show_name, show_out;
  int show_version = 0;

  // Generates the documents in one write transaction (each recorded in the audit trail with its
  // template version and hashes), writes them once it is committed, then converts them to PDF in
  // one LibreOffice run. Progress goes to stderr, the paths written to stdout.
  int produce(const Requests& requests) {
    auto store = open_store();
    documents::FodtEngine engine;
    const DocumentProgress progress = [](std::size_t done, std::size_t total,
                                         const GeneratedDocument& g) {
      std::cerr << "[" << done << "/" << total << "] " << g.request.file << ".odt (modèle "
                << g.used.name
                << (g.used.version == 0
                        ? std::string(" intégré")
                        : " v" + std::to_string(g.used.version) + ", " + g.used.adopted_by)
                << ")\n";
    };
    auto made = write(
        *store, clock, c,
        [&](Transaction& tx, const Context& ctx) -> Result<std::vector<GeneratedDocument>> {
          auto wanted = requests(tx, ctx.authority);
          if (!wanted.ok()) return wanted.refusal();
          return generate_documents(tx, ctx, engine, store->hasher(), wanted.value(), progress);
        });
    if (!made.ok()) return print_refusal(made.refusal(), c.json);
    std::filesystem::create_directories(document_out);
    documents::PdfConverter converter;
    auto odt = deliver_documents(made.value(), DocumentFormat::Odt, converter);
    if (!odt.ok()) return print_refusal(odt.refusal(), c.json);
    save(odt.value());
    if (document_pdf) {
      std::cerr << "Conversion en PDF de " << made->size()
                << " document(s) en une exécution de LibreOffice…\n";
      auto pdfs = deliver_documents(made.value(), DocumentFormat::Pdf, converter);
      if (!pdfs.ok()) return print_refusal(pdfs.refusal(), c.json);
      save(pdfs.value());
    }
    return 0;
  }

  // Writes `files` to --out, each path on stdout.
  void save(const std::vector<DocumentFile>& files) const {
    for (const auto& f : files) {
      const auto path = std::filesystem::path(document_out) / f.name;
      std::ofstream(path, std::ios::binary) << f.bytes;
      std::cout << path.string() << "\n";
    }
  }

  // A document of one dossier: `stem` and its number name the file.
  void one_dossier(CLI::App* document, const char* name, const char* help, DocumentKind kind,
                   const char* stem) {
    auto* cmd = document->add_subcommand(name, help);
    add_common(cmd, c);
    cmd->add_option("number", document_number, "Numéro du dossier (ex. EX070158)")->required();
    cmd->add_option("--out", document_out, "Dossier où écrire le document")->required();
    cmd->add_flag("--pdf", document_pdf, "Convertit aussi en PDF (LibreOffice)");
    cmd->callback([this, kind, stem] {
      action = [this, kind, stem] {
        return produce([&](Transaction&, AuthorityId) -> Result<std::vector<DocumentRequest>> {
          return std::vector<DocumentRequest>{
              {kind, "", document_number, std::string(stem) + document_number}};
        });
      };
    });
  }

  void render_command(CLI::App* document) {
    auto* render = document->add_subcommand(
        "render",
        "Documents d'un rapport : rapport (exposé des motifs), projet de délibération, fiches "
        "projets (annexe 1), avenants de transfert et fiches mises à jour (annexe 2), en ODT, et "
        "en PDF avec --pdf (une seule exécution de LibreOffice pour tous)");
    add_common(render, c);
    render->add_option("--report", render_report, "Numéro du rapport (ex. « CP 2023-040 »)")
        ->required();
    render->add_option("--out", document_out, "Dossier où écrire les documents")->required();
    render->add_flag("--pdf", document_pdf, "Convertit aussi en PDF (LibreOffice)");
    render->add_option("--only", render_only,
                       "Seulement ces documents (ex. --only deliberation --only "
                       "annexe-2-avenant-EX065392)");
    render->callback([this] {
      action = [this] {
        return produce([&](Transaction& tx, AuthorityId a) {
          return choose_report_documents(tx, a, render_report, render_only);
        });
      };
    });
  }

  void list_command(CLI::App* tmpl) {
    auto* tmpl_list = tmpl->add_subcommand("list", "Liste les modèles et leurs versions");
    add_common(tmpl_list, c);
    tmpl_list->callback([this] {
      action = [this] {
        auto store = open_store();
        auto families = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return Result<std::vector<TemplateFamily>>(list_templates(tx, a));
        });
        if (!families.ok()) return print_refusal(families.refusal(), c.json);
        for (const auto& f : families.value()) {
          std::cout << template_name(f.kind) << " — " << french(f.kind) << "\n";
          std::cout << "  v0  modèle intégré à octroi\n";
          for (const auto& v : f.versions)
            std::cout << "  v" << v.version << "  adopté par " << v.adopted_by << ", du "
                      << fr::date_short(v.applies_from)
                      << (v.applies_until ? " au " + fr::date_short(*v.applies_until)
                                          : std::string(", sans fin"))
                      << (v.note.empty() ? "" : " (" + v.note + ")") << ", déposé par "
                      << v.uploaded_by << " le " << v.uploaded_at.iso() << ", sha256 "
                      << v.sha256.substr(0, 12) << "…\n";
        }
        return 0;
      };
    });
  }

  void upload_command(CLI::App* tmpl) {
    auto* tmpl_upload = tmpl->add_subcommand(
        "upload", "Dépose une nouvelle version d'un modèle (.fodt enregistré par LibreOffice)");
    add_common(tmpl_upload, c);
    tmpl_upload
        ->add_option("name", upload.name,
                     "Modèle : rapport, deliberation, fiche_projet, "
                     "convention, avenant_transfert, notification")
        ->required();
    tmpl_upload->add_option("--file", upload_file, "Fichier .fodt")->required();
    tmpl_upload
        ->add_option("--adopted-by", upload.adopted_by,
                     "Acte qui a adopté le modèle (ex. « CP 2022-111 »)")
        ->required();
    tmpl_upload->add_option("--from", upload.applies_from, "En vigueur à partir du (date)")
        ->required();
    tmpl_upload->add_option("--until", upload.applies_until,
                            "Jusqu'au (date), si le modèle a une fin");
    tmpl_upload->add_option("--note", upload.note, "Note (ex. « modifié par CR 2022-078 »)");
    tmpl_upload->callback([this] {
      action = [this] {
        std::ifstream in(upload_file, std::ios::binary);
        if (!in) {
          std::cerr << "Impossible de lire le fichier « " << upload_file << " ».\n";
          return 2;
        }
        upload.content.assign(std::istreambuf_iterator<char>(in), {});
        auto store = open_store();
        documents::FodtEngine engine;
        auto r = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          return upload_template(tx, ctx, engine, store->hasher(), upload);
        });
        if (!r.ok()) return print_refusal(r.refusal(), c.json);
        std::cout << "Modèle « " << r->name << " » version " << r->version << " (adopté par "
                  << r->adopted_by << ", en vigueur le " << fr::date_long(r->applies_from)
                  << "), sha256 " << r->sha256 << "\n";
        return 0;
      };
    });
  }

  void show_command(CLI::App* tmpl) {
    auto* tmpl_show =
        tmpl->add_subcommand("show", "Écrit une version d'un modèle dans un fichier .fodt");
    add_common(tmpl_show, c);
    tmpl_show->add_option("name", show_name, "Modèle")->required();
    tmpl_show->add_option("--version", show_version, "Version (0 : le modèle intégré)");
    tmpl_show->add_option("--out", show_out, "Fichier à écrire")->required();
    tmpl_show->callback([this] {
      action = [this] {
        auto store = open_store();
        documents::FodtEngine engine;
        auto t = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return find_template(tx, a, engine, store->hasher(), show_name, show_version);
        });
        if (!t.ok()) return print_refusal(t.refusal(), c.json);
        std::ofstream(show_out, std::ios::binary) << t->content;
        std::cout << show_out << "\n";
        return 0;
      };
    });
  }
};

}  // namespace

void add_document_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<DocumentCommands>(env);
  auto* document = app.add_subcommand("document", "Documents officiels (ODT, PDF)");
  document->require_subcommand(1);
  area.one_dossier(document, "sheet", "Fiche projet d'un dossier (annexe 1 du rapport)",
                   DocumentKind::ProjectSheet, "");
  area.one_dossier(document, "agreement",
                   "Convention d'un dossier attribué, selon le modèle du dispositif",
                   DocumentKind::Agreement, "convention-");
  area.one_dossier(document, "letter", "Lettre de notification de la subvention au bénéficiaire",
                   DocumentKind::Notification, "notification-");
  area.render_command(document);
}

void add_template_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<DocumentCommands>(env);
  auto* tmpl = app.add_subcommand("template", "Modèles de documents (versions adoptées)");
  tmpl->require_subcommand(1);
  area.list_command(tmpl);
  area.upload_command(tmpl);
  area.show_command(tmpl);
}

}  // namespace octroi::cli
