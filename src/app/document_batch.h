// A batch of official documents, the one use case behind the CLI's `document` commands, the
// back office's downloads and the API's: generate every document in the caller's write
// transaction (each filled and recorded in the audit trail by generate_document), then, once the
// caller committed, deliver the files in the format asked (the .odt as generated, their PDFs
// converted in one bounded run, or both in one zip archive). The conversion and the archive are
// a port's (DocumentConverter), implemented by adapters/documents (LibreOffice, libzip).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/documents.h"
#include "app/ports.h"
#include "core/result.h"

namespace octroi {

// A file of a batch: its name with its extension ("annexe-1-EX070162.odt") and its bytes.
struct DocumentFile {
  std::string name;
  std::string bytes;
};

// Converts and packages the files of a batch after the commit; implemented by
// adapters/documents (documents::PdfConverter).
class DocumentConverter {
 public:
  virtual ~DocumentConverter() = default;
  // The PDF of each .odt of `odt`, in the same order and named as it with ".pdf", converted in
  // one run bounded in time; or the refusal "document.conversion" saying what went wrong.
  virtual Result<std::vector<DocumentFile>> to_pdf(const std::vector<DocumentFile>& odt) = 0;
  // The zip archive of `files`, in order, the same files giving the same bytes.
  virtual std::string zip(const std::vector<DocumentFile>& files) = 0;
};

// Called after each document of a batch is generated: how many are done (1-based), out of how
// many, and the document (its template version in `used`).
using DocumentProgress =
    std::function<void(std::size_t done, std::size_t total, const GeneratedDocument&)>;

// Generates `requests` in order in the caller's write transaction (generate_document: data,
// template, filling, "document.generate" in the audit trail). All or nothing: the first refusal
// is returned, and the caller's transaction must then be rolled back (run_write does).
Result<std::vector<GeneratedDocument>> generate_documents(
    Transaction& tx, const Context& ctx, DocumentEngine& engine, Hasher& hasher,
    const std::vector<DocumentRequest>& requests, const DocumentProgress& progress = {});

// The documents of report `report` named in `only` (file names without extension, in the order
// given), or all of them, in the order of the session's file, when `only` is empty. Refuses a
// name the report has no document for ("document.unknown_file", field only, listing its
// documents), and what report_documents refuses.
Result<std::vector<DocumentRequest>> choose_report_documents(Transaction& tx, AuthorityId a,
                                                             const std::string& report,
                                                             const std::vector<std::string>& only);

// What to deliver of a generated batch.
enum class DocumentFormat {
  Odt,  // each document as generated: NAME.odt
  Pdf,  // each document's PDF, all converted in one run: NAME.pdf
  Zip,  // one archive ZIP_NAME.zip holding, per document, NAME.pdf then NAME.odt
};

// The files of `made` in `format`, after the caller committed the batch (a conversion is slow
// and may fail: it never holds the transaction open, and its failure does not undo the audited
// generation). `zip_name` names the archive, without ".zip" (Zip only). Refuses what the
// converter refuses.
Result<std::vector<DocumentFile>> deliver_documents(const std::vector<GeneratedDocument>& made,
                                                    DocumentFormat format,
                                                    DocumentConverter& converter,
                                                    const std::string& zip_name = "documents");

}  // namespace octroi
