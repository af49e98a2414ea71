// Filling a flat OpenDocument text template (.fodt: one XML file, diffable in git, that
// LibreOffice opens and saves) with a DocRecord. pugixml is used by this adapter only.
//
// The template's language, typed in LibreOffice as ordinary text:
//   {{name}}                    a text field; a dotted name is a plain key ("dossier.numero").
//                               Looked up in the innermost record first, then the enclosing ones.
//   {{#name}} … {{/name}}       each alone in its paragraph: the content between them is repeated
//                               for each record of the list `name` (each becomes the innermost
//                               record), or kept once if the flag `name` is true, dropped if false.
//   {{^name}} … {{/name}}       the opposite: kept once if the flag is false or the list empty.
// When both markers of a section stand in the cells of one table row, the row is what repeats
// (the lines of a financing plan); when they stand in two rows of a table, those rows and the
// ones between. LibreOffice splits a placeholder across text spans when someone edits part of it
// (a bold letter, a spelling mark): the placeholders are joined again before filling.
//
// Refusals (codes "document.*", field "template", French messages naming the template and the
// field): a field or section the data does not have, a section over a text field, a section
// left open or closed twice, a template that is not well-formed XML or not a text document,
// one whose elements nest deeper than kMaxTemplateDepth or whose sections nest deeper than
// kMaxSectionDepth ("document.too_deep": the reader walks without recursion, and refuses such
// a document by name rather than spend its memory on it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "app/document_data.h"
#include "core/result.h"

namespace octroi::documents {

// Element nesting a template may have (LibreOffice's own documents stay under 30).
inline constexpr int kMaxTemplateDepth = 256;
// Sections inside sections ({{#a}} … {{#b}} … {{/b}} … {{/a}}).
inline constexpr std::size_t kMaxSectionDepth = 32;

// Checks a template without data: well-formed, a text document, sections that open and close in
// order. The refusals are fill_flat_odt's.
Status check_flat_odt(std::string_view template_xml, const std::string& template_name);

// The filled flat document, as XML text.
Result<std::string> fill_flat_odt(std::string_view template_xml, const DocRecord& data,
                                  const std::string& template_name);

}  // namespace octroi::documents
