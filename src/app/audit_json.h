// Canonical JSON of the business fields of each aggregate, for the audit trail's before/after.
// Keys in a fixed order, amounts as decimal strings, dates ISO: the same entity always gives
// the same bytes. Hand-written (no JSON library in the app layer): only strings, integers,
// booleans, nested objects and arrays of objects.
#pragma once

#include <string>
#include <utility>

#include "app/ports.h"
#include "domain/application/application.h"
#include "domain/authority.h"
#include "domain/ids.h"
#include "domain/party/party.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi {

// Appends one line to the audit trail: `what` happened to `entity` `key`, with the entity's
// canonical JSON before ("" if it did not exist) and after.
void record_audit(Transaction& tx, AuthorityId authority, const std::string& at,
                  const std::string& actor, const std::string& what, const std::string& entity,
                  const std::string& key, const std::string& before, const std::string& after);

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
