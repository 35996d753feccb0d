// The `pathwise` commands. Each takes the words after its name and returns
// the process exit code (exit_codes.h); a bad command line throws UsageError.
#ifndef PATHWISE_CLIENT_CLI_COMMANDS_H_
#define PATHWISE_CLIENT_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace pathwise::cli {

int SampleCommand(const std::vector<std::string>& args);
int HealthCommand(const std::vector<std::string>& args);
int SolveCommand(const std::vector<std::string>& args);
int EstimateCommand(const std::vector<std::string>& args);
int McmcCommand(const std::vector<std::string>& args);
int ModelsCommand(const std::vector<std::string>& args);
int MethodsCommand(const std::vector<std::string>& args);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_COMMANDS_H_
