#include "rasid/analysis/stopwords.h"

#include <mutex>

#include "rasid/analysis/lexicon.h"
#include "rasid/analysis/normalizer.h"
#include "rasid/base/file.h"
#include "rasid/base/lines.h"
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
  ForEachLine(*data, [&](size_t, std::string_view line) {
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') list->words_.insert(norm.Normalize(line));
    return true;
  });
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
