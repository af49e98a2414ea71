// The document batch use case (app/document_batch.h), on the store under test: a report's
// documents generated in one transaction, in order, each audited; a refused document leaves
// nothing (neither the others' audit entries); a report's documents chosen by file name; and the
// files delivered after the commit as .odt, as PDF (one conversion for the whole batch) or as one
// zip, through a converter that stands in for LibreOffice.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/documents/render.h"
#include "app/document_batch.h"
#include "app/ports/audit.h"
#include "app/use_cases.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::Context;
using octroi::DocumentFile;
using octroi::DocumentFormat;
using octroi::DocumentKind;
using octroi::DocumentRequest;
using octroi::GeneratedDocument;
using octroi::Refusal;
using octroi::Result;
using octroi::Transaction;

// Converts NAME.odt into NAME.pdf holding "pdf:" and the .odt's bytes, counting its runs; the
// archive lists its entries' names.
class FakeConverter : public octroi::DocumentConverter {
 public:
  Result<std::vector<DocumentFile>> to_pdf(const std::vector<DocumentFile>& odt) override {
    ++runs;
    if (refusal) return *refusal;
    std::vector<DocumentFile> out;
    for (const auto& f : odt)
      out.push_back({f.name.substr(0, f.name.size() - 4) + ".pdf", "pdf:" + f.bytes});
    return out;
  }
  std::string zip(const std::vector<DocumentFile>& files) override {
    std::string out;
    for (const auto& f : files)
      out += f.name + ";";
    return out;
  }

  int runs = 0;
  std::optional<Refusal> refusal;
};

class DocumentBatchTest : public DemoDatabaseTest {
 protected:
  std::size_t generated_in_audit() {
    auto entries = octroi::run_read(*store_, [&](Transaction& tx) {
      return Result<std::vector<octroi::AuditEntry>>(tx.audit().list_audit(idf_, 10000));
    });
    std::size_t n = 0;
    for (const auto& e : entries.value())
      n += e.action == "document.generate";
    return n;
  }

  std::vector<DocumentRequest> report_requests(const std::vector<std::string>& only = {}) {
    auto r = octroi::run_read(*store_, [&](Transaction& tx) {
      return octroi::choose_report_documents(tx, idf_, "CP 2023-040", only);
    });
    EXPECT_TRUE(r.ok()) << r.refusal().describe();
    return r.ok() ? r.value() : std::vector<DocumentRequest>{};
  }

  octroi::documents::FodtEngine engine_;
};

TEST_F(DocumentBatchTest, GeneratesAReportsDocumentsInOrderEachAudited) {
  const auto wanted = report_requests();
  ASSERT_GE(wanted.size(), 3u);
  const std::size_t before = generated_in_audit();
  std::vector<std::size_t> done;
  auto made = write([&](Transaction& tx, const Context& ctx) {
    return octroi::generate_documents(
        tx, ctx, engine_, store_->hasher(), wanted,
        [&](std::size_t n, std::size_t total, const GeneratedDocument& g) {
          EXPECT_EQ(total, wanted.size());
          EXPECT_EQ(g.request.file, wanted[n - 1].file);
          done.push_back(n);
        });
  });
  ASSERT_TRUE(made.ok()) << made.refusal().describe();
  ASSERT_EQ(made->size(), wanted.size());
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    EXPECT_EQ((*made)[i].request.file, wanted[i].file);
    EXPECT_FALSE((*made)[i].odt.empty());
    EXPECT_EQ(done[i], i + 1);
  }
  EXPECT_EQ(generated_in_audit(), before + wanted.size());
}

TEST_F(DocumentBatchTest, ARefusedDocumentLeavesNothing) {
  auto wanted = report_requests({"rapport", "deliberation"});
  wanted.push_back({DocumentKind::Agreement, "", "EX999999", ""});
  const std::size_t before = generated_in_audit();
  auto made = write([&](Transaction& tx, const Context& ctx) {
    return octroi::generate_documents(tx, ctx, engine_, store_->hasher(), wanted);
  });
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.refusal().first().code, "application.unknown");
  EXPECT_EQ(generated_in_audit(), before);
}

TEST_F(DocumentBatchTest, ChoosesAReportsDocumentsByFileName) {
  const auto chosen = report_requests({"deliberation", "rapport"});
  ASSERT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen[0].kind, DocumentKind::Deliberation);
  EXPECT_EQ(chosen[1].kind, DocumentKind::Report);

  auto unknown = octroi::run_read(*store_, [&](Transaction& tx) {
    return octroi::choose_report_documents(tx, idf_, "CP 2023-040", {"rapport", "annexe-9"});
  });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.refusal().first().code, "document.unknown_file");
  EXPECT_EQ(unknown.refusal().first().field, "only");
  EXPECT_NE(unknown.refusal().first().message.find("« annexe-9 » : ses documents sont rapport, "
                                                   "deliberation"),
            std::string::npos)
      << unknown.refusal().first().message;
}

TEST_F(DocumentBatchTest, DeliversOdtPdfOrOneZip) {
  const auto wanted = report_requests({"rapport", "deliberation"});
  auto made = write([&](Transaction& tx, const Context& ctx) {
    return octroi::generate_documents(tx, ctx, engine_, store_->hasher(), wanted);
  });
  ASSERT_TRUE(made.ok()) << made.refusal().describe();
  FakeConverter converter;

  auto odt = octroi::deliver_documents(made.value(), DocumentFormat::Odt, converter);
  ASSERT_TRUE(odt.ok());
  ASSERT_EQ(odt->size(), 2u);
  EXPECT_EQ((*odt)[0].name, "rapport.odt");
  EXPECT_EQ((*odt)[0].bytes, (*made)[0].odt);
  EXPECT_EQ((*odt)[1].name, "deliberation.odt");
  EXPECT_EQ(converter.runs, 0);

  auto pdf = octroi::deliver_documents(made.value(), DocumentFormat::Pdf, converter);
  ASSERT_TRUE(pdf.ok());
  ASSERT_EQ(pdf->size(), 2u);
  EXPECT_EQ((*pdf)[1].name, "deliberation.pdf");
  EXPECT_EQ((*pdf)[1].bytes, "pdf:" + (*made)[1].odt);
  EXPECT_EQ(converter.runs, 1);  // the whole batch in one conversion

  auto zip = octroi::deliver_documents(made.value(), DocumentFormat::Zip, converter,
                                       "documents-CP-2023-040");
  ASSERT_TRUE(zip.ok());
  ASSERT_EQ(zip->size(), 1u);
  EXPECT_EQ(zip->front().name, "documents-CP-2023-040.zip");
  EXPECT_EQ(zip->front().bytes, "rapport.pdf;rapport.odt;deliberation.pdf;deliberation.odt;");

  converter.refusal = octroi::refuse("document.conversion", "soffice", "LibreOffice a échoué.");
  auto refused = octroi::deliver_documents(made.value(), DocumentFormat::Zip, converter);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "document.conversion");
}

}  // namespace
}  // namespace octroi_test
