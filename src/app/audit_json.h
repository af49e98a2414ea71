// Canonical JSON of the business fields of each aggregate, for the audit trail's before/after.
// Keys in a fixed order, amounts as decimal strings, dates ISO: the same entity always gives
// the same bytes. Hand-written (no JSON library in the app layer): only strings, integers,
// booleans, nested objects and arrays of objects.
#pragma once

#include <string>

#include "domain/application/application.h"
#include "domain/authority.h"
#include "domain/party/party.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi::audit_json {

std::string quote(const std::string& s);  // a JSON string literal
std::string of(const Authority& a);
std::string of(const AidScheme& s);
std::string of(const Party& p);
std::string of(const Application& a);

}  // namespace octroi::audit_json
