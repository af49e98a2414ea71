// From a flat OpenDocument text (.fodt) to the zipped package (.odt) that office suites exchange,
// and the structural check of a package. libzip is used by this adapter only (odt_package.cc).
//
// The package: "mimetype" first and stored (not compressed), then content.xml (the body and its
// automatic styles), styles.xml (styles, page layouts, master pages), meta.xml, settings.xml and
// META-INF/manifest.xml listing them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace octroi::documents {

inline constexpr std::string_view kOdtMimeType = "application/vnd.oasis.opendocument.text";

// The .odt bytes of a flat document ("document.xml" or "document.not_text" refusals).
Result<std::string> package_odt(std::string_view flat_xml);

// What a structural check of an .odt found wrong; empty when the package is sound: a readable
// zip, "mimetype" its first entry, stored, holding kOdtMimeType; a manifest; every XML entry
// well-formed; content.xml and styles.xml present.
std::vector<std::string> check_odt(std::string_view odt_bytes);

// A zip archive of `entries` (name, bytes), in order, each deflated but an entry named
// "mimetype" (stored), every entry dated 2023-01-01 so that the same entries give the same bytes.
// Also serves a session's documents downloaded together.
std::string zip_archive(const std::vector<std::pair<std::string, std::string>>& entries);

// One entry of a package, read back ("" if absent): for tests and tools.
std::string odt_entry(std::string_view odt_bytes, const std::string& name);

}  // namespace octroi::documents
