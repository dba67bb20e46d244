// Grouping the mentions of a document into entities.
#include <algorithm>
#include <numeric>

#include "rasid/ner/ner.h"

namespace rasid::ner {

namespace {

// The words of a name for matching: alef forms, alef maqsura and ta marbuta
// folded, split on spaces.
std::vector<std::string> MatchWords(std::string_view name) {
  std::string folded;
  folded.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char b = static_cast<unsigned char>(name[i]);
    if (b == 0xD8 && i + 1 < name.size()) {
      unsigned char c = static_cast<unsigned char>(name[i + 1]);
      if (c == 0xA2 || c == 0xA3 || c == 0xA5) {  // ALEF WITH MADDA / HAMZA ABOVE / HAMZA BELOW
        folded += "\u0627";
        ++i;
        continue;
      }
      if (c == 0xA9) {  // TEH MARBUTA -> HEH
        folded += "\u0647";
        ++i;
        continue;
      }
    }
    if (b == 0xD9 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x89) {
      folded += "\u064A";  // ALEF MAQSURA -> YEH
      ++i;
      continue;
    }
    folded.push_back(static_cast<char>(b));
  }
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= folded.size()) {
    size_t sp = folded.find(' ', start);
    if (sp == std::string::npos) sp = folded.size();
    if (sp > start) words.push_back(folded.substr(start, sp - start));
    start = sp + 1;
  }
  return words;
}

bool ContainsRun(const std::vector<std::string>& whole, const std::vector<std::string>& part) {
  if (part.empty() || part.size() > whole.size()) return false;
  for (size_t i = 0; i + part.size() <= whole.size(); ++i) {
    if (std::equal(part.begin(), part.end(), whole.begin() + i)) return true;
  }
  return false;
}

}  // namespace

std::vector<Entity> GroupMentions(std::vector<Mention>* mentions) {
  std::vector<Mention>& ms = *mentions;
  std::vector<std::vector<std::string>> words(ms.size());
  for (size_t i = 0; i < ms.size(); ++i) words[i] = MatchWords(ms[i].name);
  std::vector<size_t> order(ms.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return words[a].size() > words[b].size(); });

  struct Group {
    EntityType type;
    size_t canonical;  // mention index
    std::vector<uint32_t> members;
  };
  std::vector<Group> groups;
  for (size_t m : order) {
    int best = -1;
    for (size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].type != ms[m].type || !ContainsRun(words[groups[g].canonical], words[m])) continue;
      if (best < 0 || groups[g].members.size() > groups[best].members.size()) best = static_cast<int>(g);
    }
    if (best < 0) {
      groups.push_back({ms[m].type, m, {}});
      best = static_cast<int>(groups.size() - 1);
    }
    groups[best].members.push_back(static_cast<uint32_t>(m));
  }
  for (Group& g : groups) std::sort(g.members.begin(), g.members.end());
  std::sort(groups.begin(), groups.end(),
            [](const Group& a, const Group& b) { return a.members.front() < b.members.front(); });
  std::vector<Entity> entities;
  entities.reserve(groups.size());
  for (Group& g : groups) {
    Entity e;
    e.type = g.type;
    e.name = ms[g.canonical].name;
    e.mentions = std::move(g.members);
    for (uint32_t m : e.mentions) ms[m].entity = static_cast<int>(entities.size());
    entities.push_back(std::move(e));
  }
  return entities;
}

}  // namespace rasid::ner
