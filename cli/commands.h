// Sub-commands of the rasid command line. Each registers its options on the
// CLI11 app and returns a runner; only main() turns a Status into an exit code.
#ifndef RASID_CLI_COMMANDS_H_
#define RASID_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <functional>

#include "rasid/base/status.h"

namespace rasid::cli {

using Runner = std::function<Status()>;

Runner RegisterAnalyze(CLI::App* app);
Runner RegisterIngest(CLI::App* app);
Runner RegisterSearch(CLI::App* app);
Runner RegisterGet(CLI::App* app);
Runner RegisterStats(CLI::App* app);
Runner RegisterEntities(CLI::App* app);
Runner RegisterNer(CLI::App* app);
Runner RegisterTrainNer(CLI::App* app);
Runner RegisterExtract(CLI::App* app);
Runner RegisterServe(CLI::App* app);

}  // namespace rasid::cli

#endif  // RASID_CLI_COMMANDS_H_
