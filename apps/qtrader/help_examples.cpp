// The Examples section at the end of each subcommand's --help, in one place
// so they read as one set and stay in step with the README.
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace qtrader::cli {

void add_help_examples(CLI::App& app) {
  static const std::map<std::string, std::string> examples{
      {"run",
       "  qtrader run config/backtests/sample.yaml\n"
       "  qtrader run BT.yaml --output /tmp/runs --quiet\n"
       "  qtrader run BT.yaml --param fast=12 --param risk.quantity=50\n"
       "  qtrader run BT.yaml --data ~/bars --no-report"},
      {"runs",
       "  qtrader runs                      # under ./results\n"
       "  qtrader runs /tmp/runs --json | jq '.[0].total_return'"},
      {"report", "  qtrader report results/2026/01/02/20260102_101500 --risk-free 0.02"},
      {"show",
       "  qtrader show RUN_DIR -n 30\n"
       "  qtrader show RUN_DIR --json | jq .metrics.portfolio.sharpe"},
      {"compare",
       "  qtrader compare RUN_A RUN_B\n"
       "  qtrader compare RUN_A RUN_B --json | jq '.metrics[] | select(.metric == \"Sharpe\")'"},
      {"watch", "  qtrader watch config/backtests/sample.yaml --output /tmp/runs"},
      {"list",
       "  qtrader list\n"
       "  qtrader list --script-path ~/quant/strategies --json | jq '.[].name'"},
      {"sweep",
       "  qtrader sweep BT.yaml --param fast=5:30:5 --param slow=20,40,60 --jobs 2\n"
       "  qtrader sweep BT.yaml --resume results/sweeps/20260102_101500\n"
       "  mpirun -n 9 qtrader sweep BT.yaml --param fast=5:30:5 --mpi --output sweeps/sma"},
      {"data", "  qtrader data check config/backtests/sample.yaml --max-gap 5"},
      {"new",
       "  qtrader new strategy my_idea --dir ~/quant/strategies\n"
       "  qtrader new lib mylib"},
      {"test",
       "  qtrader test strategies\n"
       "  qtrader test ~/quant/mylib --junit results.xml"},
      {"lib",
       "  qtrader lib add examples/libraries/bands\n"
       "  qtrader lib add ~/src/mylib@v1.2.0 --project   # a git repository at a tag\n"
       "  qtrader lib list\n"
       "  qtrader lib lock BT.yaml"},
      {"events",
       "  qtrader events RUN_DIR --type fill,order --symbol NVDA\n"
       "  qtrader events RUN_DIR --type bar --from 2007-09-01 --to 2007-09-30 --format csv\n"
       "  qtrader events RUN_DIR | jq -c 'select(.correlation_id == \"...\")'"},
      {"replay", "  qtrader replay RUN_DIR   # exit 0: the events rebuild the run's files byte for byte"},
      {"resume", "  qtrader resume RUN_DIR   # a run with checkpoint_every, killed: on from its last checkpoint"},
      {"live",
       "  qtrader live LIVE.yaml                      # live: feed and broker of its live: section\n"
       "  qtrader live LIVE.yaml --resume results/live/20260102_101500   # after a stop or a crash"},
      {"paper",
       "  qtrader paper config/backtests/sample.yaml --speed max\n"
       "  qtrader paper BT.yaml --speed 86400        # a day of bars per second"},
      {"serve",
       "  qtrader serve --results results --backtests config/backtests   # http://127.0.0.1:8700/\n"
       "  qtrader serve --port 0 --max-running 4 --script-path ~/quant/strategies\n"
       "  qtrader serve --host 0.0.0.0 --token-file ~/.qtrader-token     # beyond loopback: a token"},
  };
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    const auto it = examples.find(sub->get_name());
    if (it != examples.end()) sub->footer("\nExamples:\n" + it->second);
  }
}

}  // namespace qtrader::cli
