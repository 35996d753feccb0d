#include "core/brownian/levy_area.h"

namespace pathwise::brownian {

std::string_view LevyAreaName(LevyArea kind) {
  switch (kind) {
    case LevyArea::kNone:
      return "none";
    case LevyArea::kSpaceTime:
      return "space-time";
    case LevyArea::kSpaceTimeTime:
      return "space-time-time";
  }
  return "unknown";
}

}  // namespace pathwise::brownian
