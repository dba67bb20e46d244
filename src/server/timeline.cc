#include "timeline.h"

#include <algorithm>
#include <map>

#include "rasid/index/segment.h"

namespace rasid::server {

Result<Interval> ParseInterval(std::string_view s) {
  if (s == "day") return Interval::kDay;
  if (s == "week") return Interval::kWeek;
  if (s == "month" || s.empty()) return Interval::kMonth;
  return Status::InvalidArgument("interval: expected day, week or month, not '" + std::string(s) + "'");
}

namespace {

int32_t FloorMod(int32_t a, int32_t b) { return ((a % b) + b) % b; }

// First day of the interval holding `day`.
int32_t StartOf(int32_t day, Interval iv) {
  switch (iv) {
    case Interval::kDay:
      return day;
    case Interval::kWeek:
      return day - FloorMod(day + 3, 7);  // 1970-01-01 was a Thursday; weeks start on Monday
    case Interval::kMonth:
      return index::ParseDateDays(index::FormatDate(day).substr(0, 7) + "-01");
  }
  return day;
}

// First day of the next interval, from the first day of one.
int32_t NextStart(int32_t start, Interval iv) {
  switch (iv) {
    case Interval::kDay:
      return start + 1;
    case Interval::kWeek:
      return start + 7;
    case Interval::kMonth:
      return StartOf(start + 31, iv);
  }
  return start + 1;
}

}  // namespace

Result<std::vector<Bucket>> MakeBuckets(const std::vector<index::FacetValue>& days, Interval interval,
                                        size_t max_buckets) {
  std::map<int32_t, uint64_t> counts;
  for (const auto& f : days) {
    int32_t d = index::ParseDateDays(f.value);
    if (d == index::kNoDate) continue;
    counts[StartOf(d, interval)] += f.count;
  }
  std::vector<Bucket> out;
  if (counts.empty()) return out;
  int32_t last = counts.rbegin()->first;
  for (int32_t s = counts.begin()->first; s <= last; s = NextStart(s, interval)) {
    if (out.size() >= max_buckets) {
      return Status::InvalidArgument("timeline: more than " + std::to_string(max_buckets) +
                                     " intervals; use a longer interval or a date: filter");
    }
    auto it = counts.find(s);
    out.push_back({index::FormatDate(s), index::FormatDate(NextStart(s, interval) - 1),
                   it == counts.end() ? 0 : it->second});
  }
  return out;
}

}  // namespace rasid::server
