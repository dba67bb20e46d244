#include "extract/words.h"

#include <cstring>

namespace rasid::extract {

namespace {

constexpr WordEntry kWords[] = {
#include "extract/words.inc"
};

}  // namespace

bool WordEntry::Has(char flag) const { return std::strchr(flags, flag) != nullptr; }

WordTable::WordTable(const analysis::Normalizer& normalizer) : first_pairs_(1 << 16, 0) {
  for (const WordEntry& e : kWords) {
    std::string key;
    std::string_view phrase(e.phrase);
    int words = 0;
    std::string first;
    while (!phrase.empty()) {
      size_t sp = phrase.find(' ');
      std::string_view w = phrase.substr(0, sp);
      std::string nw = normalizer.Normalize(w);
      if (words == 0) first = nw;
      if (!key.empty()) key += ' ';
      key += nw;
      ++words;
      phrase = sp == std::string_view::npos ? std::string_view() : phrase.substr(sp + 1);
    }
    entries_[key].push_back(&e);
    int& max = heads_[first];
    if (words > max) max = words;
    if (first.size() >= 2) first_pairs_[Pair(first)] = 1;
  }
}

std::span<const WordEntry* const> WordTable::Find(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return {};
  return std::span<const WordEntry* const>(it->second.data(), it->second.size());
}

int WordTable::MaxWords(std::string_view first_word) const {
  auto it = heads_.find(first_word);
  return it == heads_.end() ? 0 : it->second;
}

}  // namespace rasid::extract
