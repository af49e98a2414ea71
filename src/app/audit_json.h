// Canonical JSON of the business fields of each aggregate, for the audit trail's before/after.
// Keys in a fixed order, amounts as decimal strings, dates ISO: the same entity always gives
// the same bytes. Hand-written (no JSON library in the app layer): only strings, integers,
// booleans, nested objects and arrays of objects.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "app/context.h"
#include "app/ports.h"
#include "domain/application/application.h"
#include "domain/authority.h"
#include "domain/ids.h"
#include "domain/party/party.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi {

// What a use case appends to the audit trail: `action` happened to `entity` `key`, with the
// entity's canonical JSON before ("" if it did not exist) and after ("" if it was removed).
// Write it with designated initializers: record_audit(tx, ctx, {.action = "scheme.edit",
// .entity = "scheme", .key = s.number, .before = …, .after = …}).
struct AuditRecord {
  std::string action{};  // "application.create", "application.plan_edit", ...
  std::string entity{};  // "application"
  std::string key{};     // "EX070158"
  std::string before{};
  std::string after{};
  // When: the use case's own timestamp when it wrote other rows with it (an event, a ledger
  // entry), so that they agree; unset, the context's clock now.
  std::optional<Instant> at = std::nullopt;
};

// Appends one line to the audit trail, by the context's actor in the context's authority.
void record_audit(Transaction& tx, const Context& ctx, const AuditRecord& r);

}  // namespace octroi

namespace octroi::audit_json {

std::string quote(const std::string& s);  // a JSON string literal
std::string of(const Authority& a);
std::string of(const AidScheme& s);
std::string of(const Party& p);
std::string of(const Application& a);
// The business fields that differ between two states of one dossier (its number always
// included), as two canonical JSON objects: what the audit trail records for an update.
std::pair<std::string, std::string> changes(const Application& before, const Application& after);

}  // namespace octroi::audit_json
