// rasid analyze [--json] [--level search|display] [--encoding E] [FILE...]
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "rasid/analysis/analyzer.h"
#include "rasid/base/file.h"
#include "rasid/text/decode.h"

namespace rasid::cli {

namespace {

struct AnalyzeArgs {
  std::vector<std::string> files;
  bool json = false;
  std::string level = "search";
  std::string encoding = "utf-8";
  bool no_roots = false;
  bool no_punct = false;
  bool drop_stopwords = false;
  size_t max_bytes = size_t{256} << 20;
};

void PrintToken(const analysis::AnalyzedToken& t, std::string_view text, bool json, std::string* out) {
  std::string_view surface = text.substr(t.token.start, t.token.end - t.token.start);
  if (json) {
    nlohmann::ordered_json j = {
        {"text", surface},       {"norm", t.norm()},       {"stem", t.stem()},
        {"root", t.root()},        {"start", t.token.start}, {"end", t.token.end},
        {"kind", analysis::TokenKindName(t.token.kind)}, {"sentence", t.token.sentence},
    };
    if (!t.proclitics().empty()) j["proclitics"] = t.proclitics();
    if (!t.enclitic().empty()) j["enclitic"] = t.enclitic();
    if (t.stopword) j["stopword"] = true;
    *out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    auto field = [&](std::string_view f) {
      out->append(f.empty() ? std::string_view("-") : f);
      out->push_back('\t');
    };
    field(surface);
    field(t.norm());
    field(t.stem());
    field(t.root());
    *out += std::to_string(t.token.start) + "\t" + std::to_string(t.token.end) + "\t" +
            analysis::TokenKindName(t.token.kind) + "\t" + std::to_string(t.token.sentence);
  }
  out->push_back('\n');
}

Status RunAnalyze(const AnalyzeArgs& args) {
  analysis::AnalyzerOptions options;
  if (args.level == "display") {
    options.normalize = analysis::NormalizeOptions::Display();
  } else if (args.level != "search") {
    return Status::InvalidArgument("--level must be 'search' or 'display', not '" + args.level + "'");
  }
  options.roots = !args.no_roots;
  options.punctuation = !args.no_punct;
  options.drop_stopwords = args.drop_stopwords;
  Result<text::Encoding> enc = text::ParseEncoding(args.encoding);
  if (!enc.ok()) return enc.status();
  Result<std::unique_ptr<analysis::Analyzer>> analyzer = analysis::Analyzer::Create(options);
  if (!analyzer.ok()) return analyzer.status();

  std::vector<std::string> files = args.files;
  if (files.empty()) files.push_back("-");
  Status first_error;
  size_t failed = 0;
  std::vector<analysis::AnalyzedToken> tokens;
  for (const std::string& file : files) {
    std::string name = file == "-" ? "<stdin>" : file;
    Result<std::string> bytes = ReadFile(file, args.max_bytes);
    Status st = bytes.status();
    text::DecodeReport report;
    Result<std::string> decoded = Status::IOError("unread");
    if (bytes.ok()) {
      text::DecodeOptions dopts;
      dopts.encoding = enc.value();
      dopts.max_bytes = args.max_bytes;
      decoded = text::Decode(bytes.value(), name, dopts, &report);
      st = decoded.status();
    }
    if (!decoded.ok()) {
      std::fprintf(stderr, "rasid analyze: %s\n", st.message().c_str());
      if (first_error.ok()) first_error = st;
      ++failed;
      continue;
    }
    if (report.fallback_offset) {
      std::fprintf(stderr, "rasid analyze: %s: invalid UTF-8 at byte %zu, decoded as windows-1256\n",
                   name.c_str(), *report.fallback_offset);
    }
    if (report.nul_removed || report.controls_replaced) {
      std::fprintf(stderr, "rasid analyze: %s: removed %zu NUL bytes, replaced %zu control characters\n",
                   name.c_str(), report.nul_removed, report.controls_replaced);
    }
    const std::string& text = decoded.value();
    (*analyzer)->Analyze(text, &tokens);
    std::string out;
    for (const auto& t : tokens) {
      PrintToken(t, text, args.json, &out);
      if (out.size() > (1 << 16)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  if (std::fflush(stdout) != 0) return Status::IOError("cannot write to standard output");
  if (!first_error.ok()) {
    return first_error.WithMessage(std::to_string(failed) + " of " + std::to_string(files.size()) +
                                   " inputs could not be analysed");
  }
  return Status::Ok();
}

}  // namespace

Runner RegisterAnalyze(CLI::App* app) {
  auto args = std::make_shared<AnalyzeArgs>();
  app->add_option("FILE", args->files, "Input files (UTF-8 text; '-' or none: standard input)");
  app->add_flag("--json", args->json,
                "One JSON object per token: text, norm, stem, root, start, end, kind, sentence");
  app->add_option("--level", args->level, "Normalisation level of 'norm': search (default) or display");
  app->add_option("--encoding", args->encoding,
                  "Input encoding: utf-8 (default), windows-1256, iso-8859-6, utf-16, auto");
  app->add_flag("--no-roots", args->no_roots, "Do not compute roots");
  app->add_flag("--no-punct", args->no_punct, "Leave out punctuation and symbol tokens");
  app->add_flag("--drop-stopwords", args->drop_stopwords, "Leave out stop words");
  app->add_option("--max-bytes", args->max_bytes, "Largest input accepted, in bytes (default 256 MiB)");
  app->footer(
      "Without --json each token is a line: text, norm, stem, root, start, end, kind, sentence\n"
      "(tab-separated; '-' for an empty field). start/end are byte offsets into the decoded text.\n"
      "Exit codes: 0 ok, 2 bad input, 3 file not found, 5 I/O error.");
  return [args] { return RunAnalyze(*args); };
}

}  // namespace rasid::cli
