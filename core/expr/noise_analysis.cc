#include "core/expr/noise_analysis.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "core/expr/derivative.h"

namespace pathwise::expr {
namespace {

// Beyond this many derivatives (d * d * m) the symbolic commutativity proof
// is not attempted: it would cost more than the compile itself.
constexpr size_t kMaxCommutatorDerivatives = 4096;

absl::Status CheckDimensions(const DiffusionLayout& layout, size_t num_expressions, size_t d) {
  const size_t m = layout.noise_dim;
  if (m < 1)
    return absl::InvalidArgumentError(absl::StrCat(layout.label, ": noise_dim must be >= 1"));
  if (layout.first > num_expressions || layout.count > num_expressions - layout.first) {
    return absl::InvalidArgumentError(absl::StrCat(
        layout.label, ": expressions [", layout.first, ", ", layout.first + layout.count,
        ") are out of range; there are ", num_expressions, " expressions"));
  }
  if (layout.diagonal_only && (layout.count != d || m != d)) {
    return absl::InvalidArgumentError(
        absl::StrCat(layout.label, ": diagonal noise needs one expression per state variable (", d,
                     ") and a noise dimension equal to the state dimension; got ", layout.count,
                     " expressions and noise dimension ", m));
  }
  if (!layout.diagonal_only && layout.count != d * m) {
    return absl::InvalidArgumentError(absl::StrCat(
        layout.label, ": ", layout.count, " expressions given, but a state of dimension ", d,
        " with noise of dimension ", m, " needs ", d * m,
        " (one per state and noise dimension, row-major g[i][j])"));
  }
  return absl::OkStatus();
}

class Analysis {
 public:
  Analysis(Graph& graph, const std::vector<NodeId>& roots, const std::vector<InputSet>& deps,
           const DiffusionLayout& layout, size_t d)
      : graph_(graph), roots_(roots), deps_(deps), layout_(layout), d_(d), m_(layout.noise_dim) {}

  NoiseStructure Run() {
    NoiseStructure s;
    s.state_dim = d_;
    s.noise_dim = m_;
    s.scalar = m_ == 1;
    s.additive = Additive();
    s.diagonal = Diagonal();
    s.commutative = s.scalar || s.additive || s.diagonal || Commutes();
    return s;
  }

 private:
  // Expression index of g[i][j], or nullopt where g[i][j] is implicitly 0.
  std::optional<size_t> Entry(size_t i, size_t j) const {
    if (layout_.diagonal_only)
      return i == j ? std::optional<size_t>(layout_.first + i) : std::nullopt;
    return layout_.first + i * m_ + j;
  }

  bool IsZeroEntry(size_t i, size_t j) const {
    const std::optional<size_t> e = Entry(i, j);
    if (!e) return true;
    const std::optional<double> v = graph_.ConstantValue(roots_[*e]);
    return v && *v == 0.0;
  }

  bool Additive() const {
    for (size_t e = layout_.first; e < layout_.first + layout_.count; ++e) {
      if (deps_[e].ContainsState()) return false;
    }
    return true;
  }

  bool Diagonal() const {
    if (m_ != d_) return false;
    for (size_t i = 0; i < d_; ++i) {
      for (size_t j = 0; j < m_; ++j) {
        if (i != j && !IsZeroEntry(i, j)) return false;
      }
      for (size_t k = 0; k < d_; ++k) {
        if (k != i && deps_[*Entry(i, i)].Contains(static_cast<uint32_t>(1 + k))) return false;
      }
    }
    return true;
  }

  // sum_k g[k][a] * dg[i][b]/dx_k as one node, terms ordered by node id so that
  // equal sums compile to the same node; nullopt when the graph is full.
  std::optional<NodeId> Side(const std::vector<NodeId>& jac, size_t i, size_t a, size_t b) {
    std::vector<NodeId> terms;
    for (size_t k = 0; k < d_; ++k) {
      const NodeId dg = jac[(i * m_ + b) * d_ + k];
      const std::optional<double> dv = graph_.ConstantValue(dg);
      if (IsZeroEntry(k, a) || (dv && *dv == 0.0)) continue;
      absl::StatusOr<NodeId> term = graph_.Apply(Op::kMul, roots_[*Entry(k, a)], dg);
      if (!term.ok()) return std::nullopt;
      terms.push_back(*term);
    }
    std::sort(terms.begin(), terms.end());
    absl::StatusOr<NodeId> sum = graph_.Constant(0.0);
    for (size_t t = 0; t < terms.size() && sum.ok(); ++t) {
      sum = t == 0 ? absl::StatusOr<NodeId>(terms[0]) : graph_.Apply(Op::kAdd, *sum, terms[t]);
    }
    if (!sum.ok()) return std::nullopt;
    return *sum;
  }

  bool Commutes() {
    if (d_ * d_ * m_ > kMaxCommutatorDerivatives) return false;
    // jac[(i * m + j) * d + k] = d g[i][j] / d x_k (the constant 0 for implicit zeros).
    std::vector<NodeId> jac(d_ * m_ * d_);
    for (size_t i = 0; i < d_; ++i) {
      for (size_t j = 0; j < m_; ++j) {
        for (size_t k = 0; k < d_; ++k) {
          absl::StatusOr<NodeId> dg = Entry(i, j) ? Differentiate(graph_, roots_[*Entry(i, j)],
                                                                  static_cast<uint32_t>(1 + k))
                                                  : graph_.Constant(0.0);
          if (!dg.ok()) return false;
          jac[(i * m_ + j) * d_ + k] = *dg;
        }
      }
    }
    for (size_t i = 0; i < d_; ++i) {
      for (size_t a = 0; a < m_; ++a) {
        for (size_t b = a + 1; b < m_; ++b) {
          const std::optional<NodeId> left = Side(jac, i, a, b);
          const std::optional<NodeId> right = Side(jac, i, b, a);
          if (!left || !right || *left != *right) return false;
        }
      }
    }
    return true;
  }

  Graph& graph_;
  const std::vector<NodeId>& roots_;
  const std::vector<InputSet>& deps_;
  const DiffusionLayout& layout_;
  size_t d_;
  size_t m_;
};

}  // namespace

absl::StatusOr<NoiseStructure> AnalyzeNoise(Graph& graph, const std::vector<NodeId>& roots,
                                            const std::vector<InputSet>& deps,
                                            const DiffusionLayout& layout, size_t state_dim) {
  if (absl::Status s = CheckDimensions(layout, roots.size(), state_dim); !s.ok()) return s;
  return Analysis(graph, roots, deps, layout, state_dim).Run();
}

}  // namespace pathwise::expr
