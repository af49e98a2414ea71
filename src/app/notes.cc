// Private notes on a dossier: what instructors write for each other, kept with the dossier and
// in the audit trail, never in a published document.
#include "app/ports/notes.h"
#include "app/audit_json.h"
#include "app/ports/applications.h"
#include "app/ports/schemes.h"
#include "app/use_cases.h"
#include "domain/text.h"

namespace octroi {

Result<NoteRecord> add_note(Transaction& tx, const Context& ctx, const std::string& number,
                            const std::string& text_in) {
  if (auto p = text::check_required(text_in, "text", "La note", 10000, text::Lines::Many))
    return Refusal(*p);
  auto app = tx.applications().find_application(ctx.authority, number);
  if (!app)
    return refuse("application.unknown", "number",
                  "Aucun dossier n° « " + number + " » pour cette collectivité.");
  auto scheme = tx.schemes().get_scheme(ctx.authority, app->scheme);
  OCTROI_CHECK(scheme.has_value(), "a dossier's scheme exists (foreign key)");
  if (auto s = check_instructing_service(ctx, *scheme); !s.ok()) return s.refusal();
  NoteRecord n;
  n.application = app->id;
  n.author = ctx.actor;
  n.at = ctx.clock->now();
  n.text = text_in;
  n.id = tx.notes().insert_note(ctx.authority, n);
  record_audit(tx, ctx,
               {.action = "application.note",
                .entity = "application",
                .key = number,
                .after = "{\"note\":" + audit_json::quote(n.text) + "}",
                .at = n.at});
  return n;
}

Result<std::vector<NoteRecord>> notes_of_application(Transaction& tx, AuthorityId a,
                                                     const std::string& number) {
  auto app = tx.applications().find_application(a, number);
  if (!app)
    return refuse("application.unknown", "number",
                  "Aucun dossier n° « " + number + " » pour cette collectivité.");
  return tx.notes().notes_of(a, app->id);
}

}  // namespace octroi
