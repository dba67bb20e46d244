#include "rasid/analysis/stopwords.h"

#include <mutex>

#include "rasid/analysis/lexicon.h"
#include "rasid/analysis/normalizer.h"
#include "rasid/base/file.h"
#include "rasid/text/utf8.h"

namespace rasid::analysis {

Result<std::shared_ptr<const StopWords>> StopWords::Load(const std::string& path) {
  Result<std::string> data = ReadFile(path);
  if (!data.ok()) return data.status();
  if (auto bad = text::FindInvalidUtf8(data.value())) {
    return Status::Corruption(path + ": invalid UTF-8 at byte " + std::to_string(*bad));
  }
  Normalizer norm(NormalizeOptions::Analysis());
  auto list = std::make_shared<StopWords>();
  std::string_view rest = data.value();
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    list->words_.insert(norm.Normalize(line));
  }
  return std::shared_ptr<const StopWords>(list);
}

Result<std::shared_ptr<const StopWords>> StopWords::Default() {
  static std::mutex mu;
  static std::shared_ptr<const StopWords> cached;
  std::lock_guard<std::mutex> lock(mu);
  if (cached) return cached;
  Result<std::shared_ptr<const StopWords>> r = Load(DataDir() + "/stopwords.txt");
  if (r.ok()) cached = r.value();
  return r;
}

}  // namespace rasid::analysis
