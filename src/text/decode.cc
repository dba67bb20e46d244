#include "rasid/text/decode.h"

#include <simdjson.h>
#include <unicode/ucnv.h>

#include <cstring>

#include <memory>

#include "rasid/text/utf8.h"

namespace rasid::text {

namespace {

// Converts a legacy encoding to UTF-8 with ICU, stopping at the first byte
// that has no mapping.
Result<std::string> ConvertWithIcu(std::string_view bytes, const char* icu_name,
                                   std::string_view name) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(icu_name, &err);
  if (U_FAILURE(err)) {
    return Status::Unsupported(std::string(name) + ": ICU has no converter for " + icu_name);
  }
  std::unique_ptr<UConverter, void (*)(UConverter*)> guard(conv, ucnv_close);
  ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  UConverter* utf8 = ucnv_open("UTF-8", &err);
  std::unique_ptr<UConverter, void (*)(UConverter*)> guard8(utf8, ucnv_close);
  if (U_FAILURE(err)) return Status::Unsupported("ICU has no UTF-8 converter");

  std::string out(bytes.size() * 3 + 16, '\0');
  char* target = out.data();
  const char* source = bytes.data();
  UChar pivot[1024];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  ucnv_convertEx(utf8, conv, &target, out.data() + out.size(), &source, bytes.data() + bytes.size(),
                 pivot, &pivot_source, &pivot_target, pivot + 1024, true, true, &err);
  if (U_FAILURE(err)) {
    size_t offset = static_cast<size_t>(source - bytes.data());
    if (offset > 0) --offset;  // ICU consumed the offending byte
    return Status::InvalidArgument(std::string(name) + ": byte " + std::to_string(offset) +
                                   " has no mapping in " + icu_name);
  }
  out.resize(static_cast<size_t>(target - out.data()));
  return out;
}

// Byte classes of the one-pass UTF-8 validator and cleaner.
enum : uint8_t { kPlain, kSpecial, kLead2, kC2, kLead3, kLead4, kBad };

struct ByteClasses {
  uint8_t c[256];
  constexpr ByteClasses() : c() {
    for (int b = 0; b < 256; ++b) {
      uint8_t k = kBad;
      if (b < 0x80) k = (b < 0x20 && b != '\t' && b != '\n' && b != '\v' && b != '\f') || b == 0x7F ? kSpecial : kPlain;
      else if (b == 0xC2) k = kC2;
      else if (b >= 0xC3 && b <= 0xDF) k = kLead2;
      else if (b >= 0xE0 && b <= 0xEF) k = kLead3;
      else if (b >= 0xF0 && b <= 0xF4) k = kLead4;
      c[b] = k;
    }
  }
};
constexpr ByteClasses kClasses;

// A control character, or the lead byte of a C1 control (C2 80..C2 9F; «»
// and NBSP also start with C2 and are fine).
bool NeedsLook(const unsigned char* p, size_t n, size_t k) {
  if (kClasses.c[p[k]] == kSpecial) return true;
  return p[k] == 0xC2 && (k + 1 >= n || p[k + 1] < 0xA0);
}

// True when no byte of `in` needs cleaning: no C0 control but TAB, LF, VT, FF,
// no DEL, no lead byte 0xC2 (which starts the C1 controls). Eight bytes at a
// time; only words with a candidate byte are looked at byte by byte.
bool NothingToClean(std::string_view in) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    bool below_space = ((w - kOnes * 0x20) & ~w & kHigh) != 0;
    if (!below_space && !has_zero(w ^ (kOnes * 0x7F)) && !has_zero(w ^ (kOnes * 0xC2))) continue;
    for (size_t k = i; k < i + 8; ++k) {
      if (NeedsLook(p, n, k)) return false;
    }
  }
  for (; i < n; ++i) {
    if (NeedsLook(p, n, i)) return false;
  }
  return true;
}

// Validates UTF-8 and applies the newline, NUL and control rules in one
// pass, copying untouched runs whole. The common case (valid, nothing to
// clean) is checked first with simdjson's vectorised validator. Returns the offset of the first
// invalid byte, or nullopt when `in` was valid (then *out holds the result).
std::optional<size_t> CleanUtf8(std::string_view in, std::string* out, DecodeReport* report) {
  out->clear();
  if (simdjson::validate_utf8(in.data(), in.size()) && NothingToClean(in)) {
    out->assign(in);
    return std::nullopt;
  }
  out->reserve(in.size());
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t run = 0;  // start of the pending untouched run
  size_t i = 0;
  auto flush = [&](size_t end) { out->append(in.data() + run, end - run); };
  while (i < n) {
    uint8_t k = kClasses.c[p[i]];
    if (k == kPlain) { ++i; continue; }
    if (k == kLead2) {
      if (i + 1 >= n || (p[i + 1] & 0xC0) != 0x80) return i;
      i += 2;
      continue;
    }
    if (k == kLead3 || k == kLead4 || k == kBad) {
      int len;
      if (!DecodeChecked(in, i, &len)) return i;
      i += static_cast<size_t>(len);
      continue;
    }
    if (k == kC2) {
      if (i + 1 >= n || (p[i + 1] & 0xC0) != 0x80) return i;
      if (p[i + 1] < 0xA0) {  // a C1 control
        flush(i);
        out->push_back(' ');
        ++report->controls_replaced;
        run = i + 2;
      }
      i += 2;
      continue;
    }
    // kSpecial: CR, NUL, other controls.
    flush(i);
    unsigned char c = p[i++];
    if (c == '\r') {
      out->push_back('\n');
      ++report->newlines_converted;
      if (i < n && p[i] == '\n') ++i;
    } else if (c == '\0') {
      ++report->nul_removed;
    } else {
      out->push_back(' ');
      ++report->controls_replaced;
    }
    run = i;
  }
  flush(n);
  return std::nullopt;
}

}  // namespace

Result<Encoding> ParseEncoding(std::string_view name) {
  std::string n;
  for (char c : name) n.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "windows-1256" || n == "cp1256" || n == "win1256") return Encoding::kWindows1256;
  if (n == "iso-8859-6" || n == "iso8859-6" || n == "latin-arabic") return Encoding::kIso88596;
  if (n == "utf-16" || n == "utf16") return Encoding::kUtf16;
  if (n == "auto") return Encoding::kAuto;
  return Status::InvalidArgument("unknown encoding '" + std::string(name) +
                                 "' (expected utf-8, windows-1256, iso-8859-6, utf-16 or auto)");
}

const char* EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8: return "utf-8";
    case Encoding::kWindows1256: return "windows-1256";
    case Encoding::kIso88596: return "iso-8859-6";
    case Encoding::kUtf16: return "utf-16";
    case Encoding::kAuto: return "auto";
  }
  return "?";
}

Result<std::string> Decode(std::string_view bytes, std::string_view name,
                           const DecodeOptions& options, DecodeReport* report) {
  DecodeReport local;
  if (report == nullptr) report = &local;
  *report = DecodeReport();
  if (bytes.size() > options.max_bytes) {
    return Status::InvalidArgument(std::string(name) + ": " + std::to_string(bytes.size()) +
                                   " bytes, larger than the limit of " +
                                   std::to_string(options.max_bytes));
  }
  Encoding enc = options.encoding;
  auto starts = [&](std::string_view p) { return bytes.substr(0, p.size()) == p; };
  if (starts("\xEF\xBB\xBF") && (enc == Encoding::kUtf8 || enc == Encoding::kAuto)) {
    report->had_bom = true;
    bytes.remove_prefix(3);
    enc = Encoding::kUtf8;
  } else if ((starts("\xFF\xFE") || starts("\xFE\xFF")) &&
             (enc == Encoding::kAuto || enc == Encoding::kUtf16)) {
    report->had_bom = true;
    enc = Encoding::kUtf16;
  }

  if (enc == Encoding::kUtf8 || enc == Encoding::kAuto) {
    std::string out;
    std::optional<size_t> bad = CleanUtf8(bytes, &out, report);
    if (!bad) {
      report->used = Encoding::kUtf8;
      return out;
    }
    report->newlines_converted = report->nul_removed = report->controls_replaced = 0;
    if (enc == Encoding::kUtf8) {
      return Status::InvalidArgument(std::string(name) + ": invalid UTF-8 at byte " +
                                     std::to_string(*bad + (report->had_bom ? 3 : 0)) +
                                     " (try --encoding windows-1256 or --encoding auto)");
    }
    report->fallback_offset = *bad;
    enc = Encoding::kWindows1256;
  }
  const char* icu_name = enc == Encoding::kWindows1256 ? "windows-1256"
                         : enc == Encoding::kIso88596  ? "ISO-8859-6"
                                                       : "UTF-16";
  Result<std::string> r = ConvertWithIcu(bytes, icu_name, name);
  if (!r.ok()) return r.status();
  report->used = enc;
  std::string_view v = r.value();
  if (v.substr(0, 3) == "\xEF\xBB\xBF") v.remove_prefix(3);  // BOM carried through UTF-16
  std::string out;
  if (auto bad = CleanUtf8(v, &out, report)) {  // ICU produced invalid UTF-8: a bug
    return Status::Corruption(std::string(name) + ": converter produced invalid UTF-8 at byte " +
                              std::to_string(*bad));
  }
  return out;
}

}  // namespace rasid::text
