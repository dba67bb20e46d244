#include "rasid/engine/readers.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "rasid/text/utf8.h"

namespace rasid::engine {

namespace {

namespace fs = std::filesystem;
namespace od = simdjson::ondemand;
using index::Document;

// ---------------------------------------------------------------------------
// Whitespace and letters

// Byte length of the blank code point starting at s[i] (ASCII white space,
// U+00A0 NO-BREAK SPACE, the zero-width and bidi marks U+200B..U+200F,
// U+202A..U+202E, U+2066..U+2069, U+FEFF), or 0.
size_t BlankAt(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  unsigned char c = p[i];
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && i + 1 < n && p[i + 1] == 0xA0) return 2;
  if (c == 0xE2 && i + 2 < n && p[i + 1] == 0x80) {
    unsigned char d = p[i + 2];
    if ((d >= 0x8B && d <= 0x8F) || (d >= 0xAA && d <= 0xAE)) return 3;
  }
  if (c == 0xE2 && i + 2 < n && p[i + 1] == 0x81 && p[i + 2] >= 0xA6 && p[i + 2] <= 0xA9) return 3;
  if (c == 0xEF && i + 2 < n && p[i + 1] == 0xBB && p[i + 2] == 0xBF) return 3;
  return 0;
}

// Byte length of the blank code point ending just before s[end), or 0.
size_t BlankBefore(std::string_view s, size_t end) {
  for (size_t len = 1; len <= 3 && len <= end; ++len) {
    if (BlankAt(s, end - len) == len) return len;
  }
  return 0;
}

// End of `s[0, end)` without its trailing blanks.
size_t TrimEnd(std::string_view s, size_t end) {
  while (end > 0) {
    size_t len = BlankBefore(s, end);
    if (len == 0) break;
    end -= len;
  }
  return end;
}

std::string_view TrimBlanks(std::string_view s) {
  size_t b = 0;
  while (b < s.size()) {
    size_t len = BlankAt(s, b);
    if (len == 0) break;
    b += len;
  }
  return s.substr(b, TrimEnd(s, s.size()) - b);
}

bool IsBlank(std::string_view s) { return TrimBlanks(s).empty(); }

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Arabic letters (not marks or digits) of the Arabic block.
bool IsArabicLetter(char32_t cp) {
  return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x066F) || (cp >= 0x0671 && cp <= 0x06D3) ||
         cp == 0x06D5 || (cp >= 0x06FA && cp <= 0x06FF);
}

// True when a word continues at s[i] (a letter), so a phrase ending just
// before it is only part of a longer word.
bool WordContinuesAt(std::string_view s, size_t i) {
  if (i >= s.size()) return false;
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return IsAsciiAlnum(c);
  int len;
  std::optional<char32_t> cp = text::DecodeChecked(s, i, &len);
  return cp && IsArabicLetter(*cp);
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    unsigned char a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(prefix[i]);
    if (a >= 'A' && a <= 'Z') a = static_cast<unsigned char>(a + 32);
    if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + 32);
    if (a != b) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Trailing boilerplate
//
// What the last lines of articles look like in the corpora (a scan of the last
// four lines of every article in ../shared/data and of the reference article):
//   - reference/article-ar-001.txt ends with a line «رابط دائم:» (permalink) and nothing after it.
//   - BBC Arabic (ANT v2.1, 684 articles), often after a line of dashes:
//     «يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم المحمول.»
//     and the same with «تسلم» for «استلام».
//   - AlArabiya opinion pieces (370): «* نقلا عن "الحياة" اللندنية» then
//     «** جميع المقالات المنشورة تمثل رأي كتابها فقط.»; 10 with «**حقوق النشر محفوظة لمجلة القافلة، أرامكو
//     السعودية».
//   - CNN Arabic: a last line «اقرأ أيضاً: <headline of another article>»; France24: «للمزيد: <headline>»
//     and the credit line «فرانس24/ أ ف ب» (about 90 articles, also «فرانس 24/ أ ف ب/ رويترز»).
//   - SaudiNewsNet, alweeam (2,088 articles): «... رابط الخبر بصحيفة الوئام: <headline>» at the end of the
//     last line, after the last sentence.
//   - SaudiNewsNet, aawsat (115): a last line «...المزيد» ("more..."); also «للمزيد من المعلومات: www...».
//   - SaudiNewsNet, almadina (230): «<e-mail>للتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (N) ثم مسافة ثم نص
//     الرسالة إلى 88591 - Stc 635031 - Mobily 737221 - Zain», on one line or split over five lines;
//     okaz (~70): «للتواصل أرسل sms إلى 88548 الاتصالات ...».
// The same words inside an article («اقرأ أيضا:» between paragraphs, «شارك الداعية ... في الهاشتاغات»,
// «وقال المصدر: ...») are text: only a block of such lines at the very end is cut, and a line counts only
// when it starts with the phrase and what follows fits the phrase (see Rest).

// What may follow a phrase on its line.
enum class Rest {
  kAny,    // a link, a headline or the rest of a notice: up to kMaxRestAny bytes
  kLabel,  // a link label: nothing, links, or ": anything" (up to kMaxRestAny bytes)
  kShort,  // a credit or source name: up to kMaxRestShort bytes
  kLinks,  // nothing but links, handles, network names and punctuation
};
constexpr size_t kMaxRestAny = 320;
constexpr size_t kMaxRestShort = 64;
constexpr size_t kMaxInlineRest = 400;

struct Marker {
  std::string_view phrase;
  Rest rest;
};

constexpr Marker kLineMarkers[] = {
    {"رابط دائم", Rest::kLabel},  // permalink
    {"الرابط الدائم", Rest::kLabel},
    {"رابط مختصر", Rest::kLabel},  // short link
    {"الرابط المختصر", Rest::kLabel},
    {"رابط الخبر", Rest::kLabel},  // link of the story
    {"رابط المقال", Rest::kLabel},
    {"اقرأ أيضا", Rest::kAny},  // read also (also matches أيضاً)
    {"إقرأ أيضا", Rest::kAny},
    {"اقرأ ايضا", Rest::kAny},
    {"اقرأ المزيد", Rest::kAny},  // read more
    {"اقرأ..", Rest::kAny},       // CNN «اقرأ.. <headline>»
    {"اقرأ:", Rest::kAny},
    {"إقرأ المزيد", Rest::kAny},
    {"للمزيد:", Rest::kAny},  // for more: <headline>
    {"للمزيد :", Rest::kAny},
    {"للمزيد -", Rest::kAny},
    {"للمزيد من المعلومات", Rest::kAny},
    {"يمكنكم استلام إشعارات", Rest::kAny},  // BBC app notice
    {"يمكنكم تسلم إشعارات", Rest::kAny},
    {"جميع المقالات المنشورة تمثل رأي", Rest::kAny},  // AlArabiya opinion disclaimer
    {"حقوق النشر محفوظة", Rest::kAny},                // copyright
    {"جميع الحقوق محفوظة", Rest::kAny},
    {"حقوق نشر كافة الصور", Rest::kAny},  // BBC «حقوق نشر كافة الصور محفوظة.»
    {"جميع الصور تنتمي إلى أصحاب حقوق", Rest::kAny},
    {"للتواصل مع الكاتب", Rest::kAny},  // contact the writer (almadina)
    {"للتواصل أرسل", Rest::kAny},       // okaz
    {"للتواصل ارسل", Rest::kAny},
    {"للتواصل", Rest::kShort},    // okaz «للتواصل (( فاكس 6721108 ))»
    {"تبدأ بالرمز", Rest::kAny},  // second line of the almadina SMS notice
    {"Read more", Rest::kAny},
    {"Read also", Rest::kAny},
    {"Permalink", Rest::kLabel},
    {"Short link", Rest::kLabel},
    {"المصدر:", Rest::kShort},  // source: only with a short name after it
    {"المصدر :", Rest::kShort},
    {"المصدر (", Rest::kShort},
    {"نقلا عن", Rest::kShort},  // reprinted from
    {"نقلاً عن", Rest::kShort},
    {"فرانس24", Rest::kShort},  // France24 credit line
    {"فرانس 24", Rest::kShort},
    {"Source:", Rest::kShort},
    {"شارك هذا المقال", Rest::kLinks},  // share this article
    {"شارك المقال", Rest::kLinks},
    {"شارك الخبر", Rest::kLinks},
    {"شارك", Rest::kLinks},
    {"تابعونا على", Rest::kLinks},  // follow us on
    {"تابعونا", Rest::kLinks},
    {"المزيد", Rest::kLinks},  // more (aawsat «...المزيد»)
    {"Share this", Rest::kLinks},
    {"Share", Rest::kLinks},
    {"Follow us", Rest::kLinks},
};

// Notices also recognised at the end of a line, glued to the last sentence
// or to an e-mail address; specific enough not to occur in prose.
constexpr std::string_view kInlineMarkers[] = {"رابط الخبر بصحيفة", "للتواصل مع الكاتب ارسل رسالة"};

// Phrases recognised at the end of a line only right after a sentence:
// 3alyoum's tag list «... الطب. سمات تبوك جامعة» (1,652 articles),
// JawharaFM's «... المصدر (العربية)», a permalink after the last sentence.
struct TailMarker {
  std::string_view phrase;
  size_t max_rest;
  bool links;  // what follows is links only (else: words without punctuation)
};
constexpr TailMarker kTailMarkers[] = {
    {"سمات", 300, false},
    {"المصدر:", kMaxRestShort, false},
    {"المصدر :", kMaxRestShort, false},
    {"المصدر (", kMaxRestShort, false},
    {"رابط دائم", kMaxRestAny, true},  // «رابط دائم بين البلدين» ("a lasting bond") is text
    {"الرابط الدائم", kMaxRestAny, true},
    {"رابط مختصر", kMaxRestAny, true},
    {"الرابط المختصر", kMaxRestAny, true},
};

// Words that may stand beside links in a share or follow line.
constexpr std::string_view kLinkWords[] = {
    "تويتر",    "فيسبوك",  "فيس",      "بوك",      "فايسبوك",   "جوجل",     "بلس",      "واتساب",     "واتس",
    "اب",       "آب",      "تلغرام",   "تيليجرام", "إنستغرام",  "انستغرام", "انستقرام", "يوتيوب",     "لينكد",
    "إن",       "سناب",    "شات",      "على",      "عبر",       "في",       "من",       "خلال",       "هذا",
    "المقال",   "الخبر",   "الموضوع",  "مع",       "أصدقائك",   "اصدقائك",  "البريد",   "الإلكتروني", "طباعة",
    "facebook", "twitter", "whatsapp", "telegram", "instagram", "youtube",  "linkedin", "google",     "email",
    "e-mail",   "print",   "on",       "via",      "this",      "article",  "stc",      "mobily",     "zain",
};

bool IsPunctByte(unsigned char c) { return c < 0x80 && !IsAsciiAlnum(c) && c != '@' && c != '_'; }

// Strips leading/trailing ASCII punctuation and the Arabic comma, question
// mark and semicolon (U+060C, U+061F, U+061B) from a token.
std::string_view StripPunct(std::string_view t) {
  auto arabic_punct = [](std::string_view s, size_t i) {
    return s.size() >= i + 2 && s[i] == '\xD8' &&
           (s[i + 1] == '\x8C' || s[i + 1] == '\x9F' || s[i + 1] == '\x9B');
  };
  for (;;) {
    if (!t.empty() && IsPunctByte(static_cast<unsigned char>(t.front()))) {
      t.remove_prefix(1);
    } else if (arabic_punct(t, 0)) {
      t.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!t.empty() && IsPunctByte(static_cast<unsigned char>(t.back()))) {
      t.remove_suffix(1);
    } else if (t.size() >= 2 && arabic_punct(t, t.size() - 2)) {
      t.remove_suffix(2);
    } else {
      break;
    }
  }
  return t;
}

// How much a token of a trailing line says: kContact tokens (e-mail
// addresses, @handles, "تويتر:") may sit above a boilerplate line and go with
// it; kLink tokens (URLs, numbers, network names) only below it.
enum class TokenClass { kContact, kLink, kWord };

TokenClass ClassifyToken(std::string_view t) {
  t = StripPunct(t);
  if (t.empty() || t.find('@') != std::string_view::npos) return TokenClass::kContact;
  static constexpr std::string_view kContactWords[] = {"تويتر", "twitter", "t", "e-mail", "email"};
  for (std::string_view w : kContactWords) {
    if (t.size() == w.size() && StartsWithNoCase(t, w)) return TokenClass::kContact;
  }
  if (StartsWithNoCase(t, "http://") || StartsWithNoCase(t, "https://") || StartsWithNoCase(t, "www.")) {
    return TokenClass::kLink;
  }
  if (std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) return TokenClass::kLink;
  if (t.substr(0, 2) == "و" && t.size() > 2) t.remove_prefix(2);  // و "and" glued to the word
  for (std::string_view w : kLinkWords) {
    if (t.size() == w.size() && StartsWithNoCase(t, w)) return TokenClass::kLink;
  }
  return TokenClass::kWord;
}

// The widest class of the tokens of `s`: kContact when all are contacts or
// punctuation, kLink when all are contacts or links, else kWord.
TokenClass ClassifyTokens(std::string_view s) {
  TokenClass widest = TokenClass::kContact;
  size_t i = 0;
  while (i < s.size()) {
    size_t len = BlankAt(s, i);
    if (len) {
      i += len;
      continue;
    }
    size_t j = i;
    while (j < s.size() && BlankAt(s, j) == 0) ++j;
    TokenClass c = ClassifyToken(s.substr(i, j - i));
    if (c == TokenClass::kWord) return c;
    if (c == TokenClass::kLink) widest = c;
    i = j;
  }
  return widest;
}

bool IsLinksOnly(std::string_view s) { return ClassifyTokens(s) != TokenClass::kWord; }

// Removes bullets, asterisks, dashes, dots and blanks at the start of a line.
std::string_view StripLeadingDecoration(std::string_view s) {
  static constexpr std::string_view kMarks[] = {"*",
                                                "-",
                                                ".",
                                                "|",
                                                ">",
                                                "#",
                                                "\xE2\x80\x93" /* – */,
                                                "\xE2\x80\x94" /* — */,
                                                "\xE2\x80\xA2" /* • */,
                                                "\xE2\x80\xA6" /* … */};
  for (bool again = true; again && !s.empty();) {
    again = false;
    if (size_t len = BlankAt(s, 0)) {
      s.remove_prefix(len);
      again = true;
      continue;
    }
    for (std::string_view m : kMarks) {
      if (s.substr(0, m.size()) == m) {
        s.remove_prefix(m.size());
        again = true;
        break;
      }
    }
  }
  return s;
}

// False for phrases that end in punctuation («المصدر (», «اقرأ..»), after
// which a word may follow directly.
bool EndsInLetter(std::string_view phrase) {
  unsigned char last = static_cast<unsigned char>(phrase.back());
  return last >= 0x80 || IsAsciiAlnum(last);
}

bool RestFits(std::string_view rest, Rest kind) {
  rest = TrimBlanks(rest);
  switch (kind) {
    case Rest::kAny:
      return rest.size() <= kMaxRestAny;
    case Rest::kLabel:
      return rest.size() <= kMaxRestAny &&
             (rest.empty() || rest.front() == ':' || rest.back() == ':' || IsLinksOnly(rest));
    case Rest::kShort:
      return rest.size() <= kMaxRestShort;
    case Rest::kLinks:
      return IsLinksOnly(rest);
  }
  return false;
}

enum class LineKind {
  kContent,
  kBoilerplate,
  kContact,  // a rule of dashes, an e-mail address, a handle: goes with a boilerplate line below it
  kLinks,    // URLs, numbers, network names: go with a boilerplate line above them
};

LineKind ClassifyLine(std::string_view line) {
  std::string_view s = StripLeadingDecoration(TrimBlanks(line));
  if (s.empty()) return LineKind::kContact;
  for (const Marker& m : kLineMarkers) {
    if (!StartsWithNoCase(s, m.phrase)) continue;
    if (EndsInLetter(m.phrase) && WordContinuesAt(s, m.phrase.size())) continue;
    if (RestFits(s.substr(m.phrase.size()), m.rest)) return LineKind::kBoilerplate;
  }
  switch (ClassifyTokens(s)) {
    case TokenClass::kContact:
      return LineKind::kContact;
    case TokenClass::kLink:
      return LineKind::kLinks;
    case TokenClass::kWord:
      break;
  }
  return LineKind::kContent;
}

// True when a sentence ends just before s[i] (blanks, then . ! ? ؟ or a
// closing quote or parenthesis).
bool SentenceEndsBefore(std::string_view s, size_t i) {
  size_t e = TrimEnd(s, i);
  if (e == i || e == 0) return false;
  static constexpr std::string_view kEnds[] = {
      ".", "!", "?", ")", "\"", "\xD8\x9F" /* ؟ */, "\xC2\xBB" /* » */, "\xE2\x80\x9D" /* ” */};
  for (std::string_view end : kEnds) {
    if (e >= end.size() && s.substr(e - end.size(), end.size()) == end) return true;
  }
  return false;
}

bool HasSentencePunct(std::string_view s) {
  static constexpr std::string_view kPunct[] = {
      ".", "!", "?", ",", ";", "\xD8\x8C" /* ، */, "\xD8\x9B" /* ؛ */, "\xD8\x9F" /* ؟ */};
  for (std::string_view p : kPunct) {
    if (s.find(p) != std::string_view::npos) return true;
  }
  return false;
}

// True when a word may start at s[i]: after a blank, after ASCII (as in
// "name@mail.comللتواصل") or at the start.
bool WordStartsAt(std::string_view s, size_t i) {
  if (i == 0) return true;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  if (p[i - 1] < 0x80) return true;
  if (i >= 2 && p[i - 1] == 0xA0 && p[i - 2] == 0xC2) return true;  // NO-BREAK SPACE
  return i >= 3 && p[i - 3] >= 0xE2 && BlankAt(s, i - 3) == 3;      // zero-width and bidi marks
}

bool StartsAt(std::string_view s, size_t i, std::string_view phrase) {
  return s.size() - i >= phrase.size() && s[i + 1] == phrase[1] && s[i] == phrase[0] &&
         std::memcmp(s.data() + i, phrase.data(), phrase.size()) == 0;
}

// Offset of the first in-line or tail marker near the end of `line`, or
// npos. One pass over the last bytes, looking only where a word starts
// (after a blank or after ASCII, as in "name@mail.comللتواصل").
size_t FindInlineMarker(std::string_view line) {
  constexpr size_t kWindow = kMaxInlineRest + 64;  // longer than any phrase and its rest
  const size_t n = line.size();
  for (size_t i = n > kWindow ? n - kWindow : 0; i + 1 < n; ++i) {
    // Every phrase starts with an Arabic letter.
    if (static_cast<unsigned char>(line[i]) < 0x80 || !WordStartsAt(line, i)) continue;
    for (std::string_view m : kInlineMarkers) {
      if (n - i <= kMaxInlineRest + m.size() && StartsAt(line, i, m) &&
          !WordContinuesAt(line, i + m.size())) {
        return i;
      }
    }
    for (const TailMarker& m : kTailMarkers) {
      if (n - i > m.max_rest + m.phrase.size() || !StartsAt(line, i, m.phrase)) continue;
      if (EndsInLetter(m.phrase) && WordContinuesAt(line, i + m.phrase.size())) continue;
      std::string_view rest = line.substr(i + m.phrase.size());
      bool fits = m.links ? IsLinksOnly(rest) : !HasSentencePunct(rest);
      if (fits && SentenceEndsBefore(line, i)) return i;
    }
  }
  return std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Input bytes: files, stdin, gzip

std::string ErrnoMessage(int err) { return std::strerror(err); }

Status ErrnoStatus(std::string_view name, int err) {
  std::string msg = std::string(name) + ": " + ErrnoMessage(err);
  if (err == ENOENT) return Status::NotFound(msg);
  return Status::IOError(msg);
}

// A stream of bytes. Error messages do not name the file; callers add the
// file (and line).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `out`; 0 at the end of the input.
  virtual Result<size_t> Read(char* out, size_t n) = 0;
};

// A file descriptor, with a small look-ahead for the gzip magic bytes. Adds
// every byte read to *counter.
class FileSource : public ByteSource {
 public:
  FileSource(int fd, bool owned, uint64_t* counter) : fd_(fd), owned_(owned), counter_(counter) {}
  ~FileSource() override {
    if (owned_) ::close(fd_);
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  // The first `n` bytes (fewer at the end of the input), without consuming them.
  Result<std::string_view> Peek(size_t n) {
    while (head_.size() < n) {
      char buf[16];
      Result<size_t> got = ReadFd(buf, std::min(sizeof buf, n - head_.size()));
      if (!got.ok()) return got.status();
      if (*got == 0) break;
      head_.append(buf, *got);
    }
    return std::string_view(head_).substr(0, n);
  }

  Result<size_t> Read(char* out, size_t n) override {
    if (head_pos_ < head_.size()) {
      size_t k = std::min(n, head_.size() - head_pos_);
      std::memcpy(out, head_.data() + head_pos_, k);
      head_pos_ += k;
      return k;
    }
    return ReadFd(out, n);
  }

 private:
  Result<size_t> ReadFd(char* out, size_t n) {
    for (;;) {
      ssize_t got = ::read(fd_, out, n);
      if (got >= 0) {
        *counter_ += static_cast<uint64_t>(got);
        return static_cast<size_t>(got);
      }
      if (errno != EINTR) return Status::IOError(ErrnoMessage(errno));
    }
  }

  int fd_;
  bool owned_;
  uint64_t* counter_;
  std::string head_;
  size_t head_pos_ = 0;
};

// Gzip decompression of another source; several members are read one after
// the other, as gzip does.
class GzipSource : public ByteSource {
 public:
  explicit GzipSource(ByteSource* in) : in_(in), buf_(new char[kBufSize]) {
    std::memset(&zs_, 0, sizeof zs_);
    init_ = inflateInit2(&zs_, 15 + 16) == Z_OK;  // 15-bit window, gzip wrapper only
  }
  ~GzipSource() override {
    if (init_) inflateEnd(&zs_);
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Result<size_t> Read(char* out, size_t n) override {
    if (!init_) return Status::IOError("zlib could not be initialised");
    if (done_ || n == 0) return size_t{0};
    zs_.next_out = reinterpret_cast<Bytef*>(out);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const uInt want = zs_.avail_out;
    while (zs_.avail_out == want) {
      if (zs_.avail_in == 0 && !in_eof_) RASID_RETURN_IF_ERROR(FillInput());
      if (member_ended_) {
        if (zs_.avail_in == 0 && in_eof_) {
          done_ = true;
          break;
        }
        if (zs_.next_in[0] != 0x1F) return Status::Corruption("unexpected bytes after the gzip data");
        inflateReset(&zs_);
        member_ended_ = false;
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_ended_ = true;
      } else if (rc == Z_BUF_ERROR) {
        if (zs_.avail_in == 0 && in_eof_) return Status::Corruption("truncated gzip data");
      } else if (rc != Z_OK) {
        return Status::Corruption(std::string("corrupt gzip data (") + (zs_.msg ? zs_.msg : zError(rc)) +
                                  ")");
      }
    }
    return static_cast<size_t>(want - zs_.avail_out);
  }

 private:
  static constexpr size_t kBufSize = size_t{1} << 18;

  Status FillInput() {
    Result<size_t> got = in_->Read(buf_.get(), kBufSize);
    if (!got.ok()) return got.status();
    if (*got == 0) in_eof_ = true;
    zs_.next_in = reinterpret_cast<Bytef*>(buf_.get());
    zs_.avail_in = static_cast<uInt>(*got);
    return Status::Ok();
  }

  ByteSource* in_;
  std::unique_ptr<char[]> buf_;
  z_stream zs_;
  bool init_ = false;
  bool in_eof_ = false;
  bool member_ended_ = false;
  bool done_ = false;
};

// An open input: the file and, when it starts with the gzip magic bytes, the
// decompressor on top of it.
struct OpenInput {
  std::unique_ptr<FileSource> file;
  std::unique_ptr<GzipSource> gzip;
  ByteSource* source() { return gzip ? static_cast<ByteSource*>(gzip.get()) : file.get(); }
};

Status OpenSource(const std::string& path, bool is_stdin, uint64_t* counter, OpenInput* out) {
  int fd = 0;
  if (!is_stdin) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(path, errno);
  }
  out->file = std::make_unique<FileSource>(fd, !is_stdin, counter);
  Result<std::string_view> magic = out->file->Peek(2);
  if (!magic.ok()) return magic.status().WithPrefix(path);
  if (*magic == "\x1F\x8B") out->gzip = std::make_unique<GzipSource>(out->file.get());
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// Lines

// Splits a source into lines through one large buffer. A line is handed out
// as a view followed by at least kPadding readable bytes (for simdjson).
class LineReader {
 public:
  static constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
  enum class Got { kLine, kTooLong, kEnd, kError };

  LineReader(ByteSource* source, size_t max_line) : source_(source), max_line_(max_line) {
    cap_ = std::clamp<size_t>(max_line_, size_t{1} << 12, size_t{1} << 20);
    buf_.reset(new char[cap_ + kPadding]());
  }

  // The next line without its '\n'. kTooLong: a line of max_line bytes or
  // more was skipped. kError: error() tells why; the line being read when it
  // happened is line_number() + 1.
  Got Next(std::string_view* line) {
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(buf_.get() + scan_, '\n', end_ - scan_));
      if (nl != nullptr) {
        size_t at = static_cast<size_t>(nl - buf_.get());
        *line = std::string_view(buf_.get() + begin_, at - begin_);
        begin_ = scan_ = at + 1;
        return Finish();
      }
      scan_ = end_;
      if (eof_) {
        if (begin_ == end_ && !skipping_) return Got::kEnd;
        *line = std::string_view(buf_.get() + begin_, end_ - begin_);
        begin_ = scan_ = end_;
        return Finish();
      }
      MakeRoom();
      Result<size_t> got = source_->Read(buf_.get() + end_, cap_ - end_);
      if (!got.ok()) {
        error_ = got.status();
        return Got::kError;
      }
      if (*got == 0) eof_ = true;
      end_ += *got;
    }
  }

  size_t line_number() const { return line_number_; }
  const Status& error() const { return error_; }

 private:
  Got Finish() {
    ++line_number_;
    if (skipping_) {
      skipping_ = false;
      return Got::kTooLong;
    }
    return Got::kLine;
  }

  // Frees space at the end of the buffer for the rest of the current line.
  void MakeRoom() {
    if (skipping_) {
      begin_ = scan_ = end_ = 0;
      return;
    }
    if (begin_ > 0) {
      std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ = end_;
      begin_ = 0;
    }
    if (end_ < cap_) return;
    if (cap_ >= max_line_) {  // the line is too long: drop what we have, skip to its end
      skipping_ = true;
      begin_ = scan_ = end_ = 0;
      return;
    }
    size_t cap = std::min(cap_ * 2, max_line_);
    std::unique_ptr<char[]> bigger(new char[cap + kPadding]());
    std::memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    cap_ = cap;
  }

  ByteSource* source_;
  size_t max_line_;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t begin_ = 0, scan_ = 0, end_ = 0;
  bool eof_ = false;
  bool skipping_ = false;
  size_t line_number_ = 0;
  Status error_;
};

// ---------------------------------------------------------------------------
// Documents

void ClearDocument(Document* doc) {
  doc->id.clear();
  doc->title.clear();
  doc->text.clear();
  doc->date.clear();
  doc->source.clear();
  doc->url.clear();
  doc->category.clear();
  doc->author.clear();
  doc->extra.clear();
  doc->indexed_text_bytes = static_cast<size_t>(-1);
}

// True when valid UTF-8 `s` holds something text::Decode changes: C0 controls
// other than TAB LF VT FF, DEL, C1 controls, or a leading byte order mark.
bool NeedsCleaning(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return true;
  // Eight bytes at a time: skip words without a byte below 0x20, a DEL or a
  // C2 (the lead byte of C1 controls, but also of NBSP and «»).
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  auto has_less = [&](uint64_t w, uint64_t b) { return ((w - b * kOnes) & ~w & kHighs) != 0; };
  auto has_byte = [&](uint64_t w, uint64_t b) { return has_less(w ^ (b * kOnes), 1); };
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!has_less(w, 0x20) && !has_byte(w, 0x7F) && !has_byte(w, 0xC2)) {
        i += 8;
        continue;
      }
    }
    for (size_t end = std::min(n, i + 8); i < end; ++i) {
      unsigned char c = p[i];
      if (c < 0x20) {
        if (c != '\t' && c != '\n' && c != '\v' && c != '\f') return true;
      } else if (c == 0x7F || (c == 0xC2 && i + 1 < n && p[i + 1] < 0xA0)) {
        return true;
      }
    }
  }
  return false;
}

// Stores a valid UTF-8 value, applying the newline, NUL and control rules of
// text::Decode when it needs them.
void SetText(std::string* out, std::string_view value) {
  if (NeedsCleaning(value)) {
    text::DecodeOptions o;
    o.max_bytes = value.size();
    Result<std::string> clean = text::Decode(value, "", o, nullptr);
    if (clean.ok()) {
      *out = std::move(clean).value();
      return;
    }
  }
  out->assign(value.data(), value.size());
}

// The checks every document passes, whatever its input. `where` is "file" or
// "file:line".
Status CheckDocument(const Document& doc, std::string_view where, size_t max_bytes) {
  if (doc.text.empty() && TrimBlanks(doc.title).empty()) {
    return Status::InvalidArgument(std::string(where) + ": missing \"text\"");
  }
  size_t size = doc.title.size() + doc.text.size();
  if (size > max_bytes) {
    return Status::InvalidArgument(std::string(where) + ": title and text are " + std::to_string(size) +
                                   " bytes, larger than the limit of " + std::to_string(max_bytes));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// JSON

enum class Field { kId, kTitle, kText, kDate, kSource, kUrl, kCategory, kAuthor, kOther };

Field FieldOf(std::string_view key) {
  switch (key.size()) {
    case 2:
      return key == "id" ? Field::kId : Field::kOther;
    case 3:
      return key == "url" ? Field::kUrl : Field::kOther;
    case 4:
      if (key == "text") return Field::kText;
      if (key == "date") return Field::kDate;
      return Field::kOther;
    case 5:
      return key == "title" ? Field::kTitle : Field::kOther;
    case 6:
      if (key == "source") return Field::kSource;
      if (key == "author") return Field::kAuthor;
      return Field::kOther;
    case 8:
      return key == "category" ? Field::kCategory : Field::kOther;
    default:
      return Field::kOther;
  }
}

std::string* FieldString(Document* doc, Field f) {
  switch (f) {
    case Field::kId:
      return &doc->id;
    case Field::kTitle:
      return &doc->title;
    case Field::kText:
      return &doc->text;
    case Field::kDate:
      return &doc->date;
    case Field::kSource:
      return &doc->source;
    case Field::kUrl:
      return &doc->url;
    case Field::kCategory:
      return &doc->category;
    case Field::kAuthor:
      return &doc->author;
    case Field::kOther:
      break;
  }
  return nullptr;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// -?(0|[1-9][0-9]*)
bool IsJsonInteger(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty() || !std::all_of(s.begin(), s.end(), IsDigit)) return false;
  return s.size() == 1 || s[0] != '0';
}

// The JSON number grammar.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  auto digits = [&] {
    size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Parses one JSONL line into a Document. Fast path: simdjson On-Demand, which
// keeps the exact text of unknown fields; what On-Demand does not check by
// itself (literals and numbers of unknown fields, nested values it skips,
// trailing bytes) is checked here, so that every line accepted is valid JSON.
class JsonParser {
 public:
  // `json` must be followed by LineReader::kPadding readable bytes. On a bad
  // record returns InvalidArgument whose message starts with `where()`.
  template <typename Where>
  Status Parse(std::string_view json, const Where& where, Document* doc) {
    ClearDocument(doc);
    od::document d;
    simdjson::error_code err =
        parser_.iterate(json.data(), json.size(), json.size() + LineReader::kPadding).get(d);
    if (err) return JsonError(err, json, where);
    od::object obj;
    err = d.get_object().get(obj);
    if (err == simdjson::INCORRECT_TYPE) return Bad(where, "not a JSON object");
    if (err) return JsonError(err, json, where);
    bool have_id = false;
    for (auto field_result : obj) {
      od::field field;
      if ((err = std::move(field_result).get(field))) return JsonError(err, json, where);
      std::string_view key;
      if ((err = field.unescaped_key().get(key))) return JsonError(err, json, where);
      Field f = FieldOf(key);
      od::value& value = field.value();
      if (f == Field::kOther) {
        RASID_RETURN_IF_ERROR(AddExtra(key, value, json, where, doc));
        continue;
      }
      if (f == Field::kId) have_id = true;
      std::string_view s;
      err = value.get_string().get(s);
      if (err == simdjson::INCORRECT_TYPE && f == Field::kId) {
        std::string_view raw = TrimJsonSpace(value.raw_json_token());
        if (!IsJsonInteger(raw)) return Bad(where, "\"id\" is not a string or an integer");
        doc->id.assign(raw.data(), raw.size());
        continue;
      }
      if (err == simdjson::INCORRECT_TYPE) return Bad(where, "\"" + std::string(key) + "\" is not a string");
      if (err) return JsonError(err, json, where);
      SetText(FieldString(doc, f), s);
    }
    if (d.current_location().error() != simdjson::OUT_OF_BOUNDS) {
      return Bad(where, "invalid JSON (unexpected content after the object)");
    }
    if (!have_id) return Bad(where, "missing \"id\"");
    if (TrimBlanks(doc->id).empty()) return Bad(where, "empty \"id\"");
    return Status::Ok();
  }

 private:
  template <typename Where>
  static Status Bad(const Where& where, std::string_view what) {
    return Status::InvalidArgument(where() + ": " + std::string(what));
  }

  template <typename Where>
  static Status JsonError(simdjson::error_code err, std::string_view json, const Where& where) {
    if (err == simdjson::UTF8_ERROR) {
      std::optional<size_t> at = text::FindInvalidUtf8(json);
      return Bad(where, "invalid UTF-8 at byte " + std::to_string(at.value_or(0)) +
                            " (try --encoding windows-1256 or --encoding auto)");
    }
    return Bad(where, std::string("invalid JSON (") + simdjson::error_message(err) + ")");
  }

  // Keeps an unknown field as (name, JSON text of its value), after checking
  // that the value is valid JSON.
  template <typename Where>
  Status AddExtra(std::string_view key, od::value& value, std::string_view json, const Where& where,
                  Document* doc) {
    od::json_type type;
    simdjson::error_code err = value.type().get(type);
    if (err) return JsonError(err, json, where);
    std::string_view raw;
    switch (type) {
      case od::json_type::string: {
        raw = TrimJsonSpace(value.raw_json_token());
        std::string_view unused;  // unescaping checks the escapes
        if ((err = value.get_string().get(unused))) return JsonError(err, json, where);
        break;
      }
      case od::json_type::number:
        raw = TrimJsonSpace(value.raw_json_token());
        if (!IsJsonNumber(raw)) return JsonError(simdjson::NUMBER_ERROR, json, where);
        break;
      case od::json_type::boolean:
      case od::json_type::null:
        raw = TrimJsonSpace(value.raw_json_token());
        if (raw != "true" && raw != "false" && raw != "null") {
          return JsonError(simdjson::T_ATOM_ERROR, json, where);
        }
        break;
      case od::json_type::object: {
        od::object o;
        if ((err = value.get_object().get(o)) || (err = o.raw_json().get(raw))) {
          return JsonError(err, json, where);
        }
        if ((err = ValidateNested(raw))) return JsonError(err, json, where);
        break;
      }
      case od::json_type::array: {
        od::array a;
        if ((err = value.get_array().get(a)) || (err = a.raw_json().get(raw))) {
          return JsonError(err, json, where);
        }
        if ((err = ValidateNested(raw))) return JsonError(err, json, where);
        break;
      }
    }
    doc->extra.emplace_back(std::string(key), std::string(TrimJsonSpace(raw)));
    return Status::Ok();
  }

  // Nested unknown values are rare: a full DOM parse checks them.
  simdjson::error_code ValidateNested(std::string_view raw) {
    simdjson::dom::element unused;
    return dom_.parse(raw.data(), raw.size(), /*realloc_if_needed=*/true).get(unused);
  }

  od::parser parser_;
  simdjson::dom::parser dom_;
};

// ---------------------------------------------------------------------------
// Plain-text articles

constexpr size_t kMaxTitleBytes = 200;

bool EndsWithPeriod(std::string_view s) {
  return (!s.empty() && s.back() == '.') ||
         (s.size() >= 2 && s.substr(s.size() - 2) == "\xDB\x94");  // U+06D4
}

// Splits decoded file text into title and text (see readers.h): a short
// first line of its own, followed by a blank line, is the title.
void SplitArticle(std::string_view all, Document* doc) {
  size_t nl = all.find('\n');
  if (nl != std::string_view::npos && nl < kMaxTitleBytes) {
    std::string_view first = TrimBlanks(all.substr(0, nl));
    size_t nl2 = all.find('\n', nl + 1);
    std::string_view second =
        all.substr(nl + 1, nl2 == std::string_view::npos ? std::string_view::npos : nl2 - nl - 1);
    if (!first.empty() && !EndsWithPeriod(first) && nl2 != std::string_view::npos && IsBlank(second)) {
      doc->title.assign(first.data(), first.size());
      all.remove_prefix(nl2 + 1);
    }
  }
  // Leading blank lines and trailing blanks are not part of the text.
  for (;;) {
    size_t e = all.find('\n');
    if (e == std::string_view::npos || !IsBlank(all.substr(0, e))) break;
    all.remove_prefix(e + 1);
  }
  if (IsBlank(all)) all = {};
  all = all.substr(0, TrimEnd(all, all.size()));
  doc->text.assign(all.data(), all.size());
}

// ---------------------------------------------------------------------------
// Inputs

enum class Kind { kJsonl, kText };

struct InputFile {
  std::string path;  // as given, or folder/relative
  std::string id;    // for text files
  Kind kind = Kind::kText;
  bool is_stdin = false;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// The kind of a file from its name; nullopt for names a folder walk skips.
std::optional<Kind> KindOfName(std::string_view name) {
  std::string n = Lower(name);
  if (n.size() > 3 && n.compare(n.size() - 3, 3, ".gz") == 0) n.resize(n.size() - 3);
  size_t dot = n.rfind('.');
  if (dot == std::string::npos || dot == 0) return Kind::kText;
  std::string_view ext = std::string_view(n).substr(dot + 1);
  if (ext == "jsonl" || ext == "json" || ext == "ndjson") return Kind::kJsonl;
  if (ext == "txt") return Kind::kText;
  return std::nullopt;
}

Status WalkFolder(const std::string& folder, std::vector<InputFile>* files, uint64_t* total,
                  uint64_t* skipped) {
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) return ErrnoStatus(folder, ec.value());
  std::vector<std::pair<std::string, InputFile>> found;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return ErrnoStatus(folder, ec.value());
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    std::error_code entry_ec;  // a broken link or a vanished file is not an error of the walk
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(entry_ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(entry_ec)) continue;
    std::optional<Kind> kind = KindOfName(name);
    if (!kind) {
      ++*skipped;
      continue;
    }
    std::string rel = p.lexically_relative(folder).generic_string();
    uintmax_t size = it->file_size(entry_ec);
    if (!entry_ec) *total += size;
    found.push_back({rel, InputFile{p.string(), rel, *kind, false}});
  }
  if (ec) return ErrnoStatus(folder, ec.value());
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& f : found) files->push_back(std::move(f.second));
  return Status::Ok();
}

class Reader : public DocumentReader {
 public:
  Reader(std::vector<InputFile> files, const ReaderOptions& options, uint64_t total, uint64_t skipped)
      : files_(std::move(files)), options_(options), total_(total) {
    stats_.skipped_files = skipped;
    // A JSON line may spell the same text with escapes (\uXXXX is 6 bytes for
    // 2 or 3) and carry other fields besides.
    max_line_ = options_.max_document_bytes > (SIZE_MAX - (size_t{1} << 16)) / 4
                    ? SIZE_MAX / 2
                    : options_.max_document_bytes * 4 + (size_t{1} << 16);
  }

  bool Next(Document* doc, const std::function<bool(const InputError&)>& on_error) override {
    while (!stopped_) {
      if (lines_ == nullptr) {
        if (next_file_ >= files_.size()) return false;
        const InputFile& in = files_[next_file_++];
        if (in.kind == Kind::kText) {
          if (ReadTextFile(in, doc, on_error)) return true;
          continue;
        }
        OpenJsonl(in, on_error);
        continue;
      }
      if (NextJsonl(doc, on_error)) return true;
    }
    return false;
  }

  Status status() const override { return status_; }
  const ReaderStats& stats() const override { return stats_; }
  uint64_t total_bytes() const override { return total_; }

 private:
  using OnError = std::function<bool(const InputError&)>;

  // Reports a bad record; false when reading must stop.
  bool Report(const std::string& file, size_t line, Status status, const OnError& on_error) {
    ++stats_.bad_records;
    InputError e{file, line, std::move(status)};
    if (!on_error || on_error(e)) return true;
    status_ = e.status;
    stopped_ = true;
    return false;
  }

  std::string NameOf(const InputFile& in) const { return in.is_stdin ? "<stdin>" : in.path; }

  bool ReadTextFile(const InputFile& in, Document* doc, const OnError& on_error) {
    const std::string name = NameOf(in);
    Status st = ReadTextArticle(in, name, doc);
    if (!st.ok()) {
      Report(name, 0, st, on_error);
      return false;
    }
    doc->indexed_text_bytes = IndexableLength(doc->text);
    ++stats_.documents;
    return true;
  }

  Status ReadTextArticle(const InputFile& in, const std::string& name, Document* doc) {
    ClearDocument(doc);
    if (text::FindInvalidUtf8(in.id)) {
      return Status::InvalidArgument(name + ": the file name is not valid UTF-8");
    }
    OpenInput input;
    RASID_RETURN_IF_ERROR(OpenSource(in.path, in.is_stdin, &stats_.bytes_read, &input));
    // Decoding a legacy encoding may triple the size: read up to that much.
    const size_t max = options_.max_document_bytes;
    const size_t raw_limit = max > SIZE_MAX / 4 ? SIZE_MAX / 2 : max * 3 + 16;
    std::string raw;
    for (;;) {
      size_t old = raw.size();
      size_t chunk = std::min<size_t>(size_t{1} << 20, raw_limit + 1 - old);
      raw.resize(old + chunk);
      Result<size_t> got = input.source()->Read(raw.data() + old, chunk);
      if (!got.ok()) return got.status().WithPrefix(name);
      raw.resize(old + *got);
      if (*got == 0) break;
      if (raw.size() > raw_limit) {
        return Status::InvalidArgument(name + ": more than " + std::to_string(raw_limit) +
                                       " bytes, larger than the limit of " + std::to_string(max));
      }
    }
    text::DecodeOptions dopt;
    dopt.encoding = options_.encoding;
    dopt.max_bytes = raw_limit;
    Result<std::string> decoded = text::Decode(raw, name, dopt, nullptr);
    if (!decoded.ok()) return decoded.status();
    SplitArticle(*decoded, doc);
    doc->id = in.id;
    return CheckDocument(*doc, name, max);
  }

  void OpenJsonl(const InputFile& in, const OnError& on_error) {
    file_name_ = NameOf(in);
    input_ = OpenInput();
    Status st = OpenSource(in.path, in.is_stdin, &stats_.bytes_read, &input_);
    if (!st.ok()) {
      Report(file_name_, 0, st, on_error);
      return;
    }
    lines_ = std::make_unique<LineReader>(input_.source(), max_line_);
  }

  void CloseJsonl() {
    lines_.reset();
    input_ = OpenInput();
  }

  // Reads lines of the current JSONL file until a good document (true), the
  // end of the file or a stop (false).
  bool NextJsonl(Document* doc, const OnError& on_error) {
    std::string_view line;
    for (;;) {
      LineReader::Got got = lines_->Next(&line);
      size_t n = lines_->line_number();
      auto where = [&] { return file_name_ + ":" + std::to_string(n); };
      switch (got) {
        case LineReader::Got::kEnd:
          CloseJsonl();
          return false;
        case LineReader::Got::kError: {
          n = lines_->line_number() + 1;  // the line being read
          Status st = lines_->error().WithPrefix(where());
          CloseJsonl();
          Report(file_name_, n, st, on_error);
          return false;
        }
        case LineReader::Got::kTooLong:
          if (!Report(file_name_, n,
                      Status::InvalidArgument(where() + ": line of " + std::to_string(max_line_) +
                                              " bytes or more, larger than the limit for one document"),
                      on_error)) {
            return false;
          }
          continue;
        case LineReader::Got::kLine:
          break;
      }
      Status st;
      switch (ParseLine(line, n, where, doc, &st)) {
        case LineOutcome::kDocument:
          doc->indexed_text_bytes = IndexableLength(doc->text);
          ++stats_.documents;
          return true;
        case LineOutcome::kBlank:
          continue;
        case LineOutcome::kBadRecord:
          if (!Report(file_name_, n, st, on_error)) return false;
          continue;
        case LineOutcome::kBadFile:
          CloseJsonl();
          Report(file_name_, 0, st, on_error);
          return false;
      }
    }
  }

  enum class LineOutcome { kDocument, kBlank, kBadRecord, kBadFile };

  bool IsLegacySingleByte() const {
    return options_.encoding == text::Encoding::kWindows1256 ||
           options_.encoding == text::Encoding::kIso88596;
  }

  // Parses line `n` into *doc; on a bad record or file sets *error.
  template <typename Where>
  LineOutcome ParseLine(std::string_view line, size_t n, const Where& where, Document* doc, Status* error) {
    if (n == 1) {
      std::string_view head = line.substr(0, 2);
      if (options_.encoding == text::Encoding::kUtf16 ||
          ((head == "\xFF\xFE" || head == "\xFE\xFF") && !IsLegacySingleByte())) {
        *error = Status::Unsupported(file_name_ + ": UTF-16 JSONL is not supported; convert it to UTF-8");
        return LineOutcome::kBadFile;
      }
    }
    // A byte order mark starts the file, or a file concatenated to it.
    if (line.substr(0, 3) == "\xEF\xBB\xBF" && !IsLegacySingleByte()) line.remove_prefix(3);
    if (IsJsonBlank(line)) return LineOutcome::kBlank;
    // A UTF-8 line goes to simdjson as it is: simdjson validates the UTF-8,
    // JSON has no raw control characters inside strings, and SetText applies
    // text::Decode's rules to the values. Other encodings decode the line.
    if (options_.encoding == text::Encoding::kUtf8) {
      *error = json_.Parse(line, where, doc);
    } else {
      text::DecodeOptions dopt;
      dopt.encoding = options_.encoding;
      dopt.max_bytes = max_line_;
      Result<std::string> decoded = text::Decode(line, where(), dopt, nullptr);
      if (!decoded.ok()) {
        *error = decoded.status();
        return LineOutcome::kBadRecord;
      }
      decoded->append(LineReader::kPadding, ' ');
      std::string_view json(decoded->data(), decoded->size() - LineReader::kPadding);
      *error = json_.Parse(json, where, doc);
    }
    if (error->ok()) *error = CheckDocument(*doc, where(), options_.max_document_bytes);
    return error->ok() ? LineOutcome::kDocument : LineOutcome::kBadRecord;
  }

  static bool IsJsonBlank(std::string_view line) {
    return std::all_of(line.begin(), line.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
  }

  std::vector<InputFile> files_;
  ReaderOptions options_;
  uint64_t total_ = 0;
  size_t max_line_ = 0;
  size_t next_file_ = 0;
  ReaderStats stats_;
  Status status_;
  bool stopped_ = false;

  // The JSONL file being read.
  std::string file_name_;
  OpenInput input_;
  std::unique_ptr<LineReader> lines_;
  JsonParser json_;
};

}  // namespace

size_t IndexableLength(std::string_view text) {
  // Walks up from the end over the trailing lines that are not content.
  // Lines below a boilerplate line go with it; above it only contact lines
  // and rules do (a URL or a list of numbers above it belongs to the text).
  size_t pos = text.size();    // lines from here on have been looked at
  size_t block = text.size();  // start of the boilerplate block
  bool found = false;          // the block holds a boilerplate line
  bool attach = false;         // a contact line here would join the block
  for (;;) {
    size_t end = TrimEnd(text, pos);
    if (end == 0) break;
    size_t start = text.rfind('\n', end - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    std::string_view line = text.substr(start, end - start);
    pos = start;
    LineKind kind = ClassifyLine(line);
    if (kind == LineKind::kContent) {
      size_t m = FindInlineMarker(line);
      if (m == std::string_view::npos) break;
      found = true;
      if (ClassifyLine(line.substr(0, m)) != LineKind::kContact) {  // "... sentence. رابط الخبر بصحيفة ..."
        block = start + m;
        break;
      }
      kind = LineKind::kBoilerplate;  // "name@mail.comللتواصل مع الكاتب ارسل رسالة ..."
    }
    switch (kind) {
      case LineKind::kBoilerplate:
        found = attach = true;
        block = start;
        break;
      case LineKind::kContact:
        if (attach) block = start;
        break;
      case LineKind::kLinks:
        if (found) attach = false;
        break;
      case LineKind::kContent:
        break;
    }
  }
  if (!found) return text.size();
  return TrimEnd(text, block);
}

Result<std::unique_ptr<DocumentReader>> DocumentReader::Open(const std::vector<std::string>& inputs,
                                                             const ReaderOptions& options) {
  std::vector<InputFile> files;
  uint64_t total = 0, skipped = 0;
  for (const std::string& input : inputs) {
    if (input == "-") {
      files.push_back(InputFile{"-", "", Kind::kJsonl, true});
      continue;
    }
    struct stat st;
    if (::stat(input.c_str(), &st) != 0) return ErrnoStatus(input, errno);
    if (S_ISDIR(st.st_mode)) {
      RASID_RETURN_IF_ERROR(WalkFolder(input, &files, &total, &skipped));
      continue;
    }
    int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(input, errno);
    ::close(fd);
    if (S_ISREG(st.st_mode)) total += static_cast<uint64_t>(st.st_size);
    std::string name = fs::path(input).filename().string();
    files.push_back(InputFile{input, input, KindOfName(name).value_or(Kind::kText), false});
  }
  return std::unique_ptr<DocumentReader>(new Reader(std::move(files), options, total, skipped));
}

}  // namespace rasid::engine
