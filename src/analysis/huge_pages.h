// Internal to the analysis module: transparent huge pages for big tables.
#ifndef RASID_SRC_ANALYSIS_HUGE_PAGES_H_
#define RASID_SRC_ANALYSIS_HUGE_PAGES_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace rasid::analysis {

constexpr size_t kHugePage = size_t{2} << 20;

// Asks the kernel to back the whole 2 MiB pages inside [p, p + bytes) with
// huge pages (Linux transparent huge pages in "madvise" mode); a hint, so
// failure is ignored. Call it before the memory is first touched. Why: a
// probe at a random place of a table of several MiB misses the TLB with
// 4 KiB pages, and the page walk costs about as much as the probe.
inline void AdviseHugePages(void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  auto begin = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
  auto end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace rasid::analysis

#endif  // RASID_SRC_ANALYSIS_HUGE_PAGES_H_
