// Open data (issue 8): the essential data of subsidy agreements, as décret 2017-779 requires an
// authority to publish them, in the SCDL "subventions" 2.1.0 layout (one row per beneficiary).
// The rows are built here, every value already in the form the schema asks for (ISO dates,
// amounts with a decimal point, oui/non); the CSV file is an adapter's (adapters/opendata).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/ports.h"
#include "app/ports/applications.h"
#include "core/money.h"
#include "core/result.h"
#include "domain/authority.h"
#include "domain/committee/report.h"

namespace octroi {

// One row of the SCDL file, its 16 fields in the schema's order (adapters/opendata writes them).
struct ScdlRow {
  std::string nom_attribuant;           // the authority's name
  std::string id_attribuant;            // its SIRET (14 digits)
  std::string date_convention;          // YYYY-MM-DD
  std::string reference_decision;       // the deliberation: "CP 2023-040"
  std::string nom_beneficiaire;         //
  std::string id_beneficiaire;          // SIRET (14 digits) or ""
  std::string rna_beneficiaire;         // "W" + 9 digits or ""
  std::string objet;                    // at most 256 characters
  std::string montant;                  // the whole award, "78400.00"
  std::string nature;                   // "aide en numéraire"
  std::string conditions_versement;     // "unique" or "échelonné"
  std::string dates_periode_versement;  // "2023-03-01" or "2023-02-15/2023-06-30"
  std::string id_rae;                   // ""
  std::string notification_ue;          // "oui" or "non"
  std::string pourcentage_subvention;   // this beneficiary's share, "1.00", "0.45"
  std::string dispositif_aide;          // ""
  std::string dossier;                  // not published: the dossier the row comes from
};

struct ScdlOptions {
  // Awards of at most this amount are left out: the décret concerns agreements above 23 000 €.
  // Zero publishes every award.
  Money threshold = Money::from_euros(23000);
  // The agreements dated within these days (inclusive), when given.
  std::optional<Date> from, until;
};

// The options as typed, with the names of their fields (the web form says "seuil", "du",
// "au"; the CLI and the API "threshold", "from", "until").
struct ScdlOptionsInput {
  std::string threshold, from, until;  // "" for the default (23 000 €) and no period
  std::string threshold_field = "threshold", from_field = "from", until_field = "until";
};
// Refuses, naming the field: a threshold that is not an amount or is negative
// ("scdl.threshold"), a date that is not one.
Result<ScdlOptions> scdl_options(const ScdlOptionsInput& in);

// What was left out, and why (French), so that the person publishing knows.
struct ScdlSkipped {
  std::string dossier;
  std::string reason;
};

struct ScdlExport {
  std::vector<ScdlRow> rows;  // by date of agreement, then dossier number (scdl_export only)
  std::size_t row_count = 0;  // the rows published
  std::vector<ScdlSkipped> skipped;
  std::string file_name;  // "20230301_XXXXXXXXX_subventions.csv": the day of export, the SIREN
};

// The SCDL rows of the authority's awards (awarded, closed or lapsed dossiers):
// - dateConvention: the day the agreement was concluded (its second signature); an award without
//   an agreement (below the legal threshold, a letter suffices) is dated by its decision; an
//   agreement drafted but not signed by both parties is left out (skipped, with the reason).
// - one row per beneficiary: after a transfer, the transferor for what was paid to it before the
//   transfer and the transferee for the rest, their shares (pourcentageSubvention) in hundredths
//   adding up to 1.00 exactly (largest remainder); a share that rounds to 0 is left out.
// - conditionsVersement and datesPeriodeVersement from the payments made: one payment is
//   "unique" on its day; several are "échelonné" from the first to the last; none yet follows
//   the scheme's rules (an advance or interim payments allowed: "échelonné") over the period of
//   eligibility of the agreement (or of the award, three years).
// - notificationUE: "oui" for an award under an EU state-aid regulation (de minimis, SIEG, GBER),
//   else "non".
// Refuses an authority without a SIRET ("scdl.id_attribuant", field siret): the schema requires
// it. `today` names the file.
Result<ScdlExport> scdl_export(Transaction& tx, AuthorityId a, const ScdlOptions& options,
                               const Date& today);

// The same, each row handed to `on_row` as it is made, in the file's order, and not kept: a
// million awards are read 500 at a time by bulk queries, never held at once.
Result<ScdlExport> scdl_export_each(Transaction& tx, AuthorityId a, const ScdlOptions& options,
                                    const Date& today,
                                    const std::function<void(const ScdlRow&)>& on_row);

// Whether the authority may publish: "scdl.id_attribuant" without its SIRET (cheap: checked
// before an export job is promised).
Status scdl_publishable(Transaction& tx, AuthorityId a);

// Records a publication in the audit trail ("opendata.scdl_export": file, rows, options, SHA-256
// of the file's bytes).
void record_scdl_export(Transaction& tx, const Context& ctx, const ScdlExport& e,
                        const ScdlOptions& options, const std::string& sha256);

}  // namespace octroi
