// The files of dossiers (app/files.h).
#include <algorithm>

#include "app/audit_json.h"
#include "app/files.h"
#include "app/input.h"
#include "app/portal.h"
#include "app/ports/applications.h"
#include "app/ports/files.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

// What an agent reads of a MIME type: "PDF (application/pdf)".
std::string type_words(const std::string& mime) {
  const std::string name = file_type_name(mime);
  return name == mime ? mime : name + " (" + mime + ")";
}

std::string case_folded(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The scheme's settings for files (the defaults when the scheme has none any more).
SchemePortalRecord files_settings(Transaction& tx, AuthorityId a, const Application& app) {
  if (auto p = tx.portal().scheme_portal(a, app.scheme)) return *p;
  SchemePortalRecord r;
  r.authority = a;
  r.scheme = app.scheme;
  return r;
}

// A file checked (name, size, type, scan): what is recorded, or why not. Runs outside any
// transaction: the scan may take seconds.
struct CheckedFile {
  FileRecord record;
  std::string bytes;
};
Result<CheckedFile> check_file(const SchemePortalRecord& s, Upload up, const FileServices& fs) {
  auto name = clean_file_name(up.filename);
  if (!name.ok()) return name.refusal();
  if (up.bytes.empty())
    return refuse("file.empty", "file", "Le fichier « " + *name + " » est vide.");
  const std::int64_t max = std::min(s.max_file_bytes, kMaxFileBytes);
  if (static_cast<std::int64_t>(up.bytes.size()) > max)
    return refuse("file.too_large", "file",
                  "Le fichier « " + *name + " » pèse " +
                      fr::integer(static_cast<std::int64_t>(up.bytes.size())) +
                      " octets ; ce dispositif accepte au plus " + fr::integer(max) + " octets (" +
                      fr::integer(max / (1024 * 1024)) + " Mio) par fichier.");
  const std::string piece = text::trim(up.piece);
  if (!piece.empty()) {
    const auto pieces = split_lines(s.documents);
    if (std::find(pieces.begin(), pieces.end(), piece) == pieces.end())
      return refuse("file.piece", "piece",
                    "« " + piece + " » n'est pas une des pièces que demande ce dispositif.");
  }
  const std::string mime = fs.sniffer->mime_of(up.bytes);
  const auto types = accepted_types(s);
  if (std::find(types.begin(), types.end(), mime) == types.end()) {
    std::string list;
    for (const auto& t : types)
      list += (list.empty() ? "" : ", ") + type_words(t);
    return refuse("file.type", "file",
                  "Le fichier « " + *name + " » est de type " + type_words(mime) +
                      " (lu dans son contenu, pas dans son nom) ; ce dispositif accepte : " + list +
                      ".");
  }
  CheckedFile c;
  c.record.scan = "not_scanned";
  if (fs.scanner) {
    const ScanVerdict v = fs.scanner->scan(up.bytes);
    if (v.kind == ScanVerdict::Kind::Infected)
      return refuse(
          "file.infected", "file",
          "Le fichier « " + *name + " » est refusé : l'antivirus y a trouvé « " + v.detail + " ».");
    if (v.kind != ScanVerdict::Kind::Clean)
      return refuse("file.scan_failed", "file",
                    "Le fichier « " + *name +
                        " » n'a pas pu être vérifié par l'antivirus ; réessayez dans quelques "
                        "minutes.");
    c.record.scan = "clean";
    c.record.scanner = fs.scanner->name();
  }
  c.record.name = *name;
  c.record.mime = mime;
  c.record.size = static_cast<std::int64_t>(up.bytes.size());
  c.record.piece = piece;
  c.record.sha256 = fs.sha256->sha256_hex(up.bytes);
  c.bytes = std::move(up.bytes);
  return c;
}

// Whether the applicant may add pieces to the dossier (or withdraw them): a draft, or a dossier
// returned for corrections.
std::optional<Refusal> not_editable(const Application& app) {
  const auto s = app.state();
  if (s == ApplicationState::Draft || s == ApplicationState::Incomplete) return std::nullopt;
  return refuse("application.not_editable", "number",
                "Les pièces du dossier " + app.number +
                    " ne peuvent plus être modifiées : il est " + applicant_state_label(s) +
                    ". Écrivez au service pour lui joindre un fichier.");
}

// "file.quota" when the dossier cannot take `size` more bytes.
std::optional<Refusal> over_quota(Transaction& tx, AuthorityId a, const Application& app,
                                  std::int64_t size) {
  const auto files = tx.files().files_of(a, app.id);
  std::int64_t bytes = size;
  for (const auto& f : files)
    bytes += f.size;
  if (files.size() < kMaxFilesPerDossier && bytes <= kMaxBytesPerDossier) return std::nullopt;
  return refuse("file.quota", "file",
                "Le dossier " + app.number + " a atteint sa limite de " +
                    std::to_string(kMaxFilesPerDossier) + " fichiers ou de " +
                    fr::integer(kMaxBytesPerDossier / (1024 * 1024)) +
                    " Mio : écrivez au service instructeur.");
}

// Who gives a file: an applicant (their account) or an agent.
struct FileAuthor {
  std::string kind, name;
  std::optional<std::int64_t> account;
};
FileAuthor applicant_author(const ApplicantContext& ac) {
  return {"applicant", ac.email, ac.account_id};
}

// Records a checked file on the dossier (and its bytes unless stored already), audited under
// `ctx`.
FileRecord record_file(Transaction& tx, const Context& ctx, const Application& app, CheckedFile c,
                       std::optional<std::int64_t> message, const FileAuthor& author) {
  FileRecord f = std::move(c.record);
  f.authority = ctx.authority;
  f.application = app.id;
  f.message = message;
  f.author_kind = author.kind;
  f.author = author.name;
  f.applicant_account_id = author.account;
  f.at = ctx.clock->now();
  tx.files().put_content(ctx.authority, f.sha256, c.bytes, f.at);
  f.id = tx.files().insert_file(f);
  record_audit(
      tx, ctx,
      {.action = "application.file_added",
       .entity = "application",
       .key = app.number,
       .after = "{\"file\":" + std::to_string(f.id) + ",\"name\":" + audit_json::quote(f.name) +
                ",\"sha256\":" + audit_json::quote(f.sha256) +
                ",\"size\":" + std::to_string(f.size) + ",\"type\":" + audit_json::quote(f.mime) +
                ",\"piece\":" + audit_json::quote(f.piece) +
                ",\"scan\":" + audit_json::quote(f.scan) + "}",
       .at = f.at});
  return f;
}

// The dossier and its scheme's settings, read before a file is checked (nothing is scanned for
// a dossier that is not the applicant's).
struct Target {
  Application app;
  SchemePortalRecord settings;
};
Result<Target> target(Store& store, const ApplicantContext& ac, const std::string& number,
                      bool must_be_editable) {
  return run_read(store, [&](Transaction& tx) -> Result<Target> {
    auto app = applicant_dossier(tx, ac, number);
    if (!app.ok()) return app.refusal();
    if (must_be_editable)
      if (auto r = not_editable(*app)) return *r;
    return Target{*app, files_settings(tx, ac.authority, *app)};
  });
}

}  // namespace

std::string file_type_name(const std::string& mime) {
  static const std::pair<const char*, const char*> known[] = {
      {"application/pdf", "PDF"},
      {"image/jpeg", "JPEG"},
      {"image/png", "PNG"},
      {"application/vnd.oasis.opendocument.text", "ODT"},
      {"application/vnd.oasis.opendocument.spreadsheet", "ODS"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"},
  };
  for (const auto& [m, w] : known)
    if (mime == m) return w;
  return mime;
}

Result<std::string> clean_file_name(const std::string& typed) {
  std::string name = typed;
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  name = text::trim(name);
  if (name.empty()) return refuse("file.name", "file", "Choisissez un fichier à joindre.");
  if (auto p = text::check_required(name, "file", "Le nom du fichier", 200)) return Refusal({*p});
  if (name.size() > 200)
    return refuse("file.name", "file", "Le nom du fichier est trop long (200 octets au plus).");
  return name;
}

std::vector<std::string> accepted_types(const SchemePortalRecord& s) {
  auto types = split_lines(s.file_types);
  if (types.empty()) types = {"application/pdf", "image/jpeg", "image/png"};
  return types;
}

std::vector<std::string> required_pieces(const SchemePortalRecord& s) {
  std::vector<std::string> out;
  for (const auto& line : split_lines(s.documents))
    if (case_folded(line).find("facultati") == std::string::npos) out.push_back(line);
  return out;
}

std::vector<std::string> missing_pieces(const SchemePortalRecord& s,
                                        const std::vector<FileRecord>& files) {
  std::vector<std::string> out;
  for (const auto& piece : required_pieces(s)) {
    const bool held = std::any_of(files.begin(), files.end(), [&](const FileRecord& f) {
      return !f.removed_at && f.piece == piece;
    });
    if (!held) out.push_back(piece);
  }
  return out;
}

Result<FileRecord> portal_attach_file(Store& store, const ApplicantContext& ac,
                                      const std::string& number, Upload up,
                                      const FileServices& fs) {
  auto t = target(store, ac, number, true);
  if (!t.ok()) return t.refusal();
  end_shared_read(store);  // no snapshot held while the file is scanned
  auto checked = check_file(t->settings, std::move(up), fs);
  if (!checked.ok()) return checked.refusal();
  return run_write(store, [&](Transaction& tx) -> Result<FileRecord> {
    // The dossier may have moved while the file was scanned.
    auto app = applicant_dossier(tx, ac, number);
    if (!app.ok()) return app.refusal();
    if (auto r = not_editable(*app)) return *r;
    if (auto r = over_quota(tx, ac.authority, *app, checked->record.size)) return *r;
    return record_file(tx, context_of(ac), *app, std::move(*checked), std::nullopt,
                       applicant_author(ac));
  });
}

Result<MessageRecord> portal_post_message_with_file(Store& store, const ApplicantContext& ac,
                                                    const std::string& number,
                                                    const std::string& text, Upload up,
                                                    const FileServices& fs) {
  auto t = target(store, ac, number, false);
  if (!t.ok()) return t.refusal();
  end_shared_read(store);  // no snapshot held while the file is scanned
  up.piece.clear();
  auto checked = check_file(t->settings, std::move(up), fs);
  if (!checked.ok()) return checked.refusal();
  return run_write(store, [&](Transaction& tx) -> Result<MessageRecord> {
    auto m = portal_post_message(tx, ac, number, text);
    if (!m.ok()) return m;
    auto app = applicant_dossier(tx, ac, number);
    if (!app.ok()) return app.refusal();
    if (auto r = over_quota(tx, ac.authority, *app, checked->record.size)) return *r;
    record_file(tx, context_of(ac), *app, std::move(*checked), m->id, applicant_author(ac));
    return m;
  });
}

Result<MessageRecord> post_agent_message_with_file(Store& store, const Context& ctx,
                                                   const std::string& number,
                                                   const std::string& text, Upload up,
                                                   const FileServices& fs) {
  auto settings = run_read(store, [&](Transaction& tx) -> Result<SchemePortalRecord> {
    const auto app = tx.applications().find_application(ctx.authority, text::trim(number));
    if (!app)
      return refuse("application.unknown", "number",
                    "Aucun dossier n° « " + text::trim(number) + " » pour cette collectivité.");
    return files_settings(tx, ctx.authority, *app);
  });
  if (!settings.ok()) return settings.refusal();
  end_shared_read(store);  // no snapshot held while the file is scanned
  up.piece.clear();
  auto checked = check_file(*settings, std::move(up), fs);
  if (!checked.ok()) return checked.refusal();
  return run_write(store, [&](Transaction& tx) -> Result<MessageRecord> {
    auto m = post_agent_message(tx, ctx, number, text);
    if (!m.ok()) return m;
    const auto app = tx.applications().find_application(ctx.authority, text::trim(number));
    if (auto r = over_quota(tx, ctx.authority, *app, checked->record.size)) return *r;
    record_file(tx, ctx, *app, std::move(*checked), m->id, {"agent", ctx.actor, std::nullopt});
    return m;
  });
}

Result<FileRecord> portal_remove_file(Transaction& tx, const ApplicantContext& ac,
                                      const std::string& number, std::int64_t file_id) {
  auto app = applicant_dossier(tx, ac, number);
  if (!app.ok()) return app.refusal();
  auto f = tx.files().get_file(ac.authority, app->id, file_id);
  if (!f || f->removed_at)
    return refuse("file.not_found", "file",
                  "Ce dossier n'a pas de fichier n° " + std::to_string(file_id) + ".");
  if (auto r = not_editable(*app)) return *r;
  if (f->author_kind != "applicant")
    return refuse("file.not_yours", "file",
                  "Le fichier « " + f->name + " » est du service : il reste au dossier.");
  if (f->message)
    return refuse("file.message", "file",
                  "Le fichier « " + f->name + " » accompagne un message : il reste au dossier.");
  const Instant at = ac.clock->now();
  tx.files().remove_file(ac.authority, f->id, at);
  f->removed_at = at;
  record_audit(tx, context_of(ac),
               {.action = "application.file_removed",
                .entity = "application",
                .key = app->number,
                .before = "{\"file\":" + std::to_string(f->id) +
                          ",\"name\":" + audit_json::quote(f->name) + "}",
                .at = at});
  return *f;
}

std::vector<FileRecord> dossier_files(Transaction& tx, AuthorityId a, ApplicationId app) {
  return tx.files().files_of(a, app);
}

Result<FileContent> dossier_file(Transaction& tx, AuthorityId a, ApplicationId app,
                                 std::int64_t file_id) {
  auto f = tx.files().get_file(a, app, file_id);
  if (!f)
    return refuse("file.not_found", "file",
                  "Ce dossier n'a pas de fichier n° " + std::to_string(file_id) + ".");
  auto bytes = tx.files().content(a, f->sha256);
  if (!bytes) throw StoreError("a file's bytes are missing");
  return FileContent{*f, std::move(*bytes)};
}

}  // namespace octroi
