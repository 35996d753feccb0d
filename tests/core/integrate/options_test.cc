// Validation of the solve options (core/integrate/options, with the step
// controller's own checks): every message names the field.
#include <cstdint>
#include <variant>

#include "absl/strings/string_view.h"
#include "core/integrate/ensemble.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/adaptive_options.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::MethodId;
using testing::AdaptiveOptions;

TEST(ValidationTest, MessagesNameTheField) {
  auto ou = testing::Builtin("ou", {}, 1);
  const solver::Method& shark = solver::GetMethod(MethodId::kShark);
  integrate::SolveOptions o = AdaptiveOptions({1.0}, 1e-3, 0.0);
  std::get<control::AdaptiveStep>(o.step).rtol = -1;
  EXPECT_EQ(integrate::SolveEnsemble(*ou, shark, o).status().message().substr(0, 20),
            "step.adaptive.rtol: ");
  o = AdaptiveOptions({1.0}, 1e-3, 0.0);
  std::get<control::AdaptiveStep>(o.step).factormax = 0.5;
  EXPECT_NE(
      integrate::SolveEnsemble(*ou, shark, o).status().message().find("step.adaptive.factormax"),
      absl::string_view::npos);
  integrate::SolveOptions c;
  c.y0 = {1.0};
  EXPECT_NE(integrate::SolveEnsemble(*ou, shark, c).status().message().find("step.constant.dt"),
            absl::string_view::npos);
  c.step = control::ConstantStep{0.1};
  c.y0 = {1.0, 2.0, 3.0};
  EXPECT_NE(integrate::SolveEnsemble(*ou, shark, c).status().message().find("y0: the model has"),
            absl::string_view::npos);
  auto heston = testing::Builtin("heston", {}, 2);
  c.y0 = {1.0};
  EXPECT_NE(integrate::SolveEnsemble(*heston, solver::GetMethod(MethodId::kEuler), c)
                .status()
                .message()
                .find("y0"),
            absl::string_view::npos);
  c.y0 = {1.0};
  c.first_path = UINT64_MAX;  // with 2 paths the last index would wrap
  c.num_paths = 2;
  EXPECT_EQ(integrate::SolveEnsemble(*ou, shark, c).status().message().substr(0, 45),
            "num_paths: first_path + num_paths overflows 2");
  c.first_path = 0;
  c.num_paths = 1;
  c.saveat.ts = {0.5, 0.2};
  EXPECT_NE(integrate::SolveEnsemble(*ou, shark, c).status().message().find("saveat.ts[1]"),
            absl::string_view::npos);
  c.saveat.ts = {};
  c.brownian.levy_area = brownian::LevyArea::kSpaceTime;
  EXPECT_NE(
      integrate::SolveEnsemble(*testing::SmallLangevin(), solver::GetMethod(MethodId::kQuicsort),
                               [&] {
                                 auto l = c;
                                 l.y0 = {0, 0, 0, 0};
                                 return l;
                               }())
          .status()
          .message()
          .find("brownian.levy_area"),
      absl::string_view::npos);
}

}  // namespace
}  // namespace pathwise
