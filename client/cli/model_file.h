// --model-file: a model, or a whole request, in the protobuf JSON form
// (field names as in solver.proto or their lowerCamelCase forms, enums by
// name, e.g. {"builtin": {"name": "ou", "params": {"theta": 2}}}).
#ifndef PATHWISE_CLIENT_CLI_MODEL_FILE_H_
#define PATHWISE_CLIENT_CLI_MODEL_FILE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// What a model file holds: a pathwise.v1.Model or a pathwise.v1.SolveRequest.
struct ModelFile {
  std::optional<v1::Model> model;
  std::optional<v1::SolveRequest> request;
};

// A JSON object whose top level has "builtin", "expression" or "langevin" is
// read as a Model, any other object as a SolveRequest. Unknown fields are
// errors. INVALID_ARGUMENT with the parser's message (naming the field) when
// the text is not such a message.
absl::StatusOr<ModelFile> ParseModelJson(const std::string& json);

// Reads and parses the file; throws UsageError "--model-file: PATH: ...".
ModelFile LoadModelFile(const std::string& path);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_MODEL_FILE_H_
