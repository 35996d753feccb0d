// The figure of `pathwise mcmc --plot`: for each chosen parameter, a trace
// panel (value against draw index, one line per chain) and a marginal density
// panel (a Gaussian kernel density estimate over all chains' draws), drawn
// with the shared SVG writer (plot/svg_chart.h).
#ifndef PATHWISE_CLIENT_CLI_MCMC_PLOT_H_
#define PATHWISE_CLIENT_CLI_MCMC_PLOT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "plot/svg_chart.h"

namespace pathwise::cli {

// draws[chain] = [draw][dim] row-major (chains may differ in length).
struct ChainDraws {
  uint32_t dim = 0;
  std::vector<std::vector<double>> chains;
};

// A Gaussian kernel density estimate of `values` (finite ones) at `points`
// evenly spaced points over [min - 3h, max + 3h], h Silverman's bandwidth
// 0.9 min(sd, IQR / 1.34) n^(-1/5) (Silverman 1986, eq. 3.31); h = 1e-3 when
// the values are all equal. xs and densities are empty without values.
struct Density {
  std::vector<double> x, density;
};
Density KernelDensity(std::vector<double> values, int points);

// Two panels (trace, density) per parameter in `params` (indices < dim).
plot::Figure McmcFigure(const std::string& title, const ChainDraws& draws,
                        const std::vector<uint32_t>& params, const std::vector<std::string>& names);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_MCMC_PLOT_H_
