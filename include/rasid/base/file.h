// Whole-file access. Errors name the path and the system's reason.
#ifndef RASID_BASE_FILE_H_
#define RASID_BASE_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "rasid/base/status.h"

namespace rasid {

// Reads the whole file at `path` ("-" means standard input). Fails with
// IOError (or NotFound) naming the path, or InvalidArgument when the file is
// larger than `max_bytes`.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = size_t{1} << 31);

// Reads all of `fd` until end of file.
Result<std::string> ReadFd(int fd, std::string_view name, size_t max_bytes = size_t{1} << 31);

}  // namespace rasid

#endif  // RASID_BASE_FILE_H_
