#include "core/expr/compiler.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/expr/bytecode.h"
#include "core/expr/derivative.h"
#include "core/expr/fingerprint.h"
#include "core/expr/graph.h"
#include "core/expr/lower.h"
#include "core/expr/noise_analysis.h"
#include "core/expr/parser.h"

namespace pathwise::expr {
namespace {

std::string WrtName(const ProgramSpec& spec, int wrt) {
  return wrt == DerivativeRequest::kTime ? "t" : spec.state_names[static_cast<size_t>(wrt)];
}

// Parses and lowers every expression; roots[k] is expression k's node.
absl::Status LowerExpressions(const ProgramSpec& spec, const Symbols& symbols, Graph& graph,
                              std::vector<NodeId>& roots) {
  for (const Expression& e : spec.expressions) {
    const Source source{e.label, e.text};
    absl::StatusOr<Ast> ast = Parse(source, spec.limits);
    if (!ast.ok()) return ast.status();
    absl::StatusOr<NodeId> root = Lower(source, *ast, symbols, graph);
    if (!root.ok()) return root.status();
    roots.push_back(*root);
  }
  return absl::OkStatus();
}

// Appends one output per derivative request, and its label.
absl::Status LowerDerivatives(const ProgramSpec& spec, Graph& graph, std::vector<NodeId>& roots,
                              std::vector<std::string>& labels) {
  for (size_t r = 0; r < spec.derivatives.size(); ++r) {
    const DerivativeRequest& req = spec.derivatives[r];
    const bool wrt_ok = req.wrt == DerivativeRequest::kTime ||
                        (req.wrt >= 0 && static_cast<size_t>(req.wrt) < spec.state_names.size());
    if (req.output >= roots.size() || !wrt_ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("derivatives[", r, "]: output ", req.output, " with respect to ", req.wrt,
                       " does not exist; expected an output below ", roots.size(),
                       " and a state index below ", spec.state_names.size(), " (or -1 for t)"));
    }
    const std::string label =
        absl::StrCat("d(", labels[req.output], ")/d(", WrtName(spec, req.wrt), ")");
    absl::StatusOr<NodeId> d =
        Differentiate(graph, roots[req.output], static_cast<uint32_t>(req.wrt + 1));
    if (!d.ok()) return absl::InvalidArgumentError(absl::StrCat(label, ": ", d.status().message()));
    roots.push_back(*d);
    labels.push_back(label);
  }
  return absl::OkStatus();
}

std::vector<std::optional<double>> ConstantOutputs(const Graph& graph,
                                                   const std::vector<NodeId>& roots) {
  std::vector<std::optional<double>> values;
  for (NodeId r : roots) values.push_back(graph.ConstantValue(r));
  return values;
}

}  // namespace

std::vector<DerivativeRequest> JacobianRequests(size_t first, size_t count, size_t num_state) {
  std::vector<DerivativeRequest> requests;
  for (size_t k = first; k < first + count; ++k) {
    for (size_t j = 0; j < num_state; ++j) requests.push_back({k, static_cast<int>(j)});
  }
  return requests;
}

absl::StatusOr<std::shared_ptr<const CompiledProgram>> Compile(const ProgramSpec& spec) {
  if (absl::Status s = spec.limits.Validate(); !s.ok()) return s;
  const size_t num_outputs = spec.expressions.size() + spec.derivatives.size();
  if (num_outputs > spec.limits.max_outputs) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the program has ", num_outputs, " outputs (expressions and derivatives); the limit is ",
        spec.limits.max_outputs));
  }
  if (spec.state_names.size() > spec.limits.max_state) {
    return absl::InvalidArgumentError(absl::StrCat("the model has ", spec.state_names.size(),
                                                   " state variables; the limit is ",
                                                   spec.limits.max_state));
  }
  absl::StatusOr<Symbols> symbols = Symbols::Create(spec.state_names, spec.parameters);
  if (!symbols.ok()) return symbols.status();

  Graph graph(spec.limits.max_nodes);
  std::vector<NodeId> roots;
  if (absl::Status s = LowerExpressions(spec, *symbols, graph, roots); !s.ok()) return s;
  ProgramData data;
  for (const Expression& e : spec.expressions) data.output_labels.push_back(e.label);
  if (absl::Status s = LowerDerivatives(spec, graph, roots, data.output_labels); !s.ok()) return s;

  const uint32_t num_inputs = static_cast<uint32_t>(1 + spec.state_names.size());
  data.dependencies = InputDependencies(graph, roots, num_inputs);
  if (spec.diffusion) {
    const std::vector<NodeId> expression_roots(roots.begin(),
                                               roots.begin() + spec.expressions.size());
    absl::StatusOr<NoiseStructure> noise = AnalyzeNoise(graph, expression_roots, data.dependencies,
                                                        *spec.diffusion, spec.state_names.size());
    if (!noise.ok()) return noise.status();
    data.noise = *noise;
  }
  data.state_names = spec.state_names;
  data.num_expressions = spec.expressions.size();
  for (const DerivativeRequest& r : spec.derivatives)
    data.derivatives.emplace_back(r.output, r.wrt);
  data.constants = ConstantOutputs(graph, roots);
  std::vector<bool> needed(roots.size(), true);
  for (size_t k = 0; k < spec.expressions.size(); ++k) needed[k] = spec.expressions[k].value_needed;
  data.bytecode = GenerateBytecode(graph, roots, needed, num_inputs);
  data.graph_nodes = graph.size();
  data.fingerprint = Fingerprint64(CanonicalKey(spec));
  return std::make_shared<const CompiledProgram>(std::move(data));
}

}  // namespace pathwise::expr
