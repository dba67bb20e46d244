// Reading articles from the inputs of `rasid ingest`.
//
// Inputs: JSONL files (one JSON object per line: id, title, text, date,
// source, url, category, author; other fields kept in Document::extra),
// plain-text files (one article per file; id = the path relative to the
// folder given, title empty unless the file has a first line of its own
// followed by a blank line), folders (walked recursively, sorted by path;
// *.jsonl / *.json / *.ndjson read as JSONL, *.txt and extension-less files
// as text, other files skipped and counted), gzip-compressed versions of
// all of these (*.gz, detected by magic bytes), and "-" for JSONL on stdin.
// Every input is decoded with text::Decode (encoding option applies to text
// files and JSONL alike).
//
// Bad records (invalid JSON, invalid encoding, missing id or text, larger
// than max_document_bytes) are reported through the `on_error` callback
// with file and line and skipped; reading goes on unless it returns false.
//
// Thread safety: a DocumentReader is used from one thread.
#ifndef RASID_ENGINE_READERS_H_
#define RASID_ENGINE_READERS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rasid/base/status.h"
#include "rasid/index/document.h"
#include "rasid/text/decode.h"

namespace rasid::engine {

struct ReaderOptions {
  text::Encoding encoding = text::Encoding::kUtf8;
  size_t max_document_bytes = size_t{16} << 20;  // 16 MiB of title + text
};

struct InputError {
  std::string file;  // path as given ("<stdin>" for stdin)
  size_t line = 0;   // 1-based JSONL line; 0 for whole-file errors
  Status status;     // message includes file and line
};

struct ReaderStats {
  uint64_t documents = 0;  // documents delivered
  uint64_t bad_records = 0;
  uint64_t skipped_files = 0;
  uint64_t bytes_read = 0;  // input bytes consumed (compressed size for .gz)
};

class DocumentReader {
 public:
  // `inputs` are paths (files or folders) or "-". Fails only on an
  // input that does not exist or cannot be opened at all.
  static Result<std::unique_ptr<DocumentReader>> Open(const std::vector<std::string>& inputs,
                                                      const ReaderOptions& options);
  virtual ~DocumentReader() = default;

  // Fills *doc with the next good document and returns true; false at the
  // end of all inputs. Bad records go to on_error; if on_error returns false
  // Next returns false and status() holds that error.
  virtual bool Next(index::Document* doc, const std::function<bool(const InputError&)>& on_error) = 0;
  virtual Status status() const = 0;
  virtual const ReaderStats& stats() const = 0;
  // Total input size in bytes if known in advance (for a progress bar), else 0.
  virtual uint64_t total_bytes() const = 0;
};

// Scraper boilerplate at the end of an article («رابط دائم:», «رابط مختصر»,
// «اقرأ أيضا», «شارك هذا المقال», «تابعونا على», "Share this", ...): returns the
// byte length of `text` before it (text.size() when there is none). Only
// trailing lines are considered, never text in the middle of the article.
size_t IndexableLength(std::string_view text);

}  // namespace rasid::engine

#endif  // RASID_ENGINE_READERS_H_
