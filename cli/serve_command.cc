// rasid serve: the JSON API and the web page (src/server, docs/api.md).
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <thread>

#include "commands.h"
#include "rasid/server/server.h"

namespace rasid::cli {

namespace {

struct ServeArgs {
  std::string index;
  server::ServerOptions options;
  size_t max_body_mb = 64;
};

Status RunServe(ServeArgs a) {
  a.options.max_body_bytes = a.max_body_mb << 20;
  // SIGINT and SIGTERM are taken by one thread with sigwait, so that the
  // server is stopped from a normal thread (httplib's stop() is not
  // async-signal-safe). Blocked before the server's threads exist, so they
  // inherit the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto srv = server::Server::Create(a.index, a.options);
  if (!srv.ok()) return srv.status();
  server::Server& s = **srv;
  RASID_RETURN_IF_ERROR(s.Bind());
  std::string host = a.options.host.find(':') != std::string::npos ? "[" + a.options.host + "]" : a.options.host;
  std::printf("rasid serve: http://%s:%d/  (index %s, %llu documents; web page from %s%s)\n", host.c_str(), s.port(),
              a.index.c_str(), static_cast<unsigned long long>(s.documents()), s.static_dir().c_str(),
              a.options.write_token.empty() ? "" : "; POST /api/ingest open with the write token");
  std::fflush(stdout);
  std::atomic<bool> done{false};
  std::thread waiter([&] {
    bool asked = false;
    while (!done) {
      timespec wait{0, 100 * 1000 * 1000};
      int sig = sigtimedwait(&set, nullptr, &wait);
      if (sig > 0 && !asked) {
        std::fprintf(stderr, "rasid serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        asked = true;
      }
      if (asked) s.Stop();  // again until Run returns, in case it had not started listening
    }
  });
  Status st = s.Run();
  done = true;
  waiter.join();
  if (st.ok()) std::fprintf(stderr, "rasid serve: stopped\n");
  return st;
}

}  // namespace

Runner RegisterServe(CLI::App* app) {
  auto a = std::make_shared<ServeArgs>();
  server::ServerOptions& o = a->options;
  app->add_option("INDEX", a->index, "Index directory (made with rasid ingest)")->required();
  app->add_option("--host", o.host, "Address to listen on (default 127.0.0.1: this machine only)");
  app->add_option("--port", o.port, "Port (default 8080; 0: any free port, printed)");
  app->add_option("--write-token", o.write_token,
                  "Token that opens POST /api/ingest (Authorization: Bearer TOKEN); without it ingest is refused");
  app->add_option("--threads", o.threads, "HTTP threads: connections served at once (default 128)");
  app->add_option("--static", o.static_dir, "Folder of the web page (default: web/ beside the binary or the source)");
  app->add_option("--max-body-mb", a->max_body_mb, "Largest request body, MB (default 64)");
  app->add_option("--max-active", o.max_active, "Searches running at once (default: twice the cores)");
  app->add_option("--max-waiting", o.max_waiting, "Searches waiting for a slot before 503 (default 256)");
  app->add_option("--ingest-threads", o.ingest_threads, "Analysis threads of POST /api/ingest (default 1)");
  app->add_flag("--access-log", o.access_log, "One line per request on stderr");
  return [a] { return RunServe(*a); };
}

}  // namespace rasid::cli
