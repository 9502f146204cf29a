// Micro-benchmark of the Bayesian strategy: seconds per proposal for 6 parameters at 100, 250, 500
// and 1,000 results (the target: well under a second at 1,000).
//
//   bayes_proposal_bench [PROPOSALS=20] [WORKERS=1]
//
// The results come from a design of the wanted size (--initial N, cheap), so the first model
// proposal fits the hyperparameters from scratch; the following ones see the usual mix of row
// appends and scheduled refits. With WORKERS > 1 that many evaluations stay pending throughout.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <vector>

#include "hpo/strategy/bayes.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Hartmann-6, a standard test function of six parameters in [0,1].
double hartmann6(const hpo::Point& x) {
    static const double a[4][6] = {
        {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    static const double p[4][6] = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                                   {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                                   {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                                   {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
    static const double alpha[4] = {1.0, 1.2, 3.0, 3.2};
    double sum = 0;
    for (int i = 0; i < 4; ++i) {
        double e = 0;
        for (int j = 0; j < 6; ++j) e += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]);
        sum -= alpha[i] * std::exp(-e);
    }
    return sum;
}

hpo::Trial result_of(const hpo::Proposal& p) {
    hpo::Trial t;
    t.id = p.id;
    t.values = p.values;
    t.fom = hartmann6(p.values);
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t proposals = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20;
    const std::size_t workers = argc > 2 ? std::max<std::size_t>(1, std::strtoul(argv[2], nullptr, 10)) : 1;
    std::vector<hpo::Parameter> params;
    for (const char* flag : {"--a", "--b", "--c", "--d", "--e", "--f"})
        params.push_back(hpo::Parameter::float_range(flag, 0.0, 1.0));
    const hpo::SearchSpace space(params);

    std::printf("%8s %10s %12s %12s %12s\n", "results", "first [s]", "mean [s]", "max [s]", "proposals");
    for (std::size_t results : {100, 250, 500, 1000}) {
        hpo::BayesOptions options;
        options.initial = results + workers - 1;  // the pending ones are design points too
        options.evals = options.initial + proposals;
        options.seed = 1;
        hpo::BayesStrategy strategy(space, options);
        std::deque<hpo::Proposal> running;
        for (const auto& p : strategy.ask(options.initial)) running.push_back(p);
        while (running.size() > workers - 1) {
            strategy.tell(result_of(running.front()));
            running.pop_front();
        }
        double first = 0, total = 0, worst = 0;
        for (std::size_t k = 0; k < proposals; ++k) {
            const auto start = Clock::now();
            const auto got = strategy.ask(1);
            const double s = seconds_since(start);
            if (k == 0) first = s;
            else total += s, worst = std::max(worst, s);
            running.push_back(got.front());
            strategy.tell(result_of(running.front()));
            running.pop_front();
        }
        std::printf("%8zu %10.3f %12.4f %12.4f %12zu\n", results, first,
                    proposals > 1 ? total / double(proposals - 1) : 0.0, worst, proposals);
        std::fflush(stdout);
    }
}
