#include "rasid/analysis/lexicon.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "analysis/huge_pages.h"
#include "rasid/base/file.h"
#include "rasid/base/lines.h"

namespace rasid::analysis {

uint64_t HashBytes(std::string_view s) {
  // FNV-1a over 8-byte words, then a final mix: fast for short Arabic words.
  uint64_t h = 0xcbf29ce484222325ULL ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  for (; i < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 0x100000001b3ULL;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  h ^= h >> 32;
  return h;
}

Lexicon::Lexicon(const std::vector<std::pair<std::string, uint32_t>>& counts,
                 const std::vector<std::string>& protected_words) {
  size_t cap = 16;
  while (cap < (counts.size() + protected_words.size()) * 2) cap <<= 1;
  slots_.reserve(cap);
  AdviseHugePages(slots_.data(), cap * sizeof(Slot));
  slots_.resize(cap);
  tags_.assign(cap, 0);
  for (const auto& [w, c] : counts) Insert(w, c, false);
  for (const auto& w : protected_words) Insert(w, 0, true);
}

void Lexicon::Insert(std::string_view word, uint32_t count, bool is_protected) {
  if (word.empty() || word.size() > 0xFFFF) return;
  uint64_t h = HashBytes(word);
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.length == 0) {
      tags_[i] = Tag(h);
      s.hash = h;
      s.offset = static_cast<uint32_t>(keys_.size());
      s.length = static_cast<uint16_t>(word.size());
      s.count = count;
      s.is_protected = is_protected;
      keys_.append(word);
      ++size_;
      return;
    }
    if (s.hash == h && std::string_view(keys_).substr(s.offset, s.length) == word) {
      s.count += count;
      s.is_protected |= is_protected;
      return;
    }
  }
}

const Lexicon::Slot* Lexicon::Find(std::string_view word) const {
  if (word.empty()) return nullptr;
  uint64_t h = HashBytes(word);
  size_t mask = slots_.size() - 1;
  const uint8_t tag = Tag(h);
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint8_t t = tags_[i];
    if (t == 0) return nullptr;
    if (t != tag) continue;
    const Slot& s = slots_[i];
    if (s.hash == h && s.length == word.size() &&
        std::memcmp(keys_.data() + s.offset, word.data(), word.size()) == 0)
      return &s;
  }
}

uint32_t Lexicon::Count(std::string_view word) const {
  const Slot* s = Find(word);
  return s ? s->count : 0;
}

bool Lexicon::IsProtected(std::string_view word) const {
  const Slot* s = Find(word);
  return s && s->is_protected;
}

namespace {

// Splits a text file into trimmed lines, skipping blanks and '#' comments;
// calls fn(line_number, line) and stops at the first error it returns.
template <typename Fn>
Status ForEachDataLine(const std::string& path, Fn fn) {
  Result<std::string> data = ReadFile(path);
  if (!data.ok()) return data.status();
  Status st;
  ForEachLine(*data, [&](size_t line_no, std::string_view line) {
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') return true;
    st = fn(line_no, line);
    return st.ok();
  });
  return st;
}

}  // namespace

Result<std::shared_ptr<const Lexicon>> Lexicon::Load(const std::string& dir) {
  std::vector<std::pair<std::string, uint32_t>> counts;
  std::string lex_path = dir + "/lexicon.tsv";
  Status st = ForEachDataLine(lex_path, [&](size_t line_no, std::string_view line) {
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) {
      return Status::Corruption(lex_path + ":" + std::to_string(line_no) + ": expected WORD<TAB>COUNT");
    }
    uint64_t c = 0;
    for (char ch : line.substr(tab + 1)) {
      if (ch < '0' || ch > '9' || c > 0xFFFFFFFFu) {
        return Status::Corruption(lex_path + ":" + std::to_string(line_no) + ": bad count");
      }
      c = c * 10 + static_cast<uint64_t>(ch - '0');
    }
    counts.emplace_back(std::string(line.substr(0, tab)), static_cast<uint32_t>(std::min<uint64_t>(c, 0xFFFFFFFFu)));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::vector<std::string> protected_words;
  st = ForEachDataLine(dir + "/protected.txt", [&](size_t, std::string_view line) {
    protected_words.emplace_back(line);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return std::shared_ptr<const Lexicon>(std::make_shared<Lexicon>(counts, protected_words));
}

Result<std::shared_ptr<const Lexicon>> Lexicon::Default() {
  static std::mutex mu;
  static std::shared_ptr<const Lexicon> cached;
  std::lock_guard<std::mutex> lock(mu);
  if (cached) return cached;
  Result<std::shared_ptr<const Lexicon>> r = Load(DataDir());
  if (r.ok()) cached = r.value();
  return r;
}

std::string DataDir() {
  if (const char* env = std::getenv("RASID_DATA_DIR"); env != nullptr && *env != '\0') return env;
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    std::string exe(buf, static_cast<size_t>(n));
    std::string dir = exe.substr(0, exe.rfind('/'));
    for (std::string cand : {dir + "/data", dir + "/../data", dir + "/../share/rasid"}) {
      if (::access((cand + "/lexicon.tsv").c_str(), R_OK) == 0) return cand;
    }
  }
  return RASID_SOURCE_DATA_DIR;
}

}  // namespace rasid::analysis
