// The `pathwise` CLI's names for the shared command-line parser
// (cmdline/args.h), which pathwise-lab uses too.
#ifndef PATHWISE_CLIENT_CLI_ARGS_H_
#define PATHWISE_CLIENT_CLI_ARGS_H_

#include "cmdline/args.h"

namespace pathwise::cli {

using cmdline::Args;
using cmdline::FlagKind;
using cmdline::FlagSpec;
using cmdline::ParseDouble;
using cmdline::ParseDoubleList;
using cmdline::ParseKeyValue;
using cmdline::ParseUnsigned;
using cmdline::ParseWordList;
using cmdline::UsageError;

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_ARGS_H_
