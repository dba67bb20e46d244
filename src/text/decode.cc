#include "rasid/text/decode.h"

#include <unicode/ucnv.h>

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

// Applies the newline, NUL and control rules to valid UTF-8.
std::string Clean(std::string_view utf8, DecodeReport* report) {
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  const size_t n = utf8.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c >= 0x20 && c != 0x7F && c != 0xC2) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (c == 0xC2) {  // U+0080..U+00BF; C1 controls are U+0080..U+009F
      unsigned char c1 = static_cast<unsigned char>(utf8[i + 1]);
      if (c1 < 0xA0) {
        out.push_back(' ');
        ++report->controls_replaced;
      } else {
        out.push_back(static_cast<char>(c));
        out.push_back(static_cast<char>(c1));
      }
      i += 2;
      continue;
    }
    ++i;
    if (c == '\r') {
      out.push_back('\n');
      ++report->newlines_converted;
      if (i < n && utf8[i] == '\n') ++i;
    } else if (c == '\0') {
      ++report->nul_removed;
    } else if (c == '\t' || c == '\n' || c == '\v' || c == '\f') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(' ');
      ++report->controls_replaced;
    }
  }
  return out;
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

  std::string converted;
  if (enc == Encoding::kUtf8 || enc == Encoding::kAuto) {
    std::optional<size_t> bad = FindInvalidUtf8(bytes);
    if (!bad) {
      report->used = Encoding::kUtf8;
      return Clean(bytes, report);
    }
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
  return Clean(v, report);
}

}  // namespace rasid::text
