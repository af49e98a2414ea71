// ODT to PDF through LibreOffice headless (Debian's libreoffice-writer-nogui): the only place
// octroi runs another program. One run converts a whole batch (a session's documents: starting
// LibreOffice costs far more than converting a page), in a private profile made for the run and
// removed after it (two runs never share a profile, so they never wait on each other's lock), and
// is killed if it outlives its timeout. At most two runs at once in a process: each takes a core
// and a few hundred MiB.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/document_batch.h"
#include "core/result.h"

namespace octroi::documents {

struct ConversionOptions {
  std::string soffice = "/usr/bin/soffice";
  int timeout_seconds = 180;
};

// The PDFs of `inputs` (paths of .odt files), written to `out_dir` under the inputs' names with
// ".pdf"; or a refusal "document.conversion" saying what LibreOffice did (missing program,
// timeout, exit status, a PDF it did not write).
Result<std::vector<std::string>> convert_to_pdf(const std::vector<std::string>& inputs,
                                                const std::string& out_dir,
                                                const ConversionOptions& options = {});

// One LibreOffice run converting `inputs` with `filter` ("pdf:writer_pdf_Export"), the outputs
// named after the inputs with `extension` (".pdf"). The private profile, the timeout and the
// bound on concurrent runs are convert_to_pdf's.
Result<std::vector<std::string>> convert_with_libreoffice(const std::vector<std::string>& inputs,
                                                          const std::string& out_dir,
                                                          const std::string& filter,
                                                          const std::string& extension,
                                                          const ConversionOptions& options = {});

// The DocumentConverter of a document batch (app/document_batch.h): the .odt written to a
// temporary directory of their own, converted there by convert_to_pdf (one run, bounded), the
// PDFs read back and the directory removed; zip_archive for the archive.
class PdfConverter final : public DocumentConverter {
 public:
  explicit PdfConverter(ConversionOptions options = {}) : options_(std::move(options)) {}
  Result<std::vector<DocumentFile>> to_pdf(const std::vector<DocumentFile>& odt) override;
  std::string zip(const std::vector<DocumentFile>& files) override;

 private:
  ConversionOptions options_;
};

}  // namespace octroi::documents
