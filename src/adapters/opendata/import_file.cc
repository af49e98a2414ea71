#include "adapters/opendata/import_file.h"

#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "adapters/documents/pdf_converter.h"
#include "adapters/opendata/table_reader.h"

namespace octroi::opendata {

bool is_spreadsheet_name(const std::string& name) {
  std::string ext = std::filesystem::path(name).extension().string();
  for (auto& ch : ext)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext == ".xlsx" || ext == ".xls" || ext == ".ods";
}

Result<ImportTable> read_import_file(const std::string& bytes, const std::string& name) {
  namespace fs = std::filesystem;
  const std::string base = fs::path(name).filename().string();
  if (!is_spreadsheet_name(base)) return read_table(bytes, base);
  std::string dir = (fs::temp_directory_path() / "octroi-import-XXXXXX").string();
  if (!mkdtemp(dir.data()))
    return refuse("document.conversion", "file", "Impossible de créer un dossier temporaire.");
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  // Saved under a name of ours (the uploaded one may hold anything), with its extension: the
  // converter picks its filter by it.
  const std::string input = dir + "/import" + fs::path(base).extension().string();
  {
    std::ofstream out(input, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out)
      return refuse("document.conversion", "file", "Impossible d'écrire le fichier temporaire.");
  }
  auto csv = documents::convert_sheet_to_csv(input, dir);
  if (!csv.ok()) return csv.refusal();
  std::ifstream converted(csv.value(), std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(converted)), {});
  return read_table(text, base);
}

}  // namespace octroi::opendata
