// pathwise models / pathwise methods: the catalog of SolverService.ListCapabilities.
#include <cmath>
#include <cstdio>

#include "absl/strings/str_split.h"
#include "client/cli/args.h"
#include "client/cli/channel.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "client/cli/names.h"
#include "client/cli/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "pathwise/v1/solver.grpc.pb.h"

namespace pathwise::cli {
namespace {

constexpr char kModelsHelp[] = R"(Usage: pathwise models [options]

Lists the server's builtin models (for --model) and Langevin potentials (for
--langevin-builtin) with their parameters: name, default, range, units and
description, from SolverService.ListCapabilities.

Options (--name value or --name=value):
  --server HOST:PORT   server address (default 127.0.0.1:50051)
  --format F           table | csv | json (default table). csv has one row per
                       parameter (a model without parameters has one row with
                       empty parameter fields): kind,name,state_dim,noise,
                       description,param,default,range,units,param_description
                       (state_dim 0: any). json: {"models": [...],
                       "potentials": [...], "limits": {...}} in the protobuf
                       JSON form of pathwise.v1.Capabilities
  --timeout SECONDS    give up after this long (default 10)

)";

constexpr char kMethodsHelp[] = R"(Usage: pathwise methods [options]

Lists the integration methods (for --method) from
SolverService.ListCapabilities: the Lévy area each needs, the models it takes
(any, or underdamped Langevin only, or CIR only), the most general noise,
the calculus, strong orders on additive, commutative and general noise, and
whether it has an embedded error estimate (else adaptive steps use step
doubling).

Options (--name value or --name=value):
  --server HOST:PORT   server address (default 127.0.0.1:50051)
  --format F           table | csv | json (default table). csv columns:
                       name,levy,models,max_noise,calculus,order_additive,
                       order_commutative,order_general,embedded_error,description.
                       json: {"methods": [...]} in the protobuf JSON form
  --timeout SECONDS    give up after this long (default 10)

)";

struct CatalogOptions {
  ServerTarget server;
  double timeout_s;
  std::string format;
};

CatalogOptions ParseCatalogOptions(const Args& args) {
  return {ParseServerArgs(args), ParseTimeout(args.String("timeout", "10")),
          args.Choice("format", "table", {"table", "csv", "json"})};
}

grpc::Status FetchCapabilities(const CatalogOptions& options, v1::Capabilities* caps) {
  auto stub = v1::SolverService::NewStub(Connect(options.server));
  grpc::ClientContext context;
  context.set_deadline(DeadlineAfter(options.timeout_s));
  return stub->ListCapabilities(&context, v1::ListCapabilitiesRequest(), caps);
}

std::string ProtoJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) return "{}\n";
  return out;
}

std::string Order(double order) { return order > 0 ? Num(order) : "-"; }

std::vector<Row> ParamRows(
    const std::string& kind, const std::string& name, const std::string& state_dim,
    const std::string& noise, const std::string& description,
    const google::protobuf::RepeatedPtrField<v1::Capabilities::Parameter>& params) {
  std::vector<Row> rows;
  const Row model = {kind, name, state_dim, noise, description};
  if (params.empty()) {
    Row row = model;
    row.resize(model.size() + 5);  // empty parameter fields
    rows.push_back(std::move(row));
  }
  for (const auto& p : params) {
    Row row = model;
    row.insert(row.end(),
               {p.name(), Num(p.default_value()), p.range(), p.units(), p.description()});
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string ModelsCsv(const v1::Capabilities& caps) {
  std::vector<Row> rows = {{"kind", "name", "state_dim", "noise", "description", "param", "default",
                            "range", "units", "param_description"}};
  for (const auto& m : caps.models()) {
    for (Row& r : ParamRows("model", m.name(), std::to_string(m.state_dim()), m.noise(),
                            m.description(), m.params())) {
      rows.push_back(std::move(r));
    }
  }
  for (const auto& p : caps.potentials()) {
    for (Row& r : ParamRows("potential", p.name(), "", "", p.description(), p.params())) {
      rows.push_back(std::move(r));
    }
  }
  return RenderRows(rows, true);
}

// A block of the table: a heading line, a details line, the parameters.
std::string ModelBlock(
    const std::string& name, const std::string& description, const std::string& details,
    const google::protobuf::RepeatedPtrField<v1::Capabilities::Parameter>& params) {
  std::string out = name + ": " + description + "\n  " + details + "\n";
  if (params.empty()) return out + "  (no parameters)\n\n";
  std::vector<Row> rows = {{"param", "default", "range", "units", "description"}};
  for (const auto& p : params) {
    rows.push_back({p.name(), Num(p.default_value()), p.range(), p.units(), p.description()});
  }
  for (absl::string_view line : absl::StrSplit(RenderRows(rows, false), '\n', absl::SkipEmpty())) {
    out += "  " + std::string(line) + "\n";
  }
  return out + "\n";
}

std::string ModelsTable(const v1::Capabilities& caps) {
  std::string out = "# builtin models (--model NAME --param KEY=VALUE)\n\n";
  for (const auto& m : caps.models()) {
    std::string names;
    for (const std::string& s : m.state_names()) names += (names.empty() ? "" : ", ") + s;
    const std::string dim =
        m.state_dim() == 0 ? "any dimension" : std::to_string(m.state_dim()) + " components";
    out += ModelBlock(m.name(), m.description(),
                      "state: " + names + " (" + dim + "); noise: " + m.noise(), m.params());
  }
  out += "# Langevin potentials (--langevin-builtin NAME --param KEY=VALUE)\n\n";
  for (const auto& p : caps.potentials()) {
    std::string names;
    for (const std::string& s : p.state_names()) names += (names.empty() ? "" : ", ") + s;
    out += ModelBlock(p.name(), p.description(), "state: " + names, p.params());
  }
  return out;
}

int Models(const CatalogOptions& options) {
  v1::Capabilities caps;
  const grpc::Status status = FetchCapabilities(options, &caps);
  if (!status.ok()) return ReportRpcError(status, options.server.text);
  if (options.format == "json") {
    caps.clear_methods();
    caps.clear_algorithm();
    std::fputs(ProtoJson(caps).c_str(), stdout);
  } else {
    std::fputs((options.format == "csv" ? ModelsCsv(caps) : ModelsTable(caps)).c_str(), stdout);
  }
  return kExitOk;
}

int Methods(const CatalogOptions& options) {
  v1::Capabilities caps;
  const grpc::Status status = FetchCapabilities(options, &caps);
  if (!status.ok()) return ReportRpcError(status, options.server.text);
  if (options.format == "json") {
    v1::Capabilities methods;
    *methods.mutable_methods() = caps.methods();
    std::fputs(ProtoJson(methods).c_str(), stdout);
    return kExitOk;
  }
  std::vector<Row> rows = {{"name", "levy", "models", "max_noise", "calculus", "order_additive",
                            "order_commutative", "order_general", "embedded_error", "description"}};
  for (const auto& m : caps.methods()) {
    rows.push_back({m.name(), LevyName(m.levy_area()), m.model_form(), m.max_noise(),
                    CalculusName(m.calculus()), Order(m.order_additive()),
                    Order(m.order_commutative()), Order(m.order_general()),
                    m.embedded_error() ? "yes" : "no", m.description()});
  }
  std::fputs(RenderRows(rows, options.format == "csv").c_str(), stdout);
  return kExitOk;
}

}  // namespace

int ModelsCommand(const std::vector<std::string>& words) {
  const Args args(words, WithSecurityFlags({{"server"}, {"timeout"}, {"format"}}));
  if (args.help()) {
    std::fputs(kModelsHelp, stdout);
    std::fputs(kSecurityFlagsHelp, stdout);
    std::fputs(kExitCodesHelp, stdout);
    return kExitOk;
  }
  return Models(ParseCatalogOptions(args));
}

int MethodsCommand(const std::vector<std::string>& words) {
  const Args args(words, WithSecurityFlags({{"server"}, {"timeout"}, {"format"}}));
  if (args.help()) {
    std::fputs(kMethodsHelp, stdout);
    std::fputs(kSecurityFlagsHelp, stdout);
    std::fputs(kExitCodesHelp, stdout);
    return kExitOk;
  }
  return Methods(ParseCatalogOptions(args));
}

}  // namespace pathwise::cli
