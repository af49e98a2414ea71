// Small server-side SVG charts for the dashboard: pure functions from figures already formatted by
// the page to an inline <svg> element (no XML prolog) placed inside the HTML.
//
// - No floating point: every length is an integer number of SVG user units (std::int64_t, the
//   product value × width taken in 128 bits), rounded down; a positive value is never drawn
//   narrower than 1 unit.
// - Reflows: viewBox="0 0 600 H" with width="100%" and no pixel size; each label sits on its own
//   line above its bar; labels longer than 60 characters are cut on a UTF-8 character boundary
//   and end with "…" (the full label stays in the chart's <desc> and in the <title> of the item's
//   group).
// - Accessible: role="img", aria-labelledby pointing at the <title> (the chart's title) and the
//   <desc> (every item as text: "proposé en commission : 3 ; instruit : 5."). The ids are
//   "chart-<slug of the title>-<8 hex digits of a hash of the title>", so two charts with
//   different titles on one page never share an id (two charts with the same title would).
// - Safe in a strict page: presentation attributes only (no <style>, no style="", no script, no
//   external reference); every text and attribute value is escaped (& < > " ').
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace octroi::http::pages {

// The geometry, in SVG user units: the viewBox is kChartViewWidth wide, and the largest value's
// bar (or the largest total's track) is kChartTrackWidth wide, starting at x = kChartMargin.
inline constexpr std::int64_t kChartViewWidth = 600;
inline constexpr std::int64_t kChartTrackWidth = 420;
inline constexpr std::int64_t kChartMargin = 8;
// Labels longer than this many characters (code points) are cut, "…" included.
inline constexpr std::int64_t kChartLabelMax = 60;

struct ChartBar {
  std::string label;   // "proposé en commission" (plain text: the module escapes it)
  std::int64_t value;  // >= 0, in any unit (a count, or cents); a negative value counts as 0
  std::string shown;   // the value as the page writes it, already formatted: "3", "78 400,00 €"
  std::string href;    // optional link for the bar ("" for none); escaped by the module
};

// Horizontal bars, one per item, widths proportional to value (the largest bar takes the full
// width; all zero -> no bar drawn, labels still there). The shown value is written right after
// the bar. A bar with an href is wrapped in <a href="...">.
std::string bar_chart_svg(const std::string& title, const std::vector<ChartBar>& bars);

struct ChartSegment {
  std::string label;
  std::int64_t value;  // >= 0; a negative value counts as 0
  std::string shown;
};
struct StackedBar {
  std::string label;
  std::int64_t total;  // >= 0; a negative total counts as 0
  std::string shown_total;
  std::vector<ChartSegment> segments;
};

// One horizontal bar per item whose full length is `total` (e.g. AE voted), on one scale for all
// items (the largest total takes the full width), drawn as a track (#e3e7ee, 1-unit stroke
// #8a94a6); its segments (e.g. committed, allocated not yet committed) are drawn left to right in
// distinct fills (#0b4aa2, #5b7fc6, then #1d6b4f, #8c4a00) with a white edge; the rest of the bar
// is the unfilled track. Segments are clamped to the bar: a segment past the total is cut at the
// total, the following ones are not drawn. A legend names each fill once, with the label of the
// first segment at that position (segments at the same position in every item share a fill).
std::string stacked_bar_svg(const std::string& title, const std::vector<StackedBar>& bars);

}  // namespace octroi::http::pages
