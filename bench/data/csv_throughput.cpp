// Rows per second of open_csv_stream on the Yahoo layout: data/sample/ORCL.csv's
// rows repeated 40 times (re-dated one day apart from 1700, so the file stays in
// order within Timestamp's 1677..2262 range) into a temporary file of ~200 k
// rows, then read `passes` times (the first read also warms the page cache).
// Not built by default; see README.md beside this file.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "qtrader/data.hpp"
#include "qtrader/time.hpp"

using namespace qtrader;

int main(int argc, char** argv) {
  const std::string orcl = argc > 1 ? argv[1] : QTRADER_SOURCE_DIR "/data/sample/ORCL.csv";
  const int passes = argc > 2 ? std::stoi(argv[2]) : 12;
  const int repeats = 40;

  std::ifstream in(orcl);
  std::string line;
  std::getline(in, line);
  const std::string header = line;
  std::vector<std::string> tails;  // each row after its date
  while (std::getline(in, line))
    if (!line.empty()) tails.push_back(line.substr(line.find(',')));

  const auto path = (std::filesystem::temp_directory_path() / "qtrader_csv_throughput.csv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << header << '\n';
    Timestamp ts = *parse_date("1700-01-01");
    for (int r = 0; r < repeats; ++r)
      for (const auto& tail : tails) {
        out << format_date(ts) << tail << '\n';
        ts += kNanosPerDay;
      }
  }
  const auto bytes = std::filesystem::file_size(path);

  DataSourceConfig source;
  source.layout = "yahoo";
  long total_rows = 0;
  double total_secs = 0.0;
  std::vector<double> pass_secs;  // passes after the first, for the median
  for (int pass = 0; pass < passes; ++pass) {
    const auto t0 = std::chrono::steady_clock::now();
    auto stream = open_csv_stream(source, path, 0, std::numeric_limits<Timestamp>::min(),
                                  std::numeric_limits<Timestamp>::max());
    Bar bar;
    long rows = 0;
    double checksum = 0.0;
    while (stream->next(bar)) {
      ++rows;
      checksum += bar.close;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (pass == 0) {
      std::printf("first pass: %ld rows, %.1f MB in %.3f s (checksum %.9g)\n", rows, bytes / 1e6,
                  secs, checksum);
    } else {
      total_rows += rows;
      total_secs += secs;
      pass_secs.push_back(secs);
    }
  }
  if (total_secs > 0)
    std::printf("%ld rows in %.3f s: %.2f M rows/s, %.0f MB/s\n", total_rows, total_secs,
                total_rows / total_secs / 1e6,
                static_cast<double>(bytes) * (passes - 1) / 1e6 / total_secs);
  if (!pass_secs.empty()) {
    std::sort(pass_secs.begin(), pass_secs.end());
    const double median = pass_secs[pass_secs.size() / 2];
    std::printf("median pass: %.1f ms, %.2f M rows/s\n", median * 1e3,
                static_cast<double>(total_rows) / static_cast<double>(pass_secs.size()) / median / 1e6);
  }
  std::filesystem::remove(path);
}
