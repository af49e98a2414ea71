// The SCDL "subventions" rows of an authority's awards (app/open_data.h).
#include "app/open_data.h"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

#include "app/audit_json.h"
#include "app/ports/authorities.h"
#include "app/ports/awards.h"
#include "app/ports/schemes.h"
#include "app/use_cases.h"
#include "core/shares.h"
#include "domain/stateaid/de_minimis.h"
#include "domain/text.h"

namespace octroi {
namespace {

bool digits(const std::string& s, std::size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// At most 256 code points (the schema's maxLength), cut on a code point.
std::string at_most_256(const std::string& s) {
  if (text::length(s) <= 256) return s;
  std::size_t points = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == 255) break;
      ++points;
    }
  }
  return s.substr(0, i) + "…";
}

// "1.00", "0.45": hundredths of one.
std::string share(std::int64_t hundredths) {
  const std::string cents = (hundredths % 100 < 10 ? "0" : "") + std::to_string(hundredths % 100);
  return std::to_string(hundredths / 100) + "." + cents;
}

}  // namespace

Result<ScdlOptions> scdl_options(const ScdlOptionsInput& in) {
  ScdlOptions out;
  std::vector<Problem> problems;
  if (!in.threshold.empty()) {
    auto m = Money::parse(in.threshold, in.threshold_field);
    if (!m.ok())
      problems.insert(problems.end(), m.refusal().problems.begin(), m.refusal().problems.end());
    else if (m->is_negative())
      problems.push_back(
          {"scdl.threshold", in.threshold_field, "Le seuil ne peut pas être négatif."});
    else
      out.threshold = m.value();
  }
  for (auto [text, field, target] : {std::tuple{&in.from, &in.from_field, &out.from},
                                     std::tuple{&in.until, &in.until_field, &out.until}}) {
    if (text->empty()) continue;
    auto d = Date::parse(*text, *field);
    if (d.ok())
      *target = d.value();
    else
      problems.insert(problems.end(), d.refusal().problems.begin(), d.refusal().problems.end());
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  return out;
}

Status scdl_publishable(Transaction& tx, AuthorityId a) {
  std::optional<Authority> authority;
  for (auto& au : tx.authorities().list_authorities())
    if (au.id == a) authority = au;
  OCTROI_CHECK(authority.has_value(), "the authority exists");
  if (!digits(authority->siret, 14))
    return refuse("scdl.id_attribuant", "siret",
                  "La collectivité « " + authority->name +
                      " » n'a pas de SIRET : le format SCDL l'exige (idAttribuant). Renseignez-le "
                      "avant de publier.");
  return done();
}

Result<ScdlExport> scdl_export_each(Transaction& tx, AuthorityId a, const ScdlOptions& options,
                                    const Date& today,
                                    const std::function<void(const ScdlRow&)>& on_row) {
  if (auto publishable = scdl_publishable(tx, a); !publishable.ok()) return publishable.refusal();
  std::optional<Authority> authority;
  for (auto& au : tx.authorities().list_authorities())
    if (au.id == a) authority = au;
  OCTROI_CHECK(authority.has_value(), "the authority exists");

  ScdlExport out;
  out.file_name = today.iso().substr(0, 4) + today.iso().substr(5, 2) + today.iso().substr(8, 2) +
                  "_" + authority->siret.substr(0, 9) + "_subventions.csv";
  std::map<std::int64_t, PaymentRules> rules_of;  // by scheme: a handful
  const auto rules = [&](SchemeId s) -> const PaymentRules& {
    auto it = rules_of.find(s.value);
    if (it == rules_of.end()) {
      const auto scheme = tx.schemes().get_scheme(a, s);
      OCTROI_CHECK(scheme.has_value(), "an award's scheme exists");
      it = rules_of.emplace(s.value, scheme->payment_rules).first;
    }
    return it->second;
  };
  ScdlRow row;  // see emit
  const auto emit = [&](const PublishedAward& aw) {
    const Award& award = aw.award;
    if (award.amount <= options.threshold) return;  // not skipped: below what is published
    Date dated = award.date;
    if (aw.has_agreement) {
      if (!aw.signed_by_beneficiary_on || !aw.signed_by_authority_on) {
        out.skipped.push_back(
            {aw.number, "convention établie mais pas encore signée par les deux parties"});
        return;
      }
      dated = std::max(*aw.signed_by_beneficiary_on, *aw.signed_by_authority_on);
    }
    if ((options.from && dated < *options.from) || (options.until && *options.until < dated))
      return;

    // One row object for the whole export, its fields assigned in place: their memory is kept
    // from one award to the next (no allocation per field and per row).
    ScdlRow& base = row;
    base.nom_attribuant = authority->name;
    base.id_attribuant = authority->siret;
    base.date_convention = dated.iso();
    base.reference_decision = award.deliberation;
    base.objet = at_most_256(aw.title);
    base.montant = award.amount.to_decimal_string();
    base.nature = "aide en numéraire";
    base.notification_ue = aw.regime == AidRegime::None ? "non" : "oui";
    base.dossier = aw.number;

    // Payments: unique or staggered, and when.
    std::vector<Date> paid_on;
    for (const auto& [on, amount] : aw.payments)
      if (amount.is_positive()) paid_on.push_back(on);
    std::sort(paid_on.begin(), paid_on.end());
    if (paid_on.size() == 1) {
      base.conditions_versement = "unique";
      base.dates_periode_versement = paid_on.front().iso();
    } else if (paid_on.size() > 1) {
      base.conditions_versement = "échelonné";
      base.dates_periode_versement = paid_on.front().iso() + "/" + paid_on.back().iso();
    } else {
      const PaymentRules& r = rules(aw.scheme);
      base.conditions_versement = r.advance_max || r.interim_max ? "échelonné" : "unique";
      const Date start = aw.has_agreement ? aw.eligibility_start : award.date;
      const Date end = aw.has_agreement ? aw.eligibility_end : award.date.add_years(3);
      base.dates_periode_versement = start.iso() + "/" + end.iso();
    }

    // Beneficiaries: what each received or will receive, in hundredths of the award.
    std::vector<std::pair<const PublishedParty*, Money>> parts;
    Money before_transfer;
    for (std::size_t i = 0; i < aw.beneficiaries.size(); ++i) {
      const auto& b = aw.beneficiaries[i];
      const bool last = i + 1 == aw.beneficiaries.size();
      Money received;
      if (last) {
        received = award.amount - before_transfer;
      } else {
        const Date until = aw.beneficiaries[i + 1].since;
        for (const auto& [on, amount] : aw.payments)
          if (on >= b.since && on < until) received = received + amount;
        before_transfer = before_transfer + received;
      }
      if (received.is_positive()) parts.push_back({&b.party, received});
    }
    if (parts.empty()) parts.push_back({&aw.party, award.amount});
    std::vector<std::int64_t> weights;
    for (const auto& [party, money] : parts)
      weights.push_back(money.cents());
    const auto hundredths = split_largest_remainder(Money::from_cents(100), weights);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (hundredths[i].is_zero()) {
        out.skipped.push_back({aw.number, "part de " + parts[i].first->legal_name +
                                              " inférieure à 0,5 % : ligne omise"});
        continue;
      }
      const PublishedParty& p = *parts[i].first;
      row.nom_beneficiaire = p.legal_name;
      row.id_beneficiaire = digits(p.siret, 14) ? p.siret : "";
      row.rna_beneficiaire = p.rna;
      row.pourcentage_subvention = share(hundredths[i].cents());
      ++out.row_count;
      on_row(row);
    }
  };
  // Every award, whatever their number, in the order of the file (by date, then dossier), a
  // batch at a time: only a batch is held at once.
  tx.awards().for_each_published_award(a, [&](const std::vector<PublishedAward>& batch) {
    for (const PublishedAward& w : batch)
      emit(w);
  });
  return out;
}

Result<ScdlExport> scdl_export(Transaction& tx, AuthorityId a, const ScdlOptions& options,
                               const Date& today) {
  std::vector<ScdlRow> rows;
  auto e =
      scdl_export_each(tx, a, options, today, [&](const ScdlRow& row) { rows.push_back(row); });
  if (e.ok()) e->rows = std::move(rows);
  return e;
}

void record_scdl_export(Transaction& tx, const Context& ctx, const ScdlExport& e,
                        const ScdlOptions& options, const std::string& sha256) {
  record_audit(
      tx, ctx,
      {.action = "opendata.scdl_export",
       .entity = "publication",
       .key = e.file_name,
       .after = "{\"file\":" + audit_json::quote(e.file_name) +
                ",\"rows\":" + std::to_string(e.row_count) +
                ",\"threshold\":" + audit_json::quote(options.threshold.to_decimal_string()) +
                ",\"from\":" + (options.from ? audit_json::quote(options.from->iso()) : "null") +
                ",\"until\":" + (options.until ? audit_json::quote(options.until->iso()) : "null") +
                ",\"sha256\":" + audit_json::quote(sha256) + "}"});
}

}  // namespace octroi
