#include "client/cli/sample_output.h"

#include "client/cli/text_format.h"

namespace pathwise::cli {
namespace {

// Index of (path p, query q, component j) in the response's flat arrays.
struct Layout {
  uint32_t dim, paths, count;
  int At(uint32_t p, uint32_t q, uint32_t j) const {
    return static_cast<int>((size_t{p} * count + q) * dim + j);
  }
};

std::string JsonArray(const Layout& l, const google::protobuf::RepeatedField<double>& values) {
  std::string out = "[";
  for (uint32_t p = 0; p < l.paths; ++p) {
    out += p ? ", [" : "[";
    for (uint32_t q = 0; q < l.count; ++q) {
      out += q ? ", [" : "[";
      for (uint32_t j = 0; j < l.dim; ++j) out += (j ? ", " : "") + Num(values.Get(l.At(p, q, j)));
      out += "]";
    }
    out += "]";
  }
  return out + "]";
}

std::string FormatJson(const v1::SampleRequest& request,
                       const std::vector<std::pair<double, double>>& queries,
                       const v1::SampleResponse& response, const Layout& l) {
  std::string out = "{\"algorithm\": \"" + response.algorithm() +
                    "\", \"seed\": " + std::to_string(request.path().seed()) +
                    ", \"path_index\": " + std::to_string(request.path().path_index()) +
                    ", \"dim\": " + std::to_string(l.dim) +
                    ", \"path_count\": " + std::to_string(l.paths) +
                    ", \"query_count\": " + std::to_string(l.count) + ", \"queries\": [";
  for (size_t q = 0; q < queries.size(); ++q) {
    out += (q ? ", [" : "[") + Num(queries[q].first) + ", " + Num(queries[q].second) + "]";
  }
  out += "], \"w\": " + JsonArray(l, response.w());
  if (response.h_size() > 0) out += ", \"h\": " + JsonArray(l, response.h());
  if (response.k_size() > 0) out += ", \"k\": " + JsonArray(l, response.k());
  return out + "}\n";
}

std::vector<Row> SampleRows(const v1::SampleRequest& request,
                            const std::vector<std::pair<double, double>>& queries,
                            const v1::SampleResponse& response, const Layout& l) {
  const bool has_h = response.h_size() > 0;
  const bool has_k = response.k_size() > 0;
  std::vector<Row> rows;
  Row header = {"path", "query", "s", "t", "component", "w"};
  if (has_h) header.push_back("h");
  if (has_k) header.push_back("k");
  rows.push_back(header);
  for (uint32_t p = 0; p < l.paths; ++p) {
    for (uint32_t q = 0; q < l.count; ++q) {
      for (uint32_t j = 0; j < l.dim; ++j) {
        Row row = {std::to_string(request.path().path_index() + p),
                   std::to_string(q),
                   Num(queries[q].first),
                   Num(queries[q].second),
                   std::to_string(j),
                   Num(response.w(l.At(p, q, j)))};
        if (has_h) row.push_back(Num(response.h(l.At(p, q, j))));
        if (has_k) row.push_back(Num(response.k(l.At(p, q, j))));
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

}  // namespace

std::string FormatSample(const v1::SampleRequest& request,
                         const std::vector<std::pair<double, double>>& queries,
                         const v1::SampleResponse& response, const std::string& format) {
  const Layout layout{response.dim(), response.path_count(), response.query_count()};
  if (format == "json") return FormatJson(request, queries, response, layout);
  const bool csv = format == "csv";
  const std::string rows = RenderRows(SampleRows(request, queries, response, layout), csv);
  return csv ? rows : "# algorithm " + response.algorithm() + "\n" + rows;
}

}  // namespace pathwise::cli
