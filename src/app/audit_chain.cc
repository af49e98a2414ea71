#include "app/audit_chain.h"

namespace octroi {
namespace {

void field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
}

}  // namespace

std::string audit_chain_material(const AuditEntry& e, const std::string& prev_hash) {
  std::string out = "octroi-audit-v1|";
  field(out, std::to_string(e.authority.value));
  field(out, std::to_string(e.authority_seq));
  field(out, e.at.iso());
  field(out, e.actor);
  field(out, e.action);
  field(out, e.entity);
  field(out, e.entity_key);
  field(out, e.before);
  field(out, e.after);
  field(out, prev_hash);
  return out;
}

std::vector<AuditProblem> verify_audit_chain(const std::vector<AuditEntry>& entries,
                                             Hasher& hasher) {
  std::vector<AuditProblem> problems;
  std::string prev;
  std::int64_t expected_seq = 1;
  for (const auto& e : entries) {
    if (e.authority_seq != expected_seq)
      problems.push_back({e.authority_seq, "numéro attendu " + std::to_string(expected_seq) +
                                               " : une ou plusieurs entrées ont disparu"});
    if (e.prev_hash != prev)
      problems.push_back({e.authority_seq, "le chaînage ne correspond pas à l'entrée précédente"});
    if (hasher.sha256_hex(audit_chain_material(e, e.prev_hash)) != e.hash)
      problems.push_back({e.authority_seq, "le contenu de l'entrée a été modifié"});
    prev = e.hash;
    expected_seq = e.authority_seq + 1;
  }
  return problems;
}

}  // namespace octroi
