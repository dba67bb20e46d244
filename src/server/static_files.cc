#include "static_files.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>

namespace rasid::server {

namespace {

std::optional<std::string> RealPath(const std::string& p) {
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf) == nullptr) return std::nullopt;
  return std::string(buf);
}

bool PlainPath(std::string_view p) {
  if (p.empty() || p[0] != '/' || p.size() > 1024) return false;
  for (char c : p) {
    if (c == '\0' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  size_t i = 1;
  while (i <= p.size()) {
    size_t slash = p.find('/', i);
    if (slash == std::string_view::npos) slash = p.size();
    std::string_view seg = p.substr(i, slash - i);
    if (seg.empty() || seg[0] == '.') return false;  // "//", ".", "..", hidden files
    i = slash + 1;
  }
  return true;
}

}  // namespace

std::optional<std::string> CanonicalDir(const std::string& dir) {
  auto r = RealPath(dir);
  struct stat st;
  if (!r || ::stat(r->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return std::nullopt;
  return r;
}

std::optional<std::string> ResolveStaticPath(const std::string& root, std::string_view url_path) {
  std::string p(url_path == "/" ? std::string_view("/index.html") : url_path);
  if (!PlainPath(p)) return std::nullopt;
  auto real = RealPath(root + p);
  if (!real || real->size() <= root.size() + 1 || real->compare(0, root.size(), root) != 0 ||
      (*real)[root.size()] != '/') {
    return std::nullopt;
  }
  struct stat st;
  if (::stat(real->c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return real;
}

std::string ContentTypeFor(std::string_view path) {
  size_t dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json") return "application/json; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "ttf") return "font/ttf";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt" || ext == "md") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace rasid::server
