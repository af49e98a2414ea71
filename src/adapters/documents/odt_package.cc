#include "adapters/documents/odt_package.h"

#include <zip.h>

#include <pugixml.hpp>

#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace octroi::documents {
namespace {

// Every entry gets this modification time, so that the same document gives the same bytes.
constexpr time_t kFixedTime = 1672531200;  // 2023-01-01T00:00:00Z

std::string xml_text(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  return out.str();
}

// A new document whose root `name` carries the namespaces and version of the flat document's.
pugi::xml_node new_root(pugi::xml_document& doc, const pugi::xml_node& flat_root,
                        const char* name) {
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child(name);
  for (const auto& a : flat_root.attributes())
    if (std::string_view(a.name()) != "office:mimetype")
      root.append_attribute(a.name()) = a.value();
  return root;
}

void copy_child(pugi::xml_node to, const pugi::xml_node& from, const char* name) {
  if (const auto c = from.child(name)) to.append_copy(c);
}

struct ZipCloser {
  void operator()(zip_t* z) const {
    if (z) zip_discard(z);
  }
};

}  // namespace

std::string zip_archive(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) throw std::runtime_error("libzip: cannot create a buffer");
  zip_source_keep(buffer);  // read back after zip_close
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open_from_source(buffer, ZIP_TRUNCATE, &error));
  if (!archive) {
    zip_source_free(buffer);
    throw std::runtime_error("libzip: cannot open an archive in memory");
  }
  for (const auto& [name, bytes] : entries) {
    zip_source_t* s = zip_source_buffer(archive.get(), bytes.data(), bytes.size(), 0);
    const zip_int64_t index =
        s ? zip_file_add(archive.get(), name.c_str(), s, ZIP_FL_ENC_UTF_8) : -1;
    if (index < 0) {
      if (s) zip_source_free(s);
      zip_source_free(buffer);
      throw std::runtime_error("libzip: cannot add " + name);
    }
    const auto i = static_cast<zip_uint64_t>(index);
    zip_set_file_compression(archive.get(), i, name == "mimetype" ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                             0);
    zip_file_set_mtime(archive.get(), i, kFixedTime, 0);
  }
  if (zip_close(archive.get()) != 0) {
    zip_source_free(buffer);
    throw std::runtime_error("libzip: cannot write the archive");
  }
  static_cast<void>(archive.release());  // closed: nothing to discard

  std::string out;
  if (zip_source_open(buffer) == 0) {
    zip_source_seek(buffer, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    out.resize(static_cast<std::size_t>(size > 0 ? size : 0));
    const zip_int64_t read = zip_source_read(buffer, out.data(), out.size());
    zip_source_close(buffer);
    if (read != size) out.clear();
  }
  zip_source_free(buffer);
  if (out.empty()) throw std::runtime_error("libzip: cannot read the archive back");
  return out;
}

Result<std::string> package_odt(std::string_view flat_xml) {
  pugi::xml_document flat;
  const auto parsed = flat.load_buffer(flat_xml.data(), flat_xml.size(),
                                       pugi::parse_default | pugi::parse_ws_pcdata);
  if (!parsed)
    return refuse(
        "document.xml", "document",
        std::string("Le document n'est pas un XML bien formé (") + parsed.description() + ").");
  const pugi::xml_node root = flat.document_element();
  if (std::string_view(root.name()) != "office:document" ||
      std::string_view(root.attribute("office:mimetype").value()) != kOdtMimeType)
    return refuse("document.not_text", "document",
                  "Le document n'est pas un texte OpenDocument à plat (.fodt).");
  const std::string version = root.attribute("office:version").as_string("1.3");

  pugi::xml_document content, styles, meta, settings, manifest;
  {
    pugi::xml_node r = new_root(content, root, "office:document-content");
    copy_child(r, root, "office:scripts");
    copy_child(r, root, "office:font-face-decls");
    if (const auto automatic = root.child("office:automatic-styles")) {
      pugi::xml_node copy = r.append_copy(automatic);
      // Page layouts serve the master pages: they belong to styles.xml.
      for (pugi::xml_node c = copy.first_child(); c;) {
        const pugi::xml_node next = c.next_sibling();
        if (std::string_view(c.name()) == "style:page-layout") copy.remove_child(c);
        c = next;
      }
    }
    copy_child(r, root, "office:body");
  }
  {
    pugi::xml_node r = new_root(styles, root, "office:document-styles");
    copy_child(r, root, "office:font-face-decls");
    copy_child(r, root, "office:styles");
    // The automatic styles of the headers and footers, and the page layouts (styles.xml and
    // content.xml each have their own automatic styles: the same names may stand in both).
    copy_child(r, root, "office:automatic-styles");
    copy_child(r, root, "office:master-styles");
  }
  {
    pugi::xml_node r = new_root(meta, root, "office:document-meta");
    if (const auto m = root.child("office:meta"))
      r.append_copy(m);
    else
      r.append_child("office:meta");
  }
  const bool has_settings = root.child("office:settings");
  if (has_settings) {
    pugi::xml_node r = new_root(settings, root, "office:document-settings");
    copy_child(r, root, "office:settings");
  }
  {
    auto decl = manifest.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    pugi::xml_node m = manifest.append_child("manifest:manifest");
    m.append_attribute("xmlns:manifest") = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";
    m.append_attribute("manifest:version") = version.c_str();
    auto entry = [&](const char* path, const char* type) {
      pugi::xml_node e = m.append_child("manifest:file-entry");
      e.append_attribute("manifest:full-path") = path;
      if (std::string_view(path) == "/") e.append_attribute("manifest:version") = version.c_str();
      e.append_attribute("manifest:media-type") = type;
    };
    entry("/", std::string(kOdtMimeType).c_str());
    entry("content.xml", "text/xml");
    entry("styles.xml", "text/xml");
    entry("meta.xml", "text/xml");
    if (has_settings) entry("settings.xml", "text/xml");
  }

  // The entries' bytes must outlive zip_close.
  std::vector<std::pair<std::string, std::string>> entries = {
      {"mimetype", std::string(kOdtMimeType)},
      {"content.xml", xml_text(content)},
      {"styles.xml", xml_text(styles)},
      {"meta.xml", xml_text(meta)}};
  if (has_settings) entries.emplace_back("settings.xml", xml_text(settings));
  entries.emplace_back("META-INF/manifest.xml", xml_text(manifest));

  return zip_archive(entries);
}

namespace {

struct Reader {
  std::unique_ptr<zip_t, ZipCloser> archive;
  explicit Reader(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* s = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (!s) return;
    archive.reset(zip_open_from_source(s, ZIP_RDONLY, &error));
    if (!archive) zip_source_free(s);
  }
  std::optional<std::string> read(zip_uint64_t index) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive.get(), index, 0, &st) != 0) return std::nullopt;
    zip_file_t* f = zip_fopen_index(archive.get(), index, 0);
    if (!f) return std::nullopt;
    std::string out(static_cast<std::size_t>(st.size), '\0');
    const zip_int64_t n = zip_fread(f, out.data(), out.size());
    zip_fclose(f);
    if (n != static_cast<zip_int64_t>(out.size())) return std::nullopt;
    return out;
  }
};

}  // namespace

std::string odt_entry(std::string_view odt_bytes, const std::string& name) {
  Reader r(odt_bytes);
  if (!r.archive) return "";
  const zip_int64_t i = zip_name_locate(r.archive.get(), name.c_str(), 0);
  if (i < 0) return "";
  return r.read(static_cast<zip_uint64_t>(i)).value_or("");
}

std::vector<std::string> check_odt(std::string_view odt_bytes) {
  std::vector<std::string> problems;
  Reader r(odt_bytes);
  if (!r.archive) return {"not a readable zip archive"};
  const zip_int64_t n = zip_get_num_entries(r.archive.get(), 0);
  if (n < 1) return {"empty archive"};
  const char* first = zip_get_name(r.archive.get(), 0, 0);
  if (!first || std::string_view(first) != "mimetype") problems.push_back("mimetype is not first");
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(r.archive.get(), 0, 0, &st) == 0 && st.comp_method != ZIP_CM_STORE)
    problems.push_back("mimetype is compressed");
  if (r.read(0).value_or("") != kOdtMimeType)
    problems.push_back("mimetype is not " + std::string(kOdtMimeType));
  bool manifest = false, content = false, styles = false;
  for (zip_int64_t i = 0; i < n; ++i) {
    const std::string name = zip_get_name(r.archive.get(), static_cast<zip_uint64_t>(i), 0);
    manifest = manifest || name == "META-INF/manifest.xml";
    content = content || name == "content.xml";
    styles = styles || name == "styles.xml";
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".xml") != 0) continue;
    const auto bytes = r.read(static_cast<zip_uint64_t>(i));
    pugi::xml_document doc;
    if (!bytes || !doc.load_buffer(bytes->data(), bytes->size()))
      problems.push_back(name + " is not well-formed XML");
  }
  if (!manifest) problems.push_back("META-INF/manifest.xml is missing");
  if (!content) problems.push_back("content.xml is missing");
  if (!styles) problems.push_back("styles.xml is missing");
  return problems;
}

}  // namespace octroi::documents
