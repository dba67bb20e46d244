#include "rasid/base/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rasid {

namespace {
Status ErrnoStatus(std::string_view name, int err) {
  std::string msg(name);
  msg += ": ";
  msg += std::strerror(err);
  if (err == ENOENT) return Status::NotFound(msg);
  return Status::IOError(msg);
}
}  // namespace

Result<std::string> ReadFd(int fd, std::string_view name, size_t max_bytes) {
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(name, errno);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      return Status::InvalidArgument(std::string(name) + ": larger than the limit of " +
                                     std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  if (path == "-") return ReadFd(0, "<stdin>", max_bytes);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  Result<std::string> r = ReadFd(fd, path, max_bytes);
  ::close(fd);
  return r;
}

}  // namespace rasid
