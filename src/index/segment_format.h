// Constants of the segment file format (docs/format/segment.md).
#ifndef RASID_INDEX_SEGMENT_FORMAT_H_
#define RASID_INDEX_SEGMENT_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/base/status.h"

namespace rasid::index {

inline constexpr char kSegmentMagic[9] = "RASIDSEG";
inline constexpr char kSegmentFooterMagic[9] = "RSEGEND1";
// 1: development format before one-block terms lost their skip table;
// 2: varint postings and positions (rasid up to e601cb0); 3: full blocks packed
// (up to 8b61d0d); 4: every block packed, exact forms as variant codes of
// their stem's positions, dictionary offsets as differences (up to ec8264e);
// 5: stop words without positions (a flag in the dictionary's document
// count), Rice runs beside packed runs, skip entries as narrow as their
// values, an affix table for the variant tables, values as varints, ids
// front-coded.
inline constexpr uint32_t kSegmentVersion = 5;
inline constexpr uint32_t kDictBlock = 32;  // terms per front-coded dictionary block
// Fields of a skip entry: last document, data offset, positions offset,
// maximum frequency, minimum length (each 1-4 bytes wide, per term).
inline constexpr size_t kSkipFields = 5;
// Changes when analysis would index the same text differently.
inline constexpr std::string_view kAnalysisSignature = "rasid-analysis-2";

enum Section { kMeta, kDict, kPostings, kPositions, kStored, kValues, kIds, kNumSections };
inline constexpr size_t kHeaderBytes = 8 + 4 + 8 + 4;
inline constexpr size_t kFooterEntryBytes = 8 + 8 + 4;
inline constexpr size_t kFooterTailBytes = 4 + 4 + 4 + 8;

// Writes `parts` to `path` (created or truncated), fsyncs and closes it.
Status WriteFileDurably(const std::string& path, const std::vector<std::string_view>& parts);

}  // namespace rasid::index

#endif  // RASID_INDEX_SEGMENT_FORMAT_H_
