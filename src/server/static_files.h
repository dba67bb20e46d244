// Serving the web page: which file a URL path names, and its content type.
#ifndef RASID_SERVER_STATIC_FILES_H_
#define RASID_SERVER_STATIC_FILES_H_

#include <optional>
#include <string>
#include <string_view>

namespace rasid::server {

// The file under `root` (a canonical path, see CanonicalDir) that the
// decoded URL path `url_path` names: "/" is "/index.html". nullopt when the
// path is not a plain one (a segment "..", "." or starting with a dot, a
// backslash, a NUL, an empty segment), when the file is not a regular file,
// or when its real path (symbolic links followed) is not under `root`.
std::optional<std::string> ResolveStaticPath(const std::string& root, std::string_view url_path);

// The real path of a directory, nullopt if it is none.
std::optional<std::string> CanonicalDir(const std::string& dir);

// "text/html; charset=utf-8" etc. by extension; application/octet-stream
// for the rest.
std::string ContentTypeFor(std::string_view path);

}  // namespace rasid::server

#endif  // RASID_SERVER_STATIC_FILES_H_
