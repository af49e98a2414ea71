// The dashboard's SVG charts (web/charts.h): integer widths proportional to the values, escaping,
// UTF-8 truncation, unique ids, the text alternative, clamped stacked segments, and well-formed
// XML (parsed with pugixml).
#include "adapters/http/web/charts.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace octroi::http::pages {
namespace {

constexpr std::int64_t W = kChartTrackWidth;

// The document, after asserting that the text is well-formed XML with an <svg> root.
void parse(const std::string& svg, pugi::xml_document& doc) {
  const pugi::xml_parse_result r = doc.load_string(svg.c_str());
  ASSERT_TRUE(r) << r.description() << " at " << r.offset << " in " << svg;
  ASSERT_STREQ(doc.document_element().name(), "svg");
}

std::vector<std::int64_t> widths_of(const pugi::xml_document& doc, const std::string& fill) {
  std::vector<std::int64_t> out;
  for (const pugi::xpath_node& n : doc.select_nodes(("//rect[@fill='" + fill + "']").c_str())) {
    out.push_back(n.node().attribute("width").as_llong(-1));
  }
  return out;
}

std::string desc_of(const pugi::xml_document& doc) {
  return doc.document_element().child("desc").text().get();
}

// Well-formed UTF-8: each lead byte followed by as many continuation bytes as it announces.
bool valid_utf8(const std::string& s) {
  std::string::size_type i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::string::size_type n = 0;
    if (c < 0x80) {
      n = 1;
    } else if ((c & 0xE0) == 0xC0) {
      n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4;
    }
    if (n == 0 || i + n > s.size()) return false;
    for (std::string::size_type k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

std::string repeated(const std::string& s, int times) {
  std::string out;
  for (int i = 0; i < times; ++i)
    out += s;
  return out;
}

// What every chart must hold to: no inline style, no script, integer geometry only.
void expect_safe_and_integral(const std::string& svg) {
  EXPECT_EQ(svg.find("style"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("<script"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("<?xml"), std::string::npos) << svg;
  pugi::xml_document doc;
  parse(svg, doc);
  for (const char* name : {"x", "y", "width", "height"}) {
    for (const pugi::xpath_node& n :
         doc.select_nodes((std::string("//*[@") + name + "]").c_str())) {
      const std::string v = n.node().attribute(name).value();
      if (v == "100%") continue;
      EXPECT_EQ(v.find_first_not_of("0123456789"), std::string::npos) << name << "=" << v;
    }
  }
}

TEST(Charts, WidthsAreIntegerAndProportionalTheLargestTakingTheFullWidth) {
  const std::string svg =
      bar_chart_svg("Dossiers par état",
                    {{"déposé", 1, "1", ""}, {"instruit", 2, "2", ""}, {"voté", 4, "4", ""}});
  expect_safe_and_integral(svg);
  pugi::xml_document doc;
  parse(svg, doc);
  EXPECT_EQ(widths_of(doc, "#0b4aa2"), (std::vector<std::int64_t>{W / 4, W / 2, W}));
  const pugi::xml_node root = doc.document_element();
  EXPECT_STREQ(root.attribute("role").value(), "img");
  EXPECT_STREQ(root.attribute("width").value(), "100%");
  EXPECT_TRUE(root.attribute("height").empty());
  EXPECT_EQ(std::string(root.attribute("viewBox").value()).rfind("0 0 600 ", 0), 0u);
  // Each label on its own line above its bar, the value after the bar's end.
  const pugi::xpath_node_set texts = doc.select_nodes("//text");
  ASSERT_EQ(texts.size(), 6u);
  EXPECT_STREQ(texts[0].node().text().get(), "déposé");
  EXPECT_STREQ(texts[1].node().text().get(), "1");
  EXPECT_LT(texts[0].node().attribute("y").as_llong(), texts[1].node().attribute("y").as_llong());
  EXPECT_EQ(texts[5].node().attribute("x").as_llong(), kChartMargin + W + 6);
}

TEST(Charts, FloorRoundingAndAPositiveValueIsAtLeastOneUnitWide) {
  pugi::xml_document doc;
  parse(bar_chart_svg("t", {{"a", 3, "3", ""}, {"b", 1, "1", ""}, {"c", 1000, "1000", ""}}), doc);
  // 3 × 420 / 1000 = 1.26 -> 1; 1 × 420 / 1000 = 0.42 -> 1 (never narrower than 1 unit).
  EXPECT_EQ(widths_of(doc, "#0b4aa2"), (std::vector<std::int64_t>{1, 1, W}));
  parse(bar_chart_svg("t", {{"a", 2, "2", ""}, {"b", 3, "3", ""}}), doc);
  EXPECT_EQ(widths_of(doc, "#0b4aa2"), (std::vector<std::int64_t>{2 * W / 3, W}));  // 280
}

TEST(Charts, ZeroValuesDrawNoBarButKeepTheirLabelsAndValues) {
  const std::string svg = bar_chart_svg("Zéro", {{"clos", 0, "0", ""}, {"rejeté", 0, "0", ""}});
  expect_safe_and_integral(svg);
  pugi::xml_document doc;
  parse(svg, doc);
  EXPECT_TRUE(widths_of(doc, "#0b4aa2").empty());
  const pugi::xpath_node_set texts = doc.select_nodes("//text");
  ASSERT_EQ(texts.size(), 4u);
  EXPECT_STREQ(texts[0].node().text().get(), "clos");
  EXPECT_STREQ(texts[2].node().text().get(), "rejeté");
  parse(bar_chart_svg("t", {{"a", 0, "0", ""}, {"b", 5, "5", ""}, {"c", -3, "-3", ""}}), doc);
  EXPECT_EQ(widths_of(doc, "#0b4aa2"), (std::vector<std::int64_t>{W}));
}

TEST(Charts, HugeValuesDoNotOverflow) {
  const std::int64_t huge = 9'000'000'000'000'000;
  pugi::xml_document doc;
  parse(bar_chart_svg("Montants", {{"a", huge, "90 000 000 000 000,00 €", ""},
                                   {"b", huge / 2, "45 000 000 000 000,00 €", ""},
                                   {"c", huge / 4, "22 500 000 000 000,00 €", ""},
                                   {"d", 1, "0,01 €", ""}}),
        doc);
  EXPECT_EQ(widths_of(doc, "#0b4aa2"), (std::vector<std::int64_t>{W, W / 2, W / 4, 1}));
  const std::int64_t top = INT64_MAX;
  parse(bar_chart_svg("Max", {{"a", top, "max", ""}, {"b", top - 1, "max - 1", ""}}), doc);
  EXPECT_EQ(widths_of(doc, "#0b4aa2"), (std::vector<std::int64_t>{W, W - 1}));
  parse(stacked_bar_svg("Max", {{"l", top, "max", {{"s", top, "max"}, {"t", top, "max"}}}}), doc);
  const pugi::xpath_node_set segments = doc.select_nodes("//g/rect[title]");
  ASSERT_EQ(segments.size(), 1u);  // the second segment finds no room left
  EXPECT_EQ(segments[0].node().attribute("width").as_llong(), W);
}

TEST(Charts, LabelsAndHrefsAreEscaped) {
  const std::string nasty = "<b>&'\"";
  const std::string svg = bar_chart_svg(
      nasty, {{nasty, 7, nasty, "/dossiers?etat=" + nasty}, {"sans lien", 1, "1", ""}});
  expect_safe_and_integral(svg);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;&amp;&#39;&quot;"), std::string::npos);
  pugi::xml_document doc;
  parse(svg, doc);
  EXPECT_EQ(doc.document_element().child("title").text().get(), nasty);
  const pugi::xpath_node_set links = doc.select_nodes("//a");
  ASSERT_EQ(links.size(), 1u);  // the bar without an href has no link
  EXPECT_EQ(std::string(links[0].node().attribute("href").value()), "/dossiers?etat=" + nasty);
  const pugi::xml_node group = links[0].node().child("g");
  EXPECT_EQ(std::string(group.child("title").text().get()), nasty + " : " + nasty);
  EXPECT_EQ(std::string(group.child("text").text().get()), nasty);
  EXPECT_NE(desc_of(doc).find(nasty + " : " + nasty), std::string::npos);
  const std::string stacked = stacked_bar_svg(nasty, {{nasty, 2, nasty, {{nasty, 1, nasty}}}});
  expect_safe_and_integral(stacked);
  EXPECT_EQ(stacked.find("<b>"), std::string::npos);
}

TEST(Charts, LongLabelsAreCutOnCharacterBoundariesAndStayWholeInTheTextAlternative) {
  const std::string label = repeated("é", 70);
  const std::string svg = bar_chart_svg("Longs", {{label, 1, "1", ""}});
  expect_safe_and_integral(svg);
  pugi::xml_document doc;
  parse(svg, doc);
  const std::string shown = doc.select_node("//g/text").node().text().get();
  EXPECT_TRUE(valid_utf8(svg));
  EXPECT_TRUE(valid_utf8(shown));
  EXPECT_EQ(shown, repeated("é", 59) + "…");  // 60 characters, "…" included
  EXPECT_EQ(std::string(doc.select_node("//g/title").node().text().get()), label + " : 1");
  EXPECT_NE(desc_of(doc).find(label), std::string::npos);
  // Mixed widths (1 to 4 bytes) and a label of exactly 60 characters kept whole.
  const std::string mixed = repeated("a€😀é", 20);
  parse(bar_chart_svg("m", {{mixed, 1, "1", ""}, {repeated("ü", 60), 1, "1", ""}}), doc);
  const pugi::xpath_node_set texts = doc.select_nodes("//g/text");
  const std::string cut = texts[0].node().text().get();
  EXPECT_TRUE(valid_utf8(cut));
  EXPECT_EQ(cut, repeated("a€😀é", 14) + "a€😀…");
  EXPECT_EQ(std::string(texts[2].node().text().get()), repeated("ü", 60));
}

TEST(Charts, IdsAreDerivedFromTheTitleAndDifferBetweenTitles) {
  pugi::xml_document a;
  pugi::xml_document b;
  pugi::xml_document c;
  parse(bar_chart_svg("Dossiers par état", {{"x", 1, "1", ""}}), a);
  parse(stacked_bar_svg("AE votées, engagées", {{"x", 1, "1", {}}}), b);
  parse(bar_chart_svg("Dossiers par étât", {}), c);  // differs by an accent only
  std::vector<std::string> ids;
  for (const pugi::xml_document* d : {&a, &b, &c}) {
    const pugi::xml_node root = d->document_element();
    const std::string title_id = root.child("title").attribute("id").value();
    const std::string desc_id = root.child("desc").attribute("id").value();
    ASSERT_GT(title_id.size(), 2u);
    const std::string id = title_id.substr(0, title_id.size() - 2);
    EXPECT_EQ(title_id, id + "-t");
    EXPECT_EQ(desc_id, id + "-d");
    EXPECT_EQ(std::string(root.attribute("aria-labelledby").value()), title_id + " " + desc_id);
    EXPECT_EQ(id.rfind("chart-", 0), 0u);
    EXPECT_EQ(
        id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"),
        std::string::npos);
    ids.push_back(id);
  }
  EXPECT_EQ(ids[0].rfind("chart-Dossiers-par-tat-", 0), 0u);
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(ids[0], ids[2]);
  EXPECT_NE(ids[1], ids[2]);
  // The same title gives the same id (the function is pure).
  pugi::xml_document again;
  parse(bar_chart_svg("Dossiers par état", {{"y", 2, "2", ""}}), again);
  EXPECT_STREQ(again.document_element().child("title").attribute("id").value(),
               a.document_element().child("title").attribute("id").value());
}

TEST(Charts, TheDescriptionListsEveryItemWithItsShownValue) {
  const std::vector<ChartBar> bars = {{"proposé en commission", 3, "3", ""},
                                      {"instruit", 5, "5", "/dossiers?etat=instruit"},
                                      {"voté", 12, "78 400,00 €", ""}};
  pugi::xml_document doc;
  parse(bar_chart_svg("États", bars), doc);
  EXPECT_EQ(desc_of(doc), "proposé en commission : 3 ; instruit : 5 ; voté : 78 400,00 €");
  parse(stacked_bar_svg("AE", {{"Ligne A", 100, "1,00 €", {{"engagé", 30, "0,30 €"}}},
                               {"Ligne B", 50, "0,50 €", {}}}),
        doc);
  EXPECT_EQ(desc_of(doc), "Ligne A : 1,00 € (engagé : 0,30 €) ; Ligne B : 0,50 €");
}

TEST(Charts, StackedSegmentsAreDrawnLeftToRightAndClampedToTheTotal) {
  const std::vector<StackedBar> bars = {
      {"Ligne A", 100, "100", {{"engagé", 30, "30"}, {"affecté non engagé", 20, "20"}}},
      {"Ligne B", 50, "50", {{"engagé", 40, "40"}, {"affecté non engagé", 30, "30"}}},
      {"Ligne C", 100, "100", {{"engagé", 150, "150"}, {"affecté non engagé", 10, "10"}}},
      {"Ligne D", 0, "0", {{"engagé", 5, "5"}}}};
  const std::string svg = stacked_bar_svg("AE votées", bars);
  expect_safe_and_integral(svg);
  pugi::xml_document doc;
  parse(svg, doc);
  // Tracks: one scale for all items, the largest total takes the full width; none for a zero total.
  EXPECT_EQ(widths_of(doc, "#e3e7ee"), (std::vector<std::int64_t>{W, W / 2, W}));
  const pugi::xpath_node_set outlines = doc.select_nodes("//rect[@stroke='#8a94a6']");
  ASSERT_EQ(outlines.size(), 3u);
  EXPECT_STREQ(outlines[0].node().attribute("stroke-width").value(), "1");
  EXPECT_STREQ(outlines[0].node().attribute("fill").value(), "none");
  // The segments in the rows (the legend's swatches are 14 wide and come first).
  std::vector<std::int64_t> first;
  std::vector<std::int64_t> second;
  std::vector<std::int64_t> first_x;
  for (const pugi::xpath_node& n : doc.select_nodes("//g/rect[title]")) {
    const std::string f = n.node().attribute("fill").value();
    (f == "#0b4aa2" ? first : second).push_back(n.node().attribute("width").as_llong());
    if (f == "#0b4aa2") first_x.push_back(n.node().attribute("x").as_llong());
  }
  // A: 30 and 20 of 100. B: 40 of 50, then 30 clamped to the 10 left. C: 150 clamped to 100,
  // nothing left for the second. D: a zero total draws nothing.
  EXPECT_EQ(first, (std::vector<std::int64_t>{126, 168, W}));
  EXPECT_EQ(second, (std::vector<std::int64_t>{84, 42}));
  EXPECT_EQ(first_x, (std::vector<std::int64_t>{kChartMargin, kChartMargin, kChartMargin}));
  EXPECT_EQ(first[1] + second[1], W / 2);  // the sum never passes the track
  const pugi::xpath_node second_b = doc.select_nodes("//g/rect[@fill='#5b7fc6'][title]")[1];
  EXPECT_EQ(second_b.node().attribute("x").as_llong(), kChartMargin + 168);
  EXPECT_STREQ(second_b.node().child("title").text().get(), "affecté non engagé : 30");
  // The legend names each fill once.
  EXPECT_EQ(doc.select_nodes("//rect[@fill='#0b4aa2'][@width='14']").size(), 1u);
  EXPECT_EQ(doc.select_nodes("//rect[@fill='#5b7fc6'][@width='14']").size(), 1u);
  const pugi::xpath_node_set texts = doc.select_nodes("//text");
  EXPECT_STREQ(texts[0].node().text().get(), "engagé");
  EXPECT_STREQ(texts[1].node().text().get(), "affecté non engagé");
}

TEST(Charts, StackedRoundingNeverLosesAPositiveSegmentNorPassesTheTrack) {
  const std::int64_t big = 9'000'000'000'000'000;
  pugi::xml_document doc;
  parse(stacked_bar_svg("r", {{"a", big, "big", {{"s", 1, "1"}, {"t", 1, "1"}, {"u", big, "u"}}}}),
        doc);
  std::int64_t sum = 0;
  std::vector<std::int64_t> widths;
  for (const pugi::xpath_node& n : doc.select_nodes("//g/rect[title]")) {
    widths.push_back(n.node().attribute("width").as_llong());
    sum += widths.back();
  }
  EXPECT_EQ(widths, (std::vector<std::int64_t>{1, 1, W - 2}));
  EXPECT_EQ(sum, W);
}

TEST(Charts, AnEmptyListGivesASmallValidChartSayingThereIsNoData) {
  for (const std::string& svg : {bar_chart_svg("Rien", {}), stacked_bar_svg("Rien", {})}) {
    expect_safe_and_integral(svg);
    pugi::xml_document doc;
    parse(svg, doc);
    EXPECT_EQ(desc_of(doc), "Aucune donnée.");
    EXPECT_STREQ(doc.document_element().child("title").text().get(), "Rien");
    EXPECT_EQ(doc.select_nodes("//rect[@fill='#0b4aa2']").size(), 0u);
  }
}

TEST(Charts, PresentationAttributesOnlyAndNoExternalReference) {
  const std::string svg = stacked_bar_svg(
      "AE", {{"Ligne", 10, "10", {{"engagé", 3, "3"}, {"affecté", 2, "2"}, {"autre", 1, "1"}}}});
  expect_safe_and_integral(svg);
  for (const char* forbidden :
       {"<style", "style=", "<script", "xlink:", "<image", "<use", "url(", "<foreignObject"}) {
    EXPECT_EQ(svg.find(forbidden), std::string::npos) << forbidden;
  }
  pugi::xml_document doc;
  parse(svg, doc);
  for (const pugi::xpath_node& n : doc.select_nodes("//*")) {
    for (const pugi::xml_attribute& a : n.node().attributes()) {
      const std::string name = a.name();
      EXPECT_NE(name.rfind("on", 0), 0u) << name;  // no event handler
      EXPECT_NE(name, "style");
      if (name != "xmlns") {
        EXPECT_EQ(std::string(a.value()).find("://"), std::string::npos) << name;
      }
    }
  }
  EXPECT_NE(svg.find("fill=\"#1e1e1e\""), std::string::npos);
  EXPECT_NE(svg.find("font-size=\"14\""), std::string::npos);
}

}  // namespace
}  // namespace octroi::http::pages
