// `rasid ingest`: reading inputs, analysing and indexing on every core,
// committing, merging.
//
// Pipeline: the calling thread reads documents (DocumentReader) and hands
// batches to `threads` workers through a bounded queue; each worker owns an
// Analyzer and a SegmentBuilder and writes a segment whenever its builder
// passes buffer_bytes / threads (then commits, so progress is durable). A
// worker works in two stages: it extracts and analyses each document
// (SegmentBuilder::Analyze) while its own inverter thread, a few batches
// behind, adds the postings and stores the article (SegmentBuilder::Invert);
// so `threads` = 1 keeps two cores busy with one segment. At
// the end the remaining builders are written, everything is committed, and
// background merges are awaited. Bad records are reported and skipped
// (strict: reading stops at the first, what was read before it is kept).
#ifndef RASID_ENGINE_INGEST_H_
#define RASID_ENGINE_INGEST_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "rasid/base/status.h"
#include "rasid/engine/readers.h"

namespace rasid::engine {

struct IngestOptions {
  ReaderOptions reader;
  size_t buffer_bytes = size_t{256} << 20;  // memory for in-flight segments, all workers together
  int threads = 2;
  bool strict = false;
  bool progress = false;       // a progress line on stderr
  bool force_merge = false;    // merge everything into one segment at the end
  bool background_merges = true;
  bool extract = true;         // index the dates and money articles mention (mentions:, money:)
  bool entities = true;        // index the people, organisations, places (person:, org:, place:)
};

struct IngestReport {
  uint64_t documents = 0;    // documents indexed (added or replaced)
  uint64_t bad_records = 0;
  uint64_t skipped_files = 0;
  uint64_t input_bytes = 0;
  uint64_t text_bytes = 0;   // title + text bytes of indexed documents
  double seconds = 0;
  uint64_t index_documents = 0;  // live documents in the index afterwards
  uint64_t index_bytes = 0;
  uint64_t segments = 0;
};

// Ingests `inputs` into the index at `dir` (created if needed). on_error is
// called (from the calling thread) for every bad record.
Result<IngestReport> Ingest(const std::string& dir, const std::vector<std::string>& inputs,
                            const IngestOptions& options, const std::function<void(const InputError&)>& on_error);

}  // namespace rasid::engine

#endif  // RASID_ENGINE_INGEST_H_
