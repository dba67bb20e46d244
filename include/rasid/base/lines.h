// Splitting text into lines.
#ifndef RASID_BASE_LINES_H_
#define RASID_BASE_LINES_H_

#include <cstddef>
#include <string_view>

namespace rasid {

// Calls fn(line_number, line) for each line of `text` (1-based numbers; the
// line without its "\n" or "\r\n"). Stops early when fn returns false.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!fn(line_no, line)) return;
  }
}

}  // namespace rasid

#endif  // RASID_BASE_LINES_H_
