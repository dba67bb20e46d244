// libFuzzer target: any bytes through decoding (every encoding) and the whole
// analysis chain, checking the span invariants. Run by scripts/test.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rasid/analysis/analyzer.h"
#include "rasid/text/decode.h"
#include "rasid/text/utf8.h"

namespace {

rasid::analysis::Analyzer* MakeAnalyzer(bool display) {
  rasid::analysis::AnalyzerOptions o;
  o.roots = true;
  if (display) o.normalize = rasid::analysis::NormalizeOptions::Display();
  auto a = rasid::analysis::Analyzer::Create(o);
  if (!a.ok()) std::abort();
  return std::move(a).value().release();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static rasid::analysis::Analyzer* search = MakeAnalyzer(false);
  static rasid::analysis::Analyzer* display = MakeAnalyzer(true);
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  rasid::text::Encoding encoding = rasid::text::Encoding::kAuto;
  if (size > 0) {
    switch (data[0] % 4) {
      case 0: encoding = rasid::text::Encoding::kUtf8; break;
      case 1: encoding = rasid::text::Encoding::kIso88596; break;
      case 2: encoding = rasid::text::Encoding::kWindows1256; break;
      default: break;
    }
  }
  rasid::text::DecodeOptions opts;
  opts.encoding = encoding;
  auto text = rasid::text::Decode(bytes, "fuzz", opts, nullptr);
  if (!text.ok()) return 0;
  if (rasid::text::FindInvalidUtf8(*text)) std::abort();
  std::vector<rasid::analysis::AnalyzedToken> tokens;
  for (auto* a : {search, display}) {
    a->Analyze(*text, &tokens);
    uint32_t prev = 0;
    for (const auto& t : tokens) {
      if (t.token.start < prev || t.token.end <= t.token.start || t.token.end > text->size()) std::abort();
      if (rasid::text::FindInvalidUtf8(std::string_view(*text).substr(t.token.start, t.token.end - t.token.start)))
        std::abort();
      prev = t.token.end;
    }
  }
  return 0;
}
