// `rasid serve`: the JSON API (docs/api.md) and the web page over one index.
//
// The server reads the index through snapshots (IndexReader) that it reopens
// when a commit has replaced the manifest (checked at most once per
// reopen_interval_ms, and at once after its own ingest), so results follow
// an ingest made by the server or by `rasid ingest` beside it. Searches run
// on a pool of Searchers, one per request at a time. POST /api/ingest writes
// through engine::Ingest (one at a time; searches go on meanwhile).
//
// Heavy requests (search, timeline, document, entities) pass an admission
// gate: at most max_active run at once, at most max_waiting wait for a slot
// (and for at most wait_ms); beyond that the answer is 503 with Retry-After.
//
// Only files under the static folder are served (no "..", no hidden files,
// symbolic links that leave it refused).
//
// Thread safety: Stop() may be called from any thread (not from a signal
// handler); the other methods from the thread that created the Server.
// Creating a Server sets SIGPIPE to be ignored for the whole process.
#ifndef RASID_SERVER_SERVER_H_
#define RASID_SERVER_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "rasid/base/status.h"

namespace rasid::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                 // 0: a free port, see Server::port()
  std::string write_token;         // empty: POST /api/ingest is refused (403)
  int threads = 128;               // HTTP threads: connections served at once
  std::string static_dir;          // empty: StaticDir()
  size_t max_body_bytes = size_t{64} << 20;
  size_t max_query_bytes = 4096;
  size_t max_k = 100;              // results per page
  size_t max_window = 10000;       // offset + k
  int max_active = 0;              // heavy requests at once; 0: twice the cores
  int max_waiting = 256;           // heavy requests waiting for a slot
  int wait_ms = 10000;             // longest wait for a slot
  int reopen_interval_ms = 1000;   // how often to look for a new commit
  int ingest_threads = 1;          // analysis threads of POST /api/ingest
  bool access_log = false;         // one line per request on stderr
};

// The folder of the web page: $RASID_WEB_DIR, else web/ beside the binary
// or one level up, else ../share/rasid/web, else the source tree's web/.
std::string StaticDir();

class Server {
 public:
  // Opens the index at `index_dir` (which must exist: NotFound otherwise)
  // and checks the static folder (NotFound when it has no index.html).
  static Result<std::unique_ptr<Server>> Create(const std::string& index_dir, const ServerOptions& options);
  ~Server();

  // Binds host:port; IOError when it cannot (port in use, bad address).
  Status Bind();
  // The port bound (after Bind), e.g. when options.port was 0.
  int port() const;
  // Serves until Stop(). Ok after a clean stop.
  Status Run();
  // Stops Run(): no new connections, requests in flight finish.
  void Stop();

  const std::string& static_dir() const;
  uint64_t documents() const;  // live documents of the current snapshot

 private:
  struct Impl;
  Server();
  std::unique_ptr<Impl> impl_;
};

}  // namespace rasid::server

#endif  // RASID_SERVER_SERVER_H_
