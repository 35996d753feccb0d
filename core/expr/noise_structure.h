// Noise structure of a diffusion matrix g (state_dim x noise_dim) given as
// expressions, for the solver's method checks: additive noise (g independent
// of the state), diagonal noise, commutative noise.
#ifndef PATHWISE_CORE_EXPR_NOISE_STRUCTURE_H_
#define PATHWISE_CORE_EXPR_NOISE_STRUCTURE_H_

#include <cstddef>
#include <string>

namespace pathwise::expr {

// Where the diffusion expressions are among a program's expressions.
struct DiffusionLayout {
  // Names the group in errors, e.g. "model.expression.diffusion".
  std::string label = "diffusion";
  // Index of the first diffusion expression and how many there are.
  size_t first = 0;
  size_t count = 0;
  // Noise dimension m. The group is g[i][j] = expression first + i * m + j
  // (row-major, state_dim * m expressions), or, with diagonal_only, the
  // diagonal g[i][i] = expression first + i (state_dim expressions, m must be
  // state_dim).
  size_t noise_dim = 1;
  bool diagonal_only = false;
};

struct NoiseStructure {
  size_t state_dim = 0;
  size_t noise_dim = 0;
  // m == 1.
  bool scalar = false;
  // No g[i][j] depends on the state (they may depend on t).
  bool additive = false;
  // m == d, g[i][j] is the constant 0 for i != j, and g[i][i] depends on the
  // state only through x_i.
  bool diagonal = false;
  // Proved commutative: sum_k g[k][j1] dg[i][j2]/dx_k == sum_k g[k][j2] dg[i][j1]/dx_k
  // for all i, j1, j2, by one of: scalar, additive, diagonal, or the two sides
  // compiling to the same graph node. False means "not proved", not "proved
  // not commutative".
  bool commutative = false;
};

// "additive, diagonal, commutative" or "general".
std::string DescribeNoise(const NoiseStructure& noise);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_NOISE_STRUCTURE_H_
