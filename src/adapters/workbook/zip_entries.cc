#include "adapters/workbook/zip_entries.h"

#include <memory>
#include <vector>

#include <zip.h>

namespace octroi::workbook {

struct ZipEntries::Impl {
  zip_t* archive = nullptr;
  std::size_t budget = 0;
  std::string what;  // "classeur .xlsx", for the messages
  ~Impl() {
    if (archive) zip_discard(archive);
  }
};

Result<std::unique_ptr<ZipEntries>> ZipEntries::open(std::string_view bytes, std::size_t budget,
                                                     const std::string& what) {
  const Refusal unreadable =
      refuse("workbook.unreadable", "file",
             "Ce fichier n'est pas un " + what + " lisible (ce n'est pas une archive zip).");
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    zip_error_fini(&error);
    return unreadable;
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  zip_error_fini(&error);
  if (!archive) {
    zip_source_free(source);
    return unreadable;
  }
  std::unique_ptr<ZipEntries> out(new ZipEntries());
  out->impl_ = std::make_unique<Impl>();
  out->impl_->archive = archive;
  out->impl_->budget = budget;
  out->impl_->what = what;
  return out;
}

ZipEntries::~ZipEntries() = default;

Result<bool> ZipEntries::read_in_pieces(const std::string& name, const Piece& piece) {
  Impl& z = *impl_;
  const zip_int64_t index = zip_name_locate(z.archive, name.c_str(), 0);
  if (index < 0) return false;
  zip_file_t* file = zip_fopen_index(z.archive, static_cast<zip_uint64_t>(index), 0);
  if (!file)
    return refuse("workbook.unreadable", "file",
                  "Le " + z.what + " est endommagé : sa partie « " + name + " » ne se lit pas.");
  // Closed however the reading ends, `piece` throwing too.
  const std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closed(file, zip_fclose);
  std::vector<char> buffer(64 * 1024);
  bool damaged = false, too_large = false;
  std::optional<Refusal> refused;
  for (;;) {
    const zip_int64_t n = zip_fread(file, buffer.data(), buffer.size());
    if (n < 0) {
      damaged = true;
      break;
    }
    if (n == 0) break;
    if (static_cast<std::size_t>(n) > z.budget) {
      too_large = true;
      break;
    }
    z.budget -= static_cast<std::size_t>(n);
    refused = piece(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    if (refused) break;
  }
  if (refused) return *refused;
  if (too_large)
    return refuse("workbook.too_large", "file",
                  "Le " + z.what + " décompressé dépasse la taille admise : il n'est pas lu.");
  if (damaged)
    return refuse("workbook.unreadable", "file",
                  "Le " + z.what + " est endommagé : sa partie « " + name + " » ne se lit pas.");
  return true;
}

Result<std::optional<std::string>> ZipEntries::read(const std::string& name) {
  std::string out;
  auto found = read_in_pieces(name, [&](std::string_view p) -> std::optional<Refusal> {
    out.append(p);
    return std::nullopt;
  });
  if (!found.ok()) return found.refusal();
  if (!found.value()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(out));
}

}  // namespace octroi::workbook
