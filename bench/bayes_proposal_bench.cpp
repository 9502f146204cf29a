// Micro-benchmark of the Bayesian strategy: seconds per proposal for 6 parameters at 100, 250, 500
// and 1,000 results (issue 6, item 5; bench/bayes_cost.sh runs it and tabulates the CSV).
//
//   bayes_proposal_bench [PROPOSALS=20] [WORKERS=1]                 a table for people
//   bayes_proposal_bench [--observations 100,250,500,1000] [--proposals 20] [--workers 1]
//                        [--evaluation-seconds S]  (how long each told evaluation took; 0: unknown)
//                        [--seed 1] [--csv]
//
// The results come from a design of the wanted size (--initial N, cheap), so the first model
// proposal fits the hyperparameters from scratch; the following ones see the usual mix of row
// appends and scheduled refits. With WORKERS > 1 that many evaluations stay pending throughout.
//
// A refit (the hyperparameters of the GP fitted again by maximum likelihood, then the Cholesky
// factor rebuilt from scratch) is told from an ordinary proposal (one row appended to the factor,
// then the acquisition maximized) by the `fit` line of the strategy's saved state: its base, the
// number of results the factor was built from, changes only with a refit.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <sstream>
#include <string>
#include <vector>

#include "hpo/strategy/bayes.hpp"
#include "quality/test_functions.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double hartmann6(const hpo::Point& x) { return hpo_hartmann6(x.data()); }

// How long each told evaluation took (--evaluation-seconds): with workers > 1, what decides
// whether a proposal may use the full model or must be lean (bayes.cpp). 0: not known.
double evaluation_seconds = 0;

hpo::Trial result_of(const hpo::Proposal& p) {
    hpo::Trial t;
    t.id = p.id;
    t.values = p.values;
    t.fom = hartmann6(p.values);
    t.start_time = 1e9;
    t.end_time = t.start_time + evaluation_seconds;
    return t;
}

// The number of results the model's factor was built from at its last refit (0: never fitted).
std::size_t fit_base(const hpo::BayesStrategy& strategy) {
    std::istringstream in(strategy.save_state());
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("fit ", 0) != 0) continue;
        std::istringstream words(line.substr(4));
        unsigned done = 0;
        std::size_t base = 0;
        words >> done >> base;
        return done ? base : 0;
    }
    return 0;
}

double median(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double mean(const std::vector<double>& v) {
    if (v.empty()) return std::nan("");
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}

struct Measurement {
    std::size_t observations = 0;
    double first = 0;               // the first model proposal: always a refit, from scratch
    std::vector<double> plain;      // the following proposals without a refit
    std::vector<double> refits;     // the following proposals with a refit
};

Measurement measure(const hpo::SearchSpace& space, std::size_t results, std::size_t proposals, std::size_t workers,
                    std::uint64_t seed) {
    hpo::BayesOptions options;
    options.initial = results + workers - 1;  // the pending ones are design points too
    options.evals = options.initial + proposals;
    hpo::BayesStrategy strategy(space, options, {.seed = seed});
    std::deque<hpo::Proposal> running;
    for (const auto& p : strategy.ask(options.initial)) running.push_back(p);
    while (running.size() > workers - 1) {
        strategy.tell(result_of(running.front()));
        running.pop_front();
    }
    Measurement m;
    m.observations = results;
    std::size_t base = fit_base(strategy);
    for (std::size_t k = 0; k < proposals; ++k) {
        const auto start = Clock::now();
        const auto got = strategy.ask(1);
        const double s = seconds_since(start);
        if (got.empty()) {
            std::fprintf(stderr, "bayes_proposal_bench: no proposal at %zu results\n", results);
            std::exit(1);
        }
        const std::size_t now = fit_base(strategy);
        if (k == 0) m.first = s;
        else (now != base ? m.refits : m.plain).push_back(s);
        base = now;
        running.push_back(got.front());
        strategy.tell(result_of(running.front()));
        running.pop_front();
    }
    return m;
}

std::vector<std::size_t> parse_list(const char* text) {
    std::vector<std::size_t> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ',')) {
        char* end = nullptr;
        const unsigned long v = std::strtoul(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || v == 0) {
            std::fprintf(stderr, "bayes_proposal_bench: bad observation count '%s'\n", item.c_str());
            std::exit(2);
        }
        out.push_back(v);
    }
    return out;
}

std::size_t parse_count(const char* option, const char* text) {
    char* end = nullptr;
    const unsigned long v = std::strtoul(text, &end, 10);
    if (*text == '\0' || *end != '\0') {
        std::fprintf(stderr, "bayes_proposal_bench: bad value '%s' for %s\n", text, option);
        std::exit(2);
    }
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> observations = {100, 250, 500, 1000};
    std::size_t proposals = 20, workers = 1;
    std::uint64_t seed = 1;
    bool csv = false;
    int positional = 0;
    for (int i = 1; i < argc; ++i) {
        const char* arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bayes_proposal_bench: %s needs a value\n", arg);
                std::exit(2);
            }
            return argv[++i];
        };
        if (!std::strcmp(arg, "--observations")) observations = parse_list(value());
        else if (!std::strcmp(arg, "--proposals")) proposals = parse_count(arg, value());
        else if (!std::strcmp(arg, "--workers")) workers = parse_count(arg, value());
        else if (!std::strcmp(arg, "--evaluation-seconds")) evaluation_seconds = std::atof(value());
        else if (!std::strcmp(arg, "--seed")) seed = parse_count(arg, value());
        else if (!std::strcmp(arg, "--csv")) csv = true;
        else if (!std::strcmp(arg, "-h") || !std::strcmp(arg, "--help")) {
            std::printf("usage: bayes_proposal_bench [--observations 100,250,500,1000] [--proposals 20] "
                        "[--workers 1] [--seed 1] [--csv]\n       bayes_proposal_bench [PROPOSALS] [WORKERS]\n");
            return 0;
        } else if (arg[0] != '-' && positional == 0) proposals = parse_count("PROPOSALS", arg), ++positional;
        else if (arg[0] != '-' && positional == 1) workers = parse_count("WORKERS", arg), ++positional;
        else {
            std::fprintf(stderr, "bayes_proposal_bench: unknown argument '%s'\n", arg);
            return 2;
        }
    }
    workers = std::max<std::size_t>(1, workers);
    proposals = std::max<std::size_t>(1, proposals);

    std::vector<hpo::Parameter> params;
    for (const char* flag : {"--a", "--b", "--c", "--d", "--e", "--f"})
        params.push_back(hpo::Parameter::float_range(flag, 0.0, 1.0));
    const hpo::SearchSpace space(params);

    if (csv) {
        std::printf("observations,workers,proposals,first_s,plain_count,plain_median_s,plain_mean_s,refit_count,"
                    "refit_median_s,total_s\n");
    } else {
        std::printf("%8s %10s %12s %12s %8s %12s %10s\n", "results", "first [s]", "median [s]", "mean [s]",
                    "refits", "refit [s]", "proposals");
    }
    for (std::size_t results : observations) {
        const Measurement m = measure(space, results, proposals, workers, seed);
        double total = m.first;
        for (double s : m.plain) total += s;
        for (double s : m.refits) total += s;
        if (csv) {
            std::printf("%zu,%zu,%zu,%.6g,%zu,%.6g,%.6g,%zu,%.6g,%.6g\n", results, workers, proposals, m.first,
                        m.plain.size(), median(m.plain), mean(m.plain), m.refits.size(), median(m.refits), total);
        } else {
            std::printf("%8zu %10.3f %12.4f %12.4f %8zu %12.4f %10zu\n", results, m.first, median(m.plain),
                        mean(m.plain), m.refits.size(), median(m.refits), proposals);
        }
        std::fflush(stdout);
    }
}
