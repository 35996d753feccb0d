#include "client/cli/model_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "client/cli/args.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace pathwise::cli {
namespace {

absl::Status ParseStrict(const std::string& json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (status.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("not a ", message->GetTypeName(), ": ", std::string(status.message())));
}

}  // namespace

absl::StatusOr<ModelFile> ParseModelJson(const std::string& json) {
  google::protobuf::Struct top;
  if (!google::protobuf::util::JsonStringToMessage(json, &top).ok()) {
    return absl::InvalidArgumentError("not a JSON object");
  }
  const auto& fields = top.fields();
  ModelFile file;
  if (fields.count("builtin") || fields.count("expression") || fields.count("langevin")) {
    file.model.emplace();
    if (absl::Status s = ParseStrict(json, &*file.model); !s.ok()) return s;
  } else {
    file.request.emplace();
    if (absl::Status s = ParseStrict(json, &*file.request); !s.ok()) return s;
  }
  return file;
}

ModelFile LoadModelFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError{"--model-file: cannot read '" + path + "'"};
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<ModelFile> file = ParseModelJson(text.str());
  if (!file.ok()) {
    throw UsageError{"--model-file: " + path + ": " + std::string(file.status().message())};
  }
  return *std::move(file);
}

}  // namespace pathwise::cli
