// A small reader of the Prometheus text exposition format, enough for tests to
// check the value of a sample and the declared type of a family.
#ifndef PATHWISE_TESTS_UTIL_PROMETHEUS_TEXT_H_
#define PATHWISE_TESTS_UTIL_PROMETHEUS_TEXT_H_

#include <cmath>
#include <map>
#include <sstream>
#include <string>

namespace pathwise::testing {

// Samples of a Prometheus text exposition: "name{a="x",b="y"}" -> value,
// labels sorted by name; and the declared TYPE of each family.
struct Exposition {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
  double Get(const std::string& key) const {
    auto it = samples.find(key);
    return it == samples.end() ? std::nan("") : it->second;
  }
};

inline Exposition ParsePrometheusText(const std::string& body) {
  Exposition out;
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      out.types[name] = type;
      continue;
    }
    if (line[0] == '#') continue;
    std::string name = line.substr(0, line.find_first_of("{ "));
    std::map<std::string, std::string> labels;
    size_t pos = name.size();
    if (line[pos] == '{') {
      const size_t end = line.find('}', pos);
      std::string inner = line.substr(pos + 1, end - pos - 1);
      size_t i = 0;
      while (i < inner.size()) {
        const size_t eq = inner.find('=', i);
        const size_t q1 = inner.find('"', eq);
        const size_t q2 = inner.find('"', q1 + 1);
        labels[inner.substr(i, eq - i)] = inner.substr(q1 + 1, q2 - q1 - 1);
        i = q2 + 1;
        if (i < inner.size() && inner[i] == ',') ++i;
      }
      pos = end + 1;
    }
    std::string key = name;
    if (!labels.empty()) {
      key += "{";
      bool first = true;
      for (const auto& [k, v] : labels) {
        key += (first ? "" : ",") + k + "=\"" + v + "\"";
        first = false;
      }
      key += "}";
    }
    out.samples[key] = std::stod(line.substr(pos + 1));
  }
  return out;
}

}  // namespace pathwise::testing

#endif  // PATHWISE_TESTS_UTIL_PROMETHEUS_TEXT_H_
