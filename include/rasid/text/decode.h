// Decoding input bytes into rasid's document text (valid UTF-8).
//
// Nothing is silently mangled: every repair is counted in DecodeReport, and
// bytes that cannot be decoded are an error naming the byte offset. The
// decoded text is the reference that token offsets point into.
//
// Rules (docs/analysis.md, "Decoding"):
//   - a UTF-8 byte order mark at the start is removed (had_bom);
//     a UTF-16 BOM (FF FE / FE FF) selects UTF-16, decoded through ICU;
//   - CR LF and lone CR become LF (newlines_converted);
//   - NUL bytes are removed (nul_removed);
//   - C1 controls U+0080..U+009F and C0 controls other than TAB, LF, VT, FF
//     become a space (controls_replaced), so they never glue words together;
//   - invalid UTF-8 is an error, unless encoding is kAuto, in which case the
//     input is decoded as Windows-1256 and fallback_offset tells where UTF-8
//     failed.
#ifndef RASID_TEXT_DECODE_H_
#define RASID_TEXT_DECODE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "rasid/base/status.h"

namespace rasid::text {

enum class Encoding { kUtf8, kWindows1256, kIso88596, kUtf16, kAuto };

// Parses "utf-8", "windows-1256" (also "cp1256"), "iso-8859-6", "auto".
Result<Encoding> ParseEncoding(std::string_view name);
const char* EncodingName(Encoding encoding);

struct DecodeOptions {
  Encoding encoding = Encoding::kUtf8;
  // Inputs larger than this are refused (InvalidArgument).
  size_t max_bytes = size_t{256} << 20;
};

struct DecodeReport {
  Encoding used = Encoding::kUtf8;
  bool had_bom = false;
  size_t newlines_converted = 0;
  size_t nul_removed = 0;
  size_t controls_replaced = 0;
  // Set when kAuto fell back from UTF-8: offset of the first invalid byte.
  std::optional<size_t> fallback_offset;
};

// Decodes `bytes` into valid UTF-8 document text. `name` (a file name, or
// "<stdin>") prefixes error messages: "<name>: invalid UTF-8 at byte 17".
// `report` may be null.
Result<std::string> Decode(std::string_view bytes, std::string_view name,
                           const DecodeOptions& options, DecodeReport* report);

}  // namespace rasid::text

#endif  // RASID_TEXT_DECODE_H_
