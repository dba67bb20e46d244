// Counts per day, week or month from per-day counts (the "day" facet of a
// search), with the empty intervals between the first and the last filled
// with zeros.
#ifndef RASID_SERVER_TIMELINE_H_
#define RASID_SERVER_TIMELINE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/base/status.h"
#include "rasid/index/searcher.h"

namespace rasid::server {

enum class Interval { kDay, kWeek, kMonth };

// "day", "week", "month"; InvalidArgument for anything else.
Result<Interval> ParseInterval(std::string_view s);

struct Bucket {
  std::string start, end;  // YYYY-MM-DD, both included; weeks start on Monday
  uint64_t count = 0;
};

// `days`: "YYYY-MM-DD" -> count, in any order. InvalidArgument when the
// span would need more than max_buckets intervals.
Result<std::vector<Bucket>> MakeBuckets(const std::vector<index::FacetValue>& days, Interval interval,
                                        size_t max_buckets);

}  // namespace rasid::server

#endif  // RASID_SERVER_TIMELINE_H_
