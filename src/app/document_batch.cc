#include "app/document_batch.h"

#include <algorithm>
#include <utility>

namespace octroi {

Result<std::vector<GeneratedDocument>> generate_documents(
    Transaction& tx, const Context& ctx, DocumentEngine& engine, Hasher& hasher,
    const std::vector<DocumentRequest>& requests, const DocumentProgress& progress) {
  std::vector<GeneratedDocument> out;
  out.reserve(requests.size());
  for (const auto& r : requests) {
    auto g = generate_document(tx, ctx, engine, hasher, r);
    if (!g.ok()) return g.refusal();
    out.push_back(std::move(g).value());
    if (progress) progress(out.size(), requests.size(), out.back());
  }
  return out;
}

Result<std::vector<DocumentRequest>> choose_report_documents(Transaction& tx, AuthorityId a,
                                                             const std::string& report,
                                                             const std::vector<std::string>& only) {
  auto all = report_documents(tx, a, report);
  if (!all.ok() || only.empty()) return all;
  std::vector<DocumentRequest> chosen;
  for (const auto& name : only) {
    const auto it = std::find_if(all->begin(), all->end(),
                                 [&](const DocumentRequest& r) { return r.file == name; });
    if (it == all->end()) {
      std::string names;
      for (const auto& r : all.value())
        names += (names.empty() ? "" : ", ") + r.file;
      return refuse("document.unknown_file", "only",
                    "Le rapport " + report + " n'a pas de document « " + name +
                        " » : ses documents sont " + names + ".");
    }
    chosen.push_back(*it);
  }
  return chosen;
}

Result<std::vector<DocumentFile>> deliver_documents(const std::vector<GeneratedDocument>& made,
                                                    DocumentFormat format,
                                                    DocumentConverter& converter,
                                                    const std::string& zip_name) {
  std::vector<DocumentFile> odt;
  odt.reserve(made.size());
  for (const auto& g : made)
    odt.push_back({g.request.file + ".odt", g.odt});
  if (format == DocumentFormat::Odt) return odt;
  auto pdf = converter.to_pdf(odt);
  if (!pdf.ok()) return pdf.refusal();
  if (format == DocumentFormat::Pdf) return pdf;
  std::vector<DocumentFile> entries;
  entries.reserve(2 * odt.size());
  for (std::size_t i = 0; i < odt.size(); ++i) {
    entries.push_back(std::move((*pdf)[i]));
    entries.push_back(std::move(odt[i]));
  }
  return std::vector<DocumentFile>{{zip_name + ".zip", converter.zip(entries)}};
}

}  // namespace octroi
