// LangevinModel's potential (an expression or a builtin of the catalog) ->
// core: shared by Solve (field model.langevin) and McmcService.Sample (field
// target), so that both name the request's own fields in their errors.
#ifndef PATHWISE_SERVER_LANGEVIN_POTENTIAL_H_
#define PATHWISE_SERVER_LANGEVIN_POTENTIAL_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/expr/program_cache.h"
#include "core/model/potential.h"
#include "pathwise/v1/solver.pb.h"

namespace pathwise::server {

// The potential of `m`, whose wire field is `field` ("model.langevin" or
// "target"). INVALID_ARGUMENT with a BadRequest violation naming
// `field`.expression, .dim, .params, .builtin.name, .builtin.data, ... .
// Expression programs are compiled through `cache` when not null.
absl::StatusOr<std::shared_ptr<const model::Potential>> PotentialFromWire(
    const v1::LangevinModel& m, absl::string_view field, expr::ProgramCache* cache);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_LANGEVIN_POTENTIAL_H_
