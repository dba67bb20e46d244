// rasid: the command line. Sub-commands live in *_command.cc.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"rasid: search, read and count Arabic news"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("rasid 0.1.0"));
  std::vector<std::pair<CLI::App*, rasid::cli::Runner>> commands;
  auto add = [&](const char* name, const char* help, rasid::cli::Runner (*reg)(CLI::App*)) {
    CLI::App* sub = app.add_subcommand(name, help);
    commands.emplace_back(sub, reg(sub));
  };
  add("analyze", "Tokenize and analyse Arabic text (tokens, norms, stems, roots)", rasid::cli::RegisterAnalyze);
  add("ingest", "Add articles (JSONL, text files, folders, .gz, stdin) to an index", rasid::cli::RegisterIngest);
  add("search", "Search an index", rasid::cli::RegisterSearch);
  add("get", "Print a stored article as JSON", rasid::cli::RegisterGet);
  add("stats", "Describe an index", rasid::cli::RegisterStats);
  add("entities", "The most mentioned people, organisations and places (of an index or a query)",
      rasid::cli::RegisterEntities);
  add("ner", "Find people, organisations and places (and quotations) in text", rasid::cli::RegisterNer);
  add("train-ner", "Train the named-entity model from the labelled corpora", rasid::cli::RegisterTrainNer);
  add("extract", "Extract numbers, quantities, money, percentages, ordinals, dates and times", rasid::cli::RegisterExtract);
  add("serve", "Serve the JSON API and the web page over an index", rasid::cli::RegisterServe);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& [sub, run] : commands) {
    if (!sub->parsed()) continue;
    rasid::Status st = run();
    if (!st.ok()) {
      std::fprintf(stderr, "rasid %s: %s\n", sub->get_name().c_str(), st.message().c_str());
      return rasid::ExitCodeFor(st);
    }
  }
  return 0;
}
