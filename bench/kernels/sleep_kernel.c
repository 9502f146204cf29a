/* A stand-in training kernel for the benchmarks (issue 6, items 2 and 3): it sleeps a
 * log-normally distributed time and prints `FoM: <value>`.
 *
 *   sleep_kernel [--mean=SECONDS] [--sigma=S] [--steps=N] [--x=V] [--y=V] [any other arguments]
 *
 * With --steps=N (issue 14: pruning) the sleep is cut into N equal parts, each followed by an
 * intermediate `FoM: fom + 1/i - 1/N` (step i; the last is the FoM itself), a learning curve.
 *
 * The sleep is exp(mu + S z), z ~ N(0,1), mu = ln(mean) - S^2/2, so that its mean is --mean
 * (default 0.2 s, S = 0.5: median 0.18 s, 95th percentile 0.40 s); --mean=0 does not sleep at
 * all (an instant kernel). z is drawn from a seed hashed from every argument, so a trial's time
 * is a function of its hyperparameter values: the same trial sleeps the same time in every run,
 * whatever worker runs it. The FoM, (x-0.3)^2 + (y-0.7)^2, does not depend on the time, so no
 * strategy learns to prefer short (or long) kernels. Either `--x=V` or `--x V` is understood.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unit(uint64_t *state) { return ((splitmix64(state) >> 11) + 0.5) * 0x1.0p-53; } /* (0,1) */

/* The value of option `name` (`--x`): from `--x=V` or `--x V`, else `fallback`. */
static double option(int argc, char **argv, const char *name, double fallback) {
    const size_t n = strlen(name);
    for (int i = 1; i < argc; ++i) {
        if (strncmp(argv[i], name, n) != 0) continue;
        if (argv[i][n] == '=') return strtod(argv[i] + n + 1, NULL);
        if (argv[i][n] == '\0' && i + 1 < argc) return strtod(argv[i + 1], NULL);
    }
    return fallback;
}

int main(int argc, char **argv) {
    const double mean = option(argc, argv, "--mean", 0.2);
    const double sigma = option(argc, argv, "--sigma", 0.5);
    const double x = option(argc, argv, "--x", 0.0);
    const double y = option(argc, argv, "--y", 0.0);
    const int steps = (int)option(argc, argv, "--steps", 1);
    const double fom = (x - 0.3) * (x - 0.3) + (y - 0.7) * (y - 0.7);

    if (mean > 0) {
        uint64_t seed = 1469598103934665603ULL; /* FNV-1a over the arguments, separated by NULs */
        for (int i = 1; i < argc; ++i) {
            for (const char *c = argv[i]; *c; ++c) seed = (seed ^ (unsigned char)*c) * 1099511628211ULL;
            seed *= 1099511628211ULL; /* the NUL between arguments */
        }
        const double u1 = unit(&seed), u2 = unit(&seed);
        const double z = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
        const double seconds = exp(log(mean) - 0.5 * sigma * sigma + sigma * z);
        const int parts = steps > 1 ? steps : 1;
        const double part = seconds / parts;
        for (int i = 1; i <= parts; ++i) {
            struct timespec t = {(time_t)part, (long)((part - floor(part)) * 1e9)};
            while (nanosleep(&t, &t) != 0) {
            }
            if (i < parts) printf("FoM: %.17g\n", fom + 1.0 / i - 1.0 / parts);
            fflush(stdout);
        }
        printf("slept: %.6f\n", seconds);
    } else {
        for (int i = 1; i < steps; ++i) printf("FoM: %.17g\n", fom + 1.0 / i - 1.0 / steps);
    }
    printf("FoM: %.17g\n", fom);
    return 0;
}
