#include "adapters/http/web/charts.h"

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/http/web/markup.h"

namespace octroi::http::pages {
namespace {

__extension__ typedef __int128 Wide;  // GCC extension; __extension__ keeps -Wpedantic quiet

// Layout, in user units. One item is a row: its label's line, then its bar with the value after it.
constexpr std::int64_t kTop = 8;
constexpr std::int64_t kBottom = 4;
constexpr std::int64_t kRowHeight = 48;
constexpr std::int64_t kLabelBaseline = 15;  // from the row's top
constexpr std::int64_t kBarTop = 20;         // from the row's top
constexpr std::int64_t kBarHeight = 16;
constexpr std::int64_t kValueBaseline = 33;  // from the row's top: the bar's middle
constexpr std::int64_t kValueGap = 6;        // between a bar's end and its value
constexpr std::int64_t kLegendRow = 22;
constexpr std::int64_t kLegendGap = 6;  // between the legend and the first row
constexpr std::int64_t kSwatch = 14;
constexpr std::int64_t kEmptyHeight = 40;

constexpr const char* kTextFill = "#1e1e1e";
constexpr const char* kBackground = "#ffffff";
constexpr const char* kBarFill = "#0b4aa2";
constexpr const char* kTrackFill = "#e3e7ee";
constexpr const char* kTrackStroke = "#8a94a6";
constexpr const char* kSegmentFills[] = {"#0b4aa2", "#5b7fc6", "#1d6b4f", "#8c4a00"};
constexpr std::string::size_type kSegmentFillCount = sizeof kSegmentFills / sizeof kSegmentFills[0];
constexpr std::string::size_type kSlugMax = 40;

const char* segment_fill(std::string::size_type k) {
  return kSegmentFills[k % kSegmentFillCount];
}

std::string num(std::int64_t v) {
  return std::to_string(v);
}

std::int64_t not_negative(std::int64_t v) {
  return v < 0 ? 0 : v;
}

bool continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// At most kChartLabelMax characters: a longer label keeps its first kChartLabelMax - 1 characters
// (cut before a lead byte, so never inside a multibyte sequence) and ends with "…".
std::string shortened(const std::string& s) {
  std::int64_t characters = 0;
  for (const char c : s) {
    if (!continuation_byte(c)) ++characters;
  }
  if (characters <= kChartLabelMax) return s;
  std::string::size_type cut = 0;
  std::int64_t kept = 0;
  for (; cut < s.size(); ++cut) {
    if (continuation_byte(s[cut])) continue;
    if (kept == kChartLabelMax - 1) break;
    ++kept;
  }
  std::string out = s.substr(0, cut);
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out + "\u2026";
}

bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// "chart-<slug>-<hash>": ASCII letters and digits of the title, every other character (a whole
// UTF-8 sequence counts as one) replaced by '-', runs of '-' collapsed, at most kSlugMax bytes;
// then the FNV-1a hash of the whole title in 8 hex digits, so that titles differing only in
// accents or punctuation still get different ids.
std::string chart_id(const std::string& title) {
  std::string slug;
  for (const char c : title) {
    if (slug.size() >= kSlugMax) break;
    if (continuation_byte(c)) continue;
    if (ascii_alnum(c)) {
      slug += c;
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  std::uint32_t hash = 2166136261u;
  for (const char c : title) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  std::string hex(8, '0');
  for (std::string::size_type i = 8; i > 0; --i) {
    hex[i - 1] = "0123456789abcdef"[hash & 0xFu];
    hash >>= 4;
  }
  return "chart-" + (slug.empty() ? std::string() : slug + "-") + hex;
}

// floor(value × kChartTrackWidth / max), the product in 128 bits; 0 <= value <= max.
std::int64_t proportion(std::int64_t value, std::int64_t max) {
  if (value <= 0 || max <= 0) return 0;
  return static_cast<std::int64_t>(static_cast<Wide>(value) * kChartTrackWidth / max);
}

// The drawn width of a value: its proportion, and at least 1 unit when it is positive.
std::int64_t bar_width(std::int64_t value, std::int64_t max) {
  if (value <= 0 || max <= 0) return 0;
  const std::int64_t width = proportion(value, max);
  return width < 1 ? 1 : width;
}

std::string text(std::int64_t x, std::int64_t y, const std::string& content) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" fill=\"" + kTextFill + "\">" +
         escape_markup(content) + "</text>";
}

// A rectangle; `extra` holds further attributes (already escaped), `tip` a <title> child.
std::string rect(std::int64_t x, std::int64_t y, std::int64_t width, std::int64_t height,
                 const std::string& extra, const std::string& tip = "") {
  std::string out = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(width) +
                    "\" height=\"" + num(height) + "\" " + extra;
  if (tip.empty()) return out + "/>";
  return out + "><title>" + escape_markup(tip) + "</title></rect>";
}

std::string fill(const char* colour) {
  return std::string("fill=\"") + colour + "\"";
}

std::string svg_open(const std::string& id, const std::string& title, const std::string& desc,
                     std::int64_t height) {
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"" +
                    id + "-t " + id + "-d\" viewBox=\"0 0 " + num(kChartViewWidth) + " " +
                    num(height) + "\" width=\"100%\" font-family=\"sans-serif\" font-size=\"14\">";
  out += "<title id=\"" + id + "-t\">" + escape_markup(title) + "</title>";
  out += "<desc id=\"" + id + "-d\">" + escape_markup(desc) + "</desc>";
  out += rect(0, 0, kChartViewWidth, height, fill(kBackground));
  return out;
}

std::string empty_chart(const std::string& title) {
  const std::string none = "Aucune donn\u00e9e.";
  return svg_open(chart_id(title), title, none, kEmptyHeight) +
         text(kChartMargin, kEmptyHeight / 2 + 5, none) + "</svg>";
}

std::string bar_item(const ChartBar& bar, std::int64_t top, std::int64_t max) {
  const std::int64_t width = bar_width(not_negative(bar.value), max);
  std::string item = "<g><title>" + escape_markup(bar.label + " : " + bar.shown) + "</title>";
  item += text(kChartMargin, top + kLabelBaseline, shortened(bar.label));
  if (width > 0) item += rect(kChartMargin, top + kBarTop, width, kBarHeight, fill(kBarFill));
  item += text(kChartMargin + width + kValueGap, top + kValueBaseline, bar.shown);
  item += "</g>";
  if (bar.href.empty()) return item;
  return "<a href=\"" + escape_markup(bar.href) + "\">" + item + "</a>";
}

std::string stacked_description(const StackedBar& bar) {
  std::string out = bar.label + " : " + bar.shown_total;
  if (bar.segments.empty()) return out;
  out += " (";
  for (std::string::size_type k = 0; k < bar.segments.size(); ++k) {
    if (k > 0) out += ", ";
    out += bar.segments[k].label + " : " + bar.segments[k].shown;
  }
  return out + ")";
}

std::string stacked_item(const StackedBar& bar, std::int64_t top, std::int64_t max) {
  const std::int64_t total = not_negative(bar.total);
  const std::int64_t track = bar_width(total, max);
  const std::int64_t y = top + kBarTop;
  std::string item = "<g><title>" + escape_markup(stacked_description(bar)) + "</title>";
  item += text(kChartMargin, top + kLabelBaseline, shortened(bar.label));
  if (track > 0) item += rect(kChartMargin, y, track, kBarHeight, fill(kTrackFill));
  // Each segment runs from the end of the previous one to the scaled cumulative sum, clamped to
  // the total: the widths add up to the track exactly, whatever the rounding.
  std::int64_t cumulative = 0;
  std::int64_t position = 0;
  for (std::string::size_type k = 0; k < bar.segments.size(); ++k) {
    const ChartSegment& segment = bar.segments[k];
    const std::int64_t room = total - cumulative;
    const std::int64_t value = not_negative(segment.value);
    const std::int64_t drawn = value < room ? value : room;
    cumulative += drawn;
    std::int64_t end = proportion(cumulative, max);
    if (drawn > 0 && end <= position && position < track) end = position + 1;
    if (end <= position) continue;
    // A white edge between segments: two fills side by side cannot both contrast with the track
    // and with each other (WCAG 1.4.11), an edge can.
    item += rect(kChartMargin + position, y, end - position, kBarHeight,
                 fill(segment_fill(k)) + " stroke=\"#ffffff\" stroke-width=\"2\"",
                 segment.label + " : " + segment.shown);
    position = end;
  }
  // The outline last, so that it frames the segments too.
  if (track > 0) {
    item += rect(kChartMargin, y, track, kBarHeight,
                 std::string("fill=\"none\" stroke=\"") + kTrackStroke + "\" stroke-width=\"1\"");
  }
  item += text(kChartMargin + track + kValueGap, top + kValueBaseline, bar.shown_total);
  return item + "</g>";
}

}  // namespace

std::string bar_chart_svg(const std::string& title, const std::vector<ChartBar>& bars) {
  if (bars.empty()) return empty_chart(title);
  std::int64_t max = 0;
  std::string desc;
  for (const ChartBar& bar : bars) {
    if (bar.value > max) max = bar.value;
    if (!desc.empty()) desc += " ; ";
    desc += bar.label + " : " + bar.shown;
  }
  const auto rows = static_cast<std::int64_t>(bars.size());
  std::string out = svg_open(chart_id(title), title, desc, kTop + rows * kRowHeight + kBottom);
  for (std::int64_t i = 0; i < rows; ++i) {
    out += bar_item(bars[static_cast<std::string::size_type>(i)], kTop + i * kRowHeight, max);
  }
  return out + "</svg>";
}

std::string stacked_bar_svg(const std::string& title, const std::vector<StackedBar>& bars) {
  if (bars.empty()) return empty_chart(title);
  std::int64_t max = 0;
  std::string desc;
  std::vector<std::string> legend;  // the label of the first segment at each position
  for (const StackedBar& bar : bars) {
    if (bar.total > max) max = bar.total;
    if (!desc.empty()) desc += " ; ";
    desc += stacked_description(bar);
    for (std::string::size_type k = legend.size(); k < bar.segments.size(); ++k) {
      legend.push_back(bar.segments[k].label);
    }
  }
  const auto entries = static_cast<std::int64_t>(legend.size());
  const std::int64_t legend_height = entries == 0 ? 0 : entries * kLegendRow + kLegendGap;
  const auto rows = static_cast<std::int64_t>(bars.size());
  std::string out =
      svg_open(chart_id(title), title, desc, kTop + legend_height + rows * kRowHeight + kBottom);
  for (std::int64_t k = 0; k < entries; ++k) {
    const std::int64_t y = kTop + k * kLegendRow;
    const auto position = static_cast<std::string::size_type>(k);
    out += "<g>" + rect(kChartMargin, y + 2, kSwatch, kSwatch, fill(segment_fill(position)));
    out += text(kChartMargin + kSwatch + 8, y + 14, shortened(legend[position])) + "</g>";
  }
  for (std::int64_t i = 0; i < rows; ++i) {
    out += stacked_item(bars[static_cast<std::string::size_type>(i)],
                        kTop + legend_height + i * kRowHeight, max);
  }
  return out + "</svg>";
}

}  // namespace octroi::http::pages
