// What was imported: awards from subsidy files, dossiers from legacy deliberations.
// Part of the Transaction port (app/ports.h): reached as tx.imports(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/instant.h"
#include "core/money.h"
#include "domain/ids.h"
#include "domain/stateaid/de_minimis.h"

namespace octroi {

// An award imported from a subsidy file (imported_awards): granted by another authority (or by
// this one before octroi) to a party. Append-only; import_key makes a re-import add nothing.
struct ImportedAwardRecord {
  std::int64_t id = 0;
  PartyId party;
  // The beneficiary as the line names it: its name and its establishment's SIRET ("" when the
  // line gives none, and for the awards imported before these were kept).
  std::string beneficiary_name, beneficiary_siret;
  std::string import_key;         // SHA-256 (hex) of the line's meaning
  std::string grantor;            // nomAttribuant
  std::string grantor_id;         // its SIRET or SIREN as read, "" if none or damaged
  Date granted_on;                // dateConvention
  std::string reference;          // referenceDecision
  std::string object;             // objet
  Money amount;                   // montant: the whole award
  std::int64_t share_bp = 10000;  // pourcentageSubvention in basis points
  Money part;                     // this party's part: amount × share, rounded half up
  std::string nature, payment_terms, payment_period;
  AidRegime regime = AidRegime::None;
  // The line's other columns, as a JSON object {"header": "value"} of its cells that are not
  // empty, in the file's order ("{}" when none): what octroi does not read is kept.
  std::string other_fields = "{}";
  std::string source;  // the file's name
  int source_line = 0;
  Instant imported_at;
  std::string imported_by;
};

class ImportsPort {
 public:
  virtual ~ImportsPort() = default;

  virtual bool imported_award_exists(AuthorityId a, const std::string& import_key) = 0;
  // The award stored under `import_key`, if any.
  virtual std::optional<ImportedAwardRecord> find_imported_award(AuthorityId a,
                                                                 const std::string& import_key) = 0;
  virtual std::int64_t insert_imported_award(AuthorityId a, const ImportedAwardRecord& r) = 0;
  // Whether some awards were imported before their beneficiary's name was kept (migration
  // 0014): only those may be stored under an older octroi's key.
  virtual bool has_awards_without_beneficiary_name(AuthorityId a) = 0;
  // Whether the authority has imported any award.
  virtual bool has_imported_awards(AuthorityId a) = 0;
  // A party's imported awards, newest first (at most 10 000).
  virtual std::vector<ImportedAwardRecord> imported_awards_of(AuthorityId a, PartyId p) = 0;
  // A dossier read back from a legacy deliberation's text: its source, line, printed amount.
  virtual void insert_imported_application(AuthorityId a, ApplicationId id,
                                           const std::string& source, int line,
                                           Money printed_amount, Instant at,
                                           const std::string& actor) = 0;
};

}  // namespace octroi
