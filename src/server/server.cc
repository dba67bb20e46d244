#include "rasid/server/server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "api.h"
#include "gate.h"
#include "index_view.h"
#include "metrics.h"
#include "rasid/base/file.h"
#include "static_files.h"

namespace rasid::server {

namespace {

// Security headers of every page and answer: no sniffing, no framing, and a
// policy that runs only the page's own script (so even an unescaped
// <img onerror=...> in an article could not run).
void SecurityHeaders(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                 "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
}

void Reply(httplib::Response& res, const ApiResponse& a) {
  res.status = a.status;
  res.set_content(a.body, a.content_type.c_str());
  res.set_header("Cache-Control", "no-store");
  for (const auto& [k, v] : a.headers) res.set_header(k.c_str(), v);
  SecurityHeaders(res);
}

// The metrics label of a path: one of a fixed few, so that clients cannot
// grow the set of series.
const char* RouteOf(const std::string& path) {
  static constexpr const char* kRoutes[] = {"/api/search", "/api/timeline", "/api/entities", "/api/ingest",
                                            "/api/health"};
  for (const char* r : kRoutes) {
    if (path == r) return r;
  }
  if (path.rfind("/api/doc/", 0) == 0) return "/api/doc";
  if (path == "/metrics") return "/metrics";
  if (path.rfind("/api/", 0) == 0 || path == "/api") return "/api/other";
  return "static";
}

bool ConstantTimeEqual(std::string_view given, std::string_view token) {
  if (token.empty()) return false;
  unsigned char diff = given.size() != token.size();
  for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ token[i % token.size()]);
  return diff == 0;
}

thread_local std::chrono::steady_clock::time_point t_request_start;

// cpp-httplib 0.11 listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG,
// fixed when Debian built the library): 64 clients connecting at once would
// see SYNs dropped and retried a second or three later. Listening again on
// the same socket raises the backlog; the socket is found among the open
// descriptors by its port.
void RaiseListenBacklog(int port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (dirent* e = ::readdir(dir)) {
    int fd = std::atoi(e->d_name);
    if (fd <= 2 || fd == ::dirfd(dir)) continue;
    int listening = 0;
    socklen_t len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_storage addr;
    socklen_t alen = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
    int p = addr.ss_family == AF_INET    ? ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port)
            : addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                         : -1;
    if (p == port) ::listen(fd, SOMAXCONN);
  }
  ::closedir(dir);
}

}  // namespace

std::string StaticDir() {
  if (const char* env = std::getenv("RASID_WEB_DIR"); env != nullptr && *env != '\0') return env;
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    std::string exe(buf, static_cast<size_t>(n));
    std::string dir = exe.substr(0, exe.rfind('/'));
    for (std::string cand : {dir + "/web", dir + "/../web", dir + "/../share/rasid/web"}) {
      if (::access((cand + "/index.html").c_str(), R_OK) == 0) return cand;
    }
  }
  return RASID_SOURCE_WEB_DIR;
}

struct Server::Impl {
  ServerOptions opt;
  std::string static_root;
  std::unique_ptr<IndexView> view;
  Metrics metrics;
  std::unique_ptr<Gate> gate;
  std::unique_ptr<Api> api;
  httplib::Server http;
  int port = -1;
  std::atomic<bool> stopping{false};
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  void Routes();
  void Configure();
  template <typename F>
  void Heavy(httplib::Response& res, F fn) {
    GateSlot slot(gate.get());
    if (slot.outcome() != Gate::Outcome::kAdmitted) {
      ApiResponse busy = ErrorResponse(503, slot.outcome() == Gate::Outcome::kQueueFull
                                                ? "server busy: too many requests at once; try again shortly"
                                                : "server busy: waited too long for a free slot; try again shortly");
      busy.headers.emplace_back("Retry-After", "1");
      Reply(res, busy);
      return;
    }
    Reply(res, fn());
  }
  void Ingest(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& content);
  void Static(const httplib::Request& req, httplib::Response& res);
  std::string RenderMetrics();
};

void Server::Impl::Configure() {
  size_t threads = static_cast<size_t>(std::max(1, opt.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(opt.max_body_bytes);
  http.set_keep_alive_max_count(100);
  http.set_keep_alive_timeout(5);
  http.set_read_timeout(30);
  http.set_write_timeout(30);
  http.set_tcp_nodelay(true);
  // SO_REUSEADDR (a restart need not wait for TIME_WAIT) but not httplib's
  // default SO_REUSEPORT, with which a second server on the same port would
  // start without a word and take half of the connections.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_request_start = std::chrono::steady_clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    double s = 0;
    if (t_request_start.time_since_epoch().count() != 0) {
      s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_request_start).count();
      t_request_start = {};
    }
    metrics.Record(RouteOf(req.path), res.status, s);
    if (opt.access_log) {
      std::fprintf(stderr, "%s %s %d %.2f ms\n", req.method.c_str(), req.path.c_str(), res.status, s * 1e3);
    }
  });
  // Errors that httplib answers itself (413, 414, 400 ...) get a JSON body too.
  size_t max_body = opt.max_body_bytes;
  http.set_error_handler(httplib::Server::HandlerWithResponse([max_body](const httplib::Request&,
                                                                          httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string msg;
    switch (res.status) {
      case 413: msg = "body too large: the limit is " + std::to_string(max_body) + " bytes"; break;
      case 414: msg = "request line too long"; break;
      case 404: msg = "not found"; break;
      case 405: msg = "method not allowed"; break;
      case 400: msg = "bad request"; break;
      default: msg = "error " + std::to_string(res.status);
    }
    Reply(res, ErrorResponse(res.status, msg));
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = std::string("internal error: ") + e.what();
    } catch (...) {
    }
    Reply(res, ErrorResponse(500, what));
  });
}

void Server::Impl::Routes() {
  using httplib::Request;
  using httplib::Response;
  http.Get("/api/search", [this](const Request& req, Response& res) {
    Heavy(res, [&] { return api->Search(req.params); });
  });
  http.Get(R"(/api/doc/(.+))", [this](const Request& req, Response& res) {
    std::string id = req.matches[1].str();
    Heavy(res, [&] { return api->Document(id, req.params); });
  });
  http.Get("/api/timeline", [this](const Request& req, Response& res) {
    Heavy(res, [&] { return api->Timeline(req.params); });
  });
  http.Get("/api/entities", [this](const Request& req, Response& res) {
    Heavy(res, [&] { return api->Entities(req.params); });
  });
  http.Get("/api/health", [this](const Request&, Response& res) { Reply(res, api->Health()); });
  http.Get("/metrics", [this](const Request&, Response& res) {
    ApiResponse m;
    m.body = RenderMetrics();
    m.content_type = "text/plain; version=0.0.4; charset=utf-8";
    Reply(res, m);
  });
  http.Post("/api/ingest", [this](const Request& req, Response& res, const httplib::ContentReader& content) {
    Ingest(req, res, content);
  });
  http.Get("/api/ingest", [](const Request&, Response& res) {
    ApiResponse r = ErrorResponse(405, "use POST with a JSONL body");
    r.headers.emplace_back("Allow", "POST");
    Reply(res, r);
  });
  auto no_api = [](const Request& req, Response& res) {
    Reply(res, ErrorResponse(404, "no such endpoint: " + req.method + " " + req.path + " (see docs/api.md)"));
  };
  http.Post(R"(/.*)", no_api);
  http.Put(R"(/.*)", no_api);
  http.Delete(R"(/.*)", no_api);
  http.Get(R"(/.*)", [this](const Request& req, Response& res) { Static(req, res); });
}

void Server::Impl::Ingest(const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& content) {
  // The token is checked before the body is read.
  if (opt.write_token.empty()) {
    Reply(res, ErrorResponse(403, "ingest is disabled: start rasid serve with --write-token TOKEN"));
    return;
  }
  std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) != 0) {
    ApiResponse r = ErrorResponse(401, "missing token: send the header 'Authorization: Bearer TOKEN'");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"rasid\"");
    Reply(res, r);
    return;
  }
  if (!ConstantTimeEqual(std::string_view(auth).substr(7), opt.write_token)) {
    Reply(res, ErrorResponse(403, "wrong token"));
    return;
  }
  if (req.is_multipart_form_data()) {
    Reply(res, ErrorResponse(415, "send the JSONL as the request body, not as a form"));
    return;
  }
  auto too_large = [&] {
    Reply(res, ErrorResponse(413, "body too large: the limit is " + std::to_string(opt.max_body_bytes) + " bytes"));
  };
  if (req.has_header("Content-Length") &&
      std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) > opt.max_body_bytes) {
    too_large();
    return;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "rasid-ingest-XXXXXX.jsonl").string();
  int fd = ::mkstemps(tmpl.data(), 6);
  if (fd < 0) {
    Reply(res, ErrorResponse(500, "cannot create a temporary file for the body"));
    return;
  }
  size_t written = 0;
  bool too_big = false, io_error = false;
  bool read = content([&](const char* data, size_t n) {
    written += n;
    if (written > opt.max_body_bytes) {
      too_big = true;
      return false;
    }
    while (n > 0) {
      ssize_t w = ::write(fd, data, n);
      if (w <= 0) {
        io_error = true;
        return false;
      }
      data += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  });
  ::close(fd);
  if (too_big) {
    too_large();
  } else if (io_error) {
    Reply(res, ErrorResponse(500, "cannot write the body to a temporary file"));
  } else if (!read) {
    Reply(res, ErrorResponse(400, "could not read the request body"));
  } else {
    Reply(res, api->IngestFile(tmpl));
  }
  ::unlink(tmpl.c_str());
}

void Server::Impl::Static(const httplib::Request& req, httplib::Response& res) {
  if (req.path == "/api" || req.path.rfind("/api/", 0) == 0) {
    Reply(res, ErrorResponse(404, "no such endpoint: " + req.path + " (see docs/api.md)"));
    return;
  }
  auto file = ResolveStaticPath(static_root, req.path);
  if (!file) {
    Reply(res, ErrorResponse(404, "not found"));
    return;
  }
  auto data = ReadFile(*file);
  if (!data.ok()) {
    Reply(res, ErrorResponse(404, "not found"));
    return;
  }
  res.status = 200;
  res.set_content(std::move(data).value(), ContentTypeFor(*file).c_str());
  bool font = file->find("/fonts/") != std::string::npos;
  res.set_header("Cache-Control", font ? "public, max-age=604800" : "no-cache");
  SecurityHeaders(res);
}

std::string Server::Impl::RenderMetrics() {
  auto reader = view->Current();
  const auto& s = reader->stats();
  Gauges g;
  g.documents = s.documents;
  g.segments = s.segments;
  g.index_bytes = s.bytes;
  g.generation = s.generation;
  g.reopens = view->reopens();
  g.active = gate->active();
  g.waiting = gate->waiting();
  g.rejected = gate->rejected();
  g.uptime_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return metrics.Render(g);
}

Server::Server() : impl_(new Impl) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const std::string& index_dir, const ServerOptions& options) {
  ::signal(SIGPIPE, SIG_IGN);  // a client that goes away must not end the process
  std::unique_ptr<Server> s(new Server);
  Impl& m = *s->impl_;
  m.opt = options;
  auto view = IndexView::Open(index_dir, std::chrono::milliseconds(std::max(0, options.reopen_interval_ms)));
  if (!view.ok()) return view.status();
  m.view = std::move(view).value();
  std::string dir = options.static_dir.empty() ? StaticDir() : options.static_dir;
  auto root = CanonicalDir(dir);
  if (!root || ::access((*root + "/index.html").c_str(), R_OK) != 0) {
    return Status::NotFound("no web page in " + dir + " (index.html missing); give --static DIR");
  }
  m.static_root = *root;
  int active = options.max_active > 0 ? options.max_active
                                      : 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  m.gate = std::make_unique<Gate>(active, options.max_waiting, std::chrono::milliseconds(options.wait_ms));
  ApiLimits limits;
  limits.max_query_bytes = options.max_query_bytes;
  limits.max_k = options.max_k;
  limits.max_window = options.max_window;
  limits.ingest_threads = options.ingest_threads;
  m.api = std::make_unique<Api>(m.view.get(), &m.metrics, limits);
  m.Configure();
  m.Routes();
  return s;
}

Status Server::Bind() {
  Impl& m = *impl_;
  if (m.opt.port == 0) {
    m.port = m.http.bind_to_any_port(m.opt.host);
  } else {
    m.port = m.http.bind_to_port(m.opt.host, m.opt.port) ? m.opt.port : -1;
  }
  if (m.port <= 0) {
    return Status::IOError("cannot listen on " + m.opt.host + ":" + std::to_string(m.opt.port) +
                           " (address in use or not valid)");
  }
  RaiseListenBacklog(m.port);
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

Status Server::Run() {
  if (impl_->port <= 0) RASID_RETURN_IF_ERROR(Bind());
  if (impl_->stopping) return Status::Ok();
  bool ok = impl_->http.listen_after_bind();
  if (!ok && !impl_->stopping) return Status::IOError("the server stopped accepting connections");
  return Status::Ok();
}

void Server::Stop() {
  impl_->stopping = true;
  impl_->http.stop();
}

const std::string& Server::static_dir() const { return impl_->static_root; }

uint64_t Server::documents() const { return impl_->view->Current()->stats().documents; }

}  // namespace rasid::server
