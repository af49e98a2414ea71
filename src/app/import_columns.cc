#include "app/import_columns.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace octroi {
namespace {

using C = ImportColumn;

// Every name, as header_key writes it. Sources: SCDL 2.x field names and titles (the schema of
// schema.data.gouv.fr/scdl/subventions, schemas/scdl/subventions-2.1.0.json), SCDL 1.x names,
// and names met in home-made files of French authorities.
const std::map<std::string, ImportColumn>& names() {
  static const std::map<std::string, ImportColumn> m = {
      // SCDL 2.x
      {"nomattribuant", C::Grantor},
      {"idattribuant", C::GrantorId},
      {"dateconvention", C::Date},
      {"referencedecision", C::Reference},
      {"nombeneficiaire", C::Beneficiary},
      {"idbeneficiaire", C::BeneficiaryId},
      {"rnabeneficiaire", C::Rna},
      {"objet", C::Object},
      {"montant", C::Amount},
      {"nature", C::Nature},
      {"conditionsversement", C::Terms},
      {"datesperiodeversement", C::Period},
      {"idrae", C::Kept},
      {"notificationue", C::Notification},
      {"pourcentagesubvention", C::Share},
      {"dispositifaide", C::Kept},
      // SCDL 2.x titles
      {"nomdelattribuant", C::Grantor},
      {"identificationdelattribuant", C::GrantorId},
      {"datedelaconventiondesubvention", C::Date},
      {"referencedeladecision", C::Reference},
      {"nomdubeneficiaire", C::Beneficiary},
      {"identificationsiretdubeneficiaire", C::BeneficiaryId},
      {"identificationrnadubeneficiaire", C::Rna},
      {"objetdelasubvention", C::Object},
      {"montanttotaldelasubvention", C::Amount},
      {"naturedelasubvention", C::Nature},
      {"conditionsdeversementdelasubvention", C::Terms},
      {"dateouperiodedeversement", C::Period},
      {"identifiantraedelaideautitredelaquellelasubventionestattribuee", C::Kept},
      {"aidedetatnotifieealacommissioneuropeenne", C::Notification},
      {"pourcentagedumontanttotaldelasubventionattribueeaubeneficiaire", C::Share},
      {"identifiantreferencantledispositifdaidealoriginedelasubvention", C::Kept},
      // SCDL 1.x
      {"collnom", C::Grantor},
      {"collsiret", C::GrantorId},
      {"colltype", C::Kept},
      {"actedate", C::Date},
      {"acteref", C::Reference},
      {"attribnom", C::Beneficiary},
      {"attribsiret", C::BeneficiaryId},
      {"attribrna", C::Rna},
      {"attribtype", C::Kept},
      {"subobjet", C::Object},
      {"subobj", C::Object},
      {"submontant", C::Amount},
      {"subnature", C::Nature},
      {"subversement", C::Terms},
      {"subdatedebut", C::PeriodStart},
      {"subdatefin", C::PeriodEnd},
      {"subdispositif", C::Kept},
      {"ident", C::Kept},
      {"notifeu", C::Notification},
      {"notifue", C::Notification},
      // Home-made files
      {"attribuant", C::Grantor},
      {"collectivite", C::Grantor},
      {"financeur", C::Grantor},
      {"beneficiaire", C::Beneficiary},
      {"nomdelorganisme", C::Beneficiary},
      {"organisme", C::Beneficiary},
      {"raisonsociale", C::Beneficiary},
      {"tiers", C::Beneficiary},
      {"siret", C::BeneficiaryId},
      {"siretbeneficiaire", C::BeneficiaryId},
      {"siretdubeneficiaire", C::BeneficiaryId},
      {"numerosiret", C::BeneficiaryId},
      {"siren", C::BeneficiarySiren},
      {"sirenbeneficiaire", C::BeneficiarySiren},
      {"sirendubeneficiaire", C::BeneficiarySiren},
      {"rna", C::Rna},
      {"numerorna", C::Rna},
      {"date", C::Date},
      {"datedecision", C::Date},
      {"datedeladecision", C::Date},
      {"datedevote", C::Date},
      {"datevote", C::Date},
      {"datedattribution", C::Date},
      {"dateattribution", C::Date},
      {"datedeliberation", C::Date},
      {"datedeladeliberation", C::Date},
      {"reference", C::Reference},
      {"deliberation", C::Reference},
      {"numerodeliberation", C::Reference},
      {"referencedeliberation", C::Reference},
      {"intitule", C::Object},
      {"libelle", C::Object},
      {"objetdelademande", C::Object},
      {"projet", C::Object},
      {"montanten", C::Amount},
      {"montantattribue", C::Amount},
      {"montantaccorde", C::Amount},
      {"montantvote", C::Amount},
      {"montantdelasubvention", C::Amount},
      {"montantsubvention", C::Amount},
      {"montanteuros", C::Amount},
      {"naturedelaide", C::Nature},
      {"typedaide", C::Nature},
  };
  return m;
}

// The ASCII letter of a Latin-1 letter written as two UTF-8 bytes C3 xx (à..ÿ, À..Þ), 0 for
// others.
char folded(unsigned char second) {
  static const char* table =
      // C3 80..BF: À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
      //            à á â ã ä å æ ç è é ê ë ì í î ï ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
      "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
      "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
  if (second < 0x80 || second > 0xBF) return 0;
  return table[second - 0x80];
}

}  // namespace

std::string header_key(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto c = static_cast<unsigned char>(h[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    } else if (c == 0xC3 && i + 1 < h.size()) {
      const char f = folded(static_cast<unsigned char>(h[++i]));
      if (f) out += f;
    } else if (c == 0xC5 && i + 1 < h.size() &&
               (static_cast<unsigned char>(h[i + 1]) == 0x93 ||
                static_cast<unsigned char>(h[i + 1]) == 0x92)) {  // œ, Œ
      out += "oe";
      ++i;
    }
    // Any other character (punctuation, €, spaces of every kind) is left out.
  }
  return out;
}

std::optional<ImportColumn> column_named(std::string_view header) {
  const auto it = names().find(header_key(header));
  if (it == names().end()) return std::nullopt;
  return it->second;
}

std::size_t find_header_row(const std::vector<std::vector<std::string>>& rows) {
  std::size_t best = 0;
  int best_known = 0;
  for (std::size_t r = 0; r < rows.size() && r < kHeaderSearchRows; ++r) {
    int known = 0, essential = 0;
    for (const auto& cell : rows[r]) {
      const auto c = column_named(cell);
      if (!c) continue;
      ++known;
      if (*c == C::Beneficiary || *c == C::Amount || *c == C::Date) ++essential;
    }
    if (essential >= 2 && known > best_known) {
      best = r;
      best_known = known;
    }
  }
  return best;
}

}  // namespace octroi
