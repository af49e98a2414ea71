#include "adapters/documents/fodt.h"

#include <pugixml.hpp>

#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

namespace octroi::documents {
namespace {

// A refusal on the way out of the recursion (caught once, in fill_flat_odt).
struct Refused {
  Problem problem;
};

[[noreturn]] void fail(const std::string& code, const std::string& message) {
  throw Refused{{code, "template", message}};
}

bool is_paragraph(const pugi::xml_node& n) {
  const std::string_view name = n.name();
  return name == "text:p" || name == "text:h";
}

// Elements whose text belongs to another paragraph or to no paragraph at all.
bool is_own_text_container(const pugi::xml_node& n) {
  const std::string_view name = n.name();
  return name == "text:p" || name == "text:h" || name == "text:note" ||
         name == "office:annotation" || name == "draw:frame";
}

// Visits the descendants of `root` in document order, without recursion (a template may nest
// deeply: the stack must not follow it); `visit(node, depth)` (1 for a child of `root`) returns
// whether to go into the node's children.
template <class Visit>
void walk(const pugi::xml_node& root, Visit&& visit) {
  pugi::xml_node n = root.first_child();
  int depth = 1;
  while (n) {
    if (visit(n, depth) && n.first_child()) {
      n = n.first_child();
      ++depth;
      continue;
    }
    while (n != root && !n.next_sibling()) {
      n = n.parent();
      --depth;
    }
    if (n == root) return;
    n = n.next_sibling();
  }
}

// A value as XML 1.0 may hold it (issue 16, finding 2): whatever still reaches a document that
// XML forbids — a C0 control but tab, line feed and carriage return (a NUL would cut the text
// short), U+FFFE, U+FFFF — becomes U+FFFD, the replacement character, rather than a document
// LibreOffice refuses to open.
std::string xml_text(const std::string& value) {
  static const std::string kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += kReplacement;
    } else if (c == 0xEF && i + 2 < value.size() && value[i + 1] == '\xBF' &&
               (value[i + 2] == '\xBE' || value[i + 2] == '\xBF')) {
      out += kReplacement;
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool is_text(const pugi::xml_node& n) {
  return n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata;
}

// The text nodes of a paragraph, in order (inside its spans and links).
void text_nodes(const pugi::xml_node& n, std::vector<pugi::xml_node>& out) {
  walk(n, [&](const pugi::xml_node& c, int) {
    if (is_text(c)) out.push_back(c);
    return c.type() == pugi::node_element && !is_own_text_container(c);
  });
}

std::string paragraph_text(const pugi::xml_node& p) {
  std::vector<pugi::xml_node> nodes;
  text_nodes(p, nodes);
  std::string out;
  for (const auto& n : nodes)
    out += n.value();
  return out;
}

// LibreOffice splits "{{dossier.numero}}" into spans when part of it is edited: gives each
// placeholder back to the text node where it starts.
void join_placeholders(const pugi::xml_node& p) {
  for (int guard = 0; guard < 10000; ++guard) {
    std::vector<pugi::xml_node> nodes;
    text_nodes(p, nodes);
    std::string all;
    std::vector<std::size_t> start;  // offset of each node in `all`
    for (const auto& n : nodes) {
      start.push_back(all.size());
      all += n.value();
    }
    auto node_at = [&](std::size_t offset) {
      std::size_t i = 0;
      while (i + 1 < nodes.size() && start[i + 1] <= offset)
        ++i;
      return i;
    };
    bool joined = false;
    for (std::size_t at = all.find("{{"); at != std::string::npos; at = all.find("{{", at + 2)) {
      const std::size_t end = all.find("}}", at + 2);
      if (end == std::string::npos) break;
      const std::size_t first = node_at(at), last = node_at(end + 1);
      if (first == last) continue;
      const std::string placeholder = all.substr(at, end + 2 - at);
      const std::string head(nodes[first].value());
      nodes[first].set_value((head.substr(0, at - start[first]) + placeholder).c_str());
      for (std::size_t i = first + 1; i < last; ++i)
        nodes[i].set_value("");
      const std::string tail(nodes[last].value());
      nodes[last].set_value(tail.substr(end + 2 - start[last]).c_str());
      joined = true;
      break;  // offsets changed: look again
    }
    if (!joined) return;
  }
}

struct Marker {
  char kind;  // '#', '^', '/'
  std::string name;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::optional<Marker> marker_of(const pugi::xml_node& p) {
  const std::string t = trim(paragraph_text(p));
  if (t.size() < 6 || t.compare(0, 2, "{{") != 0 || t.compare(t.size() - 2, 2, "}}") != 0)
    return std::nullopt;
  const char kind = t[2];
  if (kind != '#' && kind != '^' && kind != '/') return std::nullopt;
  const std::string name = trim(t.substr(3, t.size() - 5));
  if (name.empty() || name.find_first_of("{}") != std::string::npos) return std::nullopt;
  return Marker{kind, name};
}

using Scopes = std::vector<const DocRecord*>;

class Filler {
 public:
  explicit Filler(std::string name) : template_name_(std::move(name)) {}

  // Fills the paragraphs under `roots` (siblings, in order) and expands their sections.
  void render(const std::vector<pugi::xml_node>& roots, const Scopes& scopes) {
    // Every section nests a render (lists, flags and inverted sections alike): bounded.
    struct Depth {
      std::size_t& d;
      explicit Depth(std::size_t& depth) : d(++depth) {}
      ~Depth() { --d; }
    } depth(depth_);
    if (depth_ > kMaxSectionDepth + 1)  // the document itself, then one per section
      fail("document.too_deep", "Le modèle « " + template_name_ + " » imbrique plus de " +
                                    std::to_string(kMaxSectionDepth) + " sections.");
    std::vector<pugi::xml_node> paragraphs;
    for (const auto& root : roots)
      collect_paragraphs(root, paragraphs);
    struct Open {
      Marker marker;
      pugi::xml_node paragraph;
    };
    struct Block {
      Marker marker;
      pugi::xml_node open, close;
    };
    std::vector<Open> stack;
    std::vector<Block> blocks;
    for (const auto& p : paragraphs) {
      join_placeholders(p);
      const auto m = marker_of(p);
      if (m && m->kind != '/') {
        stack.push_back({*m, p});
      } else if (m) {
        if (stack.empty())
          fail("document.template", "Le modèle « " + template_name_ + " » ferme la section « " +
                                        m->name + " » sans l'avoir ouverte.");
        if (stack.back().marker.name != m->name)
          fail("document.template", "Le modèle « " + template_name_ + " » ferme la section « " +
                                        m->name + " » alors que « " + stack.back().marker.name +
                                        " » est ouverte.");
        if (stack.size() == 1) blocks.push_back({stack.back().marker, stack.back().paragraph, p});
        stack.pop_back();
      } else if (stack.empty()) {
        fill_fields(p, scopes);
      }
    }
    if (!stack.empty())
      fail("document.template", "Le modèle « " + template_name_ + " » ouvre la section « " +
                                    stack.back().marker.name + " » sans la fermer.");
    for (const auto& b : blocks)
      expand(b.marker, b.open, b.close, scopes);
  }

  // Fills the text fields of one element outside the body, with no sections: the document's
  // title in office:meta ("{{etat}}": "Projet de délibération", then "Délibération").
  void fill_element(const pugi::xml_node& n, const Scopes& scopes) {
    if (n) fill_fields(n, scopes);
  }

 private:
  std::string template_name_;
  std::size_t depth_ = 0;  // renders in progress (render calls itself for each section)

  static void collect_paragraphs(const pugi::xml_node& n, std::vector<pugi::xml_node>& out) {
    if (n.type() != pugi::node_element) return;
    if (is_paragraph(n)) {
      out.push_back(n);
      return;  // a paragraph's notes and frames are filled with it
    }
    walk(n, [&](const pugi::xml_node& c, int) {
      if (c.type() != pugi::node_element) return false;
      if (!is_paragraph(c)) return true;
      out.push_back(c);
      return false;
    });
  }

  // The innermost record that has `name`, whatever its kind.
  struct Found {
    const std::string* text = nullptr;
    const bool* flag = nullptr;
    const std::vector<DocRecord>* list = nullptr;
  };
  static Found find(const Scopes& scopes, const std::string& name) {
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      const DocRecord& r = **it;
      if (auto t = r.text.find(name); t != r.text.end()) return {&t->second, nullptr, nullptr};
      if (auto f = r.flags.find(name); f != r.flags.end()) return {nullptr, &f->second, nullptr};
      if (auto l = r.lists.find(name); l != r.lists.end()) return {nullptr, nullptr, &l->second};
    }
    return {};
  }

  void fill_fields(const pugi::xml_node& p, const Scopes& scopes) {
    std::vector<pugi::xml_node> nodes;
    text_nodes(p, nodes);
    for (auto& node : nodes) {
      const std::string value(node.value());
      if (value.find("{{") == std::string::npos) continue;
      // The node becomes text pieces and line breaks (a value's "\n").
      std::vector<std::string> pieces{""};
      std::size_t at = 0;
      while (at < value.size()) {
        const std::size_t open = value.find("{{", at);
        const std::size_t close = open == std::string::npos ? open : value.find("}}", open + 2);
        if (open == std::string::npos || close == std::string::npos) {
          pieces.back() += value.substr(at);
          break;
        }
        pieces.back() += value.substr(at, open - at);
        const std::string name = trim(value.substr(open + 2, close - open - 2));
        const Found f = find(scopes, name);
        if (!f.text) {
          if (f.flag || f.list)
            fail("document.mismatch", "Le modèle « " + template_name_ + " » imprime « " + name +
                                          " » comme un texte, mais c'est une section des "
                                          "données : {{#" +
                                          name + "}} … {{/" + name + "}}.");
          fail("document.missing_field", "Le modèle « " + template_name_ +
                                             " » demande le champ « " + name +
                                             " », que les données n'ont pas.");
        }
        const std::string text = xml_text(*f.text);
        std::size_t line = 0;
        for (std::size_t nl; (nl = text.find('\n', line)) != std::string::npos; line = nl + 1) {
          pieces.back() += text.substr(line, nl - line);
          pieces.emplace_back();
        }
        pieces.back() += text.substr(line);
        at = close + 2;
      }
      pugi::xml_node parent = node.parent();
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (i > 0) parent.insert_child_before("text:line-break", node);
        if (!pieces[i].empty())
          parent.insert_child_before(pugi::node_pcdata, node).set_value(pieces[i].c_str());
      }
      parent.remove_child(node);
    }
  }

  static std::vector<pugi::xml_node> ancestors_or_self(pugi::xml_node n) {
    std::vector<pugi::xml_node> out;
    for (; n; n = n.parent())
      out.push_back(n);
    return out;  // from n up to the document
  }

  void expand(const Marker& m, pugi::xml_node open, pugi::xml_node close, const Scopes& scopes) {
    // The units that repeat: the rows of a table when the markers stand in its cells, else the
    // nodes between the markers (which go), or the siblings holding them (whose markers go).
    const auto up_open = ancestors_or_self(open), up_close = ancestors_or_self(close);
    pugi::xml_node lca;
    for (const auto& a : up_open)
      if (std::find(up_close.begin(), up_close.end(), a) != up_close.end()) {
        lca = a;
        break;
      }
    for (pugi::xml_node n = lca; n; n = n.parent())
      if (std::string_view(n.name()) == "table:table-row") {
        lca = n.parent();
        break;
      }
    auto child_of_lca = [&](const std::vector<pugi::xml_node>& up) {
      for (std::size_t i = 0; i + 1 < up.size(); ++i)
        if (up[i + 1] == lca) return up[i];
      return pugi::xml_node();
    };
    const pugi::xml_node first = child_of_lca(up_open), last = child_of_lca(up_close);
    const bool between = first == open && last == close;
    std::vector<pugi::xml_node> units;
    for (pugi::xml_node n = between ? open.next_sibling() : first; n && n != close;
         n = n.next_sibling()) {
      units.push_back(n);
      if (!between && n == last) break;
    }
    if (!between) {  // marks the markers, to find them in the copies
      open.append_attribute("octroi-marker") = "1";
      close.append_attribute("octroi-marker") = "1";
    }

    std::vector<const DocRecord*> items;  // nullptr: the section, once, in the same scope
    const Found f = find(scopes, m.name);
    if (f.text)
      fail("document.mismatch", "Le modèle « " + template_name_ + " » fait une section de « " +
                                    m.name + " », qui est un texte dans les données : {{" + m.name +
                                    "}}.");
    if (!f.flag && !f.list)
      fail("document.missing_field", "Le modèle « " + template_name_ + " » demande la section « " +
                                         m.name + " », que les données n'ont pas.");
    if (m.kind == '#') {
      if (f.flag && *f.flag) items.push_back(nullptr);
      if (f.list)
        for (const auto& r : *f.list)
          items.push_back(&r);
    } else if ((f.flag && !*f.flag) || (f.list && f.list->empty())) {
      items.push_back(nullptr);
    }

    pugi::xml_node parent = lca;
    const pugi::xml_node anchor = between ? open : first;
    for (const DocRecord* item : items) {
      Scopes inner = scopes;
      if (item) inner.push_back(item);
      std::vector<pugi::xml_node> copies;
      for (const auto& u : units) {
        pugi::xml_node copy = parent.insert_copy_before(u, anchor);
        if (!between && copy.attribute("octroi-marker")) {  // the marker paragraph itself
          parent.remove_child(copy);
          continue;
        }
        if (!between) remove_markers(copy);
        copies.push_back(copy);
      }
      render(copies, inner);
    }
    for (const auto& u : units)
      parent.remove_child(u);
    if (between) {
      parent.remove_child(open);
      parent.remove_child(close);
    }
  }

  static void remove_markers(pugi::xml_node n) {
    std::vector<pugi::xml_node> marked;
    for (const pugi::xpath_node& c : n.select_nodes(".//*[@octroi-marker]"))
      marked.push_back(c.node());
    for (auto& c : marked)
      c.parent().remove_child(c);
  }
};

// Loads a flat ODT text document: refuses what is not well-formed XML, not a text document or
// has no body. Returns the body.
Result<pugi::xml_node> load_flat_odt(pugi::xml_document& doc, std::string_view template_xml,
                                     const std::string& template_name) {
  const auto parsed = doc.load_buffer(template_xml.data(), template_xml.size(),
                                      pugi::parse_default | pugi::parse_ws_pcdata);
  if (!parsed)
    return refuse("document.xml", "template",
                  "Le modèle « " + template_name + " » n'est pas un XML bien formé (" +
                      parsed.description() + ", octet " + std::to_string(parsed.offset) + ").");
  int deepest = 0;
  walk(doc, [&](const pugi::xml_node& n, int depth) {
    if (n.type() == pugi::node_element) deepest = std::max(deepest, depth);
    return depth <= kMaxTemplateDepth;
  });
  if (deepest > kMaxTemplateDepth)
    return refuse("document.too_deep", "template",
                  "Le modèle « " + template_name + " » imbrique ses éléments sur plus de " +
                      std::to_string(kMaxTemplateDepth) +
                      " niveaux : un document de traitement de texte n'en a jamais autant.");
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "office:document" ||
      std::string_view(root.attribute("office:mimetype").value()) !=
          "application/vnd.oasis.opendocument.text")
    return refuse("document.not_text", "template",
                  "Le modèle « " + template_name +
                      " » n'est pas un document texte OpenDocument à plat (.fodt).");
  const pugi::xml_node body = root.child("office:body").child("office:text");
  if (!body)
    return refuse("document.not_text", "template",
                  "Le modèle « " + template_name + " » n'a pas de corps de texte (office:text).");
  return body;
}

}  // namespace

namespace {

// French typography on the filled text, whatever the template or the data typed: a no-break space
// (U+00A0) inside guillemets and before a colon, a narrow one (U+202F) before ; ! and ?, instead
// of the ordinary space (or none, inside guillemets) someone typed.
std::string french_spacing(const std::string& in) {
  static constexpr const char* kNbsp = "\xC2\xA0";
  static constexpr const char* kNarrow = "\xE2\x80\xAF";
  std::string out;
  out.reserve(in.size() + 8);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == ' ' && i + 1 < in.size() &&
        (in[i + 1] == ':' || in[i + 1] == ';' || in[i + 1] == '!' || in[i + 1] == '?')) {
      out += in[i + 1] == ':' ? kNbsp : kNarrow;
      continue;
    }
    if (c == ' ' && in.compare(i + 1, 2, "\xC2\xBB") == 0) {  // " »"
      out += kNbsp;
      continue;
    }
    const auto ends_spaced = [&] {
      return out.size() >= 2 && (out.compare(out.size() - 2, 2, kNbsp) == 0 ||
                                 (out.size() >= 3 && out.compare(out.size() - 3, 3, kNarrow) == 0));
    };
    if (in.compare(i, 2, "\xC2\xAB") == 0) {  // "«"
      out += "\xC2\xAB";
      ++i;
      if (i + 1 < in.size() && in[i + 1] == ' ') ++i;
      if (in.compare(i + 1, 2, kNbsp) != 0 && in.compare(i + 1, 3, kNarrow) != 0) out += kNbsp;
      continue;
    }
    if (in.compare(i, 2, "\xC2\xBB") == 0) {  // "»"
      if (!ends_spaced()) out += kNbsp;
      out += "\xC2\xBB";
      ++i;
      continue;
    }
    out += c;
  }
  return out;
}

void french_spacing(pugi::xml_node n) {
  walk(n, [](pugi::xml_node c, int) {
    if (is_text(c)) {
      const std::string v = c.value();
      if (v.find_first_of(":;!?\xC2") != std::string::npos) c.set_value(french_spacing(v).c_str());
    }
    return c.type() == pugi::node_element;
  });
}

}  // namespace

Status check_flat_odt(std::string_view template_xml, const std::string& template_name) {
  pugi::xml_document doc;
  auto body = load_flat_odt(doc, template_xml, template_name);
  if (!body.ok()) return body.refusal();
  // The markers of every paragraph, in document order, must nest.
  std::vector<pugi::xml_node> paragraphs;
  for (const pugi::xpath_node& n :
       doc.document_element().select_nodes(".//*[local-name()='p' or local-name()='h']"))
    if (is_paragraph(n.node())) paragraphs.push_back(n.node());
  std::vector<std::string> open;
  for (const auto& p : paragraphs) {
    join_placeholders(p);
    const auto m = marker_of(p);
    if (!m) continue;
    if (m->kind != '/') {
      open.push_back(m->name);
      if (open.size() > kMaxSectionDepth)
        return refuse("document.too_deep", "template",
                      "Le modèle « " + template_name + " » imbrique plus de " +
                          std::to_string(kMaxSectionDepth) + " sections.");
      continue;
    }
    if (open.empty())
      return refuse("document.template", "template",
                    "Le modèle « " + template_name + " » ferme la section « " + m->name +
                        " » sans l'avoir ouverte.");
    if (open.back() != m->name)
      return refuse("document.template", "template",
                    "Le modèle « " + template_name + " » ferme la section « " + m->name +
                        " » alors que « " + open.back() + " » est ouverte.");
    open.pop_back();
  }
  if (!open.empty())
    return refuse("document.template", "template",
                  "Le modèle « " + template_name + " » ouvre la section « " + open.back() +
                      " » sans la fermer.");
  return done();
}

Result<std::string> fill_flat_odt(std::string_view template_xml, const DocRecord& data,
                                  const std::string& template_name) {
  pugi::xml_document doc;
  auto loaded = load_flat_odt(doc, template_xml, template_name);
  if (!loaded.ok()) return loaded.refusal();
  const pugi::xml_node root = doc.document_element();
  const pugi::xml_node body = loaded.value();
  try {
    Filler filler(template_name);
    filler.render({root.child("office:master-styles")}, {&data});  // headers and footers
    filler.render({body}, {&data});
    filler.fill_element(root.child("office:meta").child("dc:title"), {&data});
  } catch (const Refused& r) {
    return Refusal(r.problem);
  }
  french_spacing(root.child("office:master-styles"));
  french_spacing(body);
  // The template's own text may hold what XML forbids too (pugixml reads "&#11;" or a raw
  // control character leniently): nothing of it reaches the file LibreOffice opens.
  walk(doc, [](pugi::xml_node n, int) {
    if (is_text(n)) {
      const std::string v = n.value();
      if (const std::string safe = xml_text(v); safe != v) n.set_value(safe.c_str());
    }
    for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
      const std::string v = a.value();
      if (const std::string safe = xml_text(v); safe != v) a.set_value(safe.c_str());
    }
    return true;
  });
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

}  // namespace octroi::documents
