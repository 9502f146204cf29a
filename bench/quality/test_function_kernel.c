/* Search-quality kernel: the analytic test functions, defined once for every tool.
 *
 * usage: test_function_kernel --problem NAME --x0=V --x1=V ...   (or --x0 V)
 * NAME: branin (2-D), hartmann6, ackley5, rosenbrock4, levy6. Prints `FoM: <f(x)>`.
 * Every coordinate must be given once; a missing, repeated or unknown one is an error
 * (exit 2), so a harness that passes the wrong flags cannot go unnoticed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIM 6

static double branin(const double *x) {
    const double pi = 3.14159265358979323846;
    const double b = 5.1 / (4 * pi * pi), c = 5 / pi, t = 1 / (8 * pi);
    const double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
    return u * u + 10 * (1 - t) * cos(x[0]) + 10;
}

static double hartmann6(const double *x) {
    static const double alpha[4] = {1.0, 1.2, 3.0, 3.2};
    static const double A[4][6] = {{10, 3, 17, 3.5, 1.7, 8},
                                   {0.05, 10, 17, 0.1, 8, 14},
                                   {3, 3.5, 1.7, 10, 17, 8},
                                   {17, 8, 0.05, 10, 0.1, 14}};
    static const double P[4][6] = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                                   {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                                   {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                                   {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
    double sum = 0;
    for (int i = 0; i < 4; ++i) {
        double inner = 0;
        for (int j = 0; j < 6; ++j) inner += A[i][j] * (x[j] - P[i][j]) * (x[j] - P[i][j]);
        sum += alpha[i] * exp(-inner);
    }
    return -sum;
}

static double ackley(const double *x, int d) {
    const double pi = 3.14159265358979323846;
    double squares = 0, cosines = 0;
    for (int i = 0; i < d; ++i) {
        squares += x[i] * x[i];
        cosines += cos(2 * pi * x[i]);
    }
    return -20 * exp(-0.2 * sqrt(squares / d)) - exp(cosines / d) + 20 + exp(1.0);
}

static double rosenbrock(const double *x, int d) {
    double sum = 0;
    for (int i = 0; i + 1 < d; ++i)
        sum += 100 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1 - x[i]) * (1 - x[i]);
    return sum;
}

static double levy(const double *x, int d) {
    const double pi = 3.14159265358979323846;
    double w[MAX_DIM];
    for (int i = 0; i < d; ++i) w[i] = 1 + (x[i] - 1) / 4;
    double sum = sin(pi * w[0]) * sin(pi * w[0]);
    for (int i = 0; i + 1 < d; ++i)
        sum += (w[i] - 1) * (w[i] - 1) * (1 + 10 * sin(pi * w[i] + 1) * sin(pi * w[i] + 1));
    const double last = w[d - 1] - 1;
    return sum + last * last * (1 + sin(2 * pi * w[d - 1]) * sin(2 * pi * w[d - 1]));
}

static int fail(const char *message, const char *what) {
    fprintf(stderr, "test_function_kernel: %s%s\n", message, what);
    return 2;
}

int main(int argc, char **argv) {
    const char *problem = NULL;
    double x[MAX_DIM];
    int given[MAX_DIM] = {0};
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (strcmp(arg, "--problem") == 0 && i + 1 < argc) { problem = argv[++i]; continue; }
        if (strncmp(arg, "--problem=", 10) == 0) { problem = arg + 10; continue; }
        if (strncmp(arg, "--x", 3) != 0) return fail("unexpected argument ", arg);
        char *end;
        const long k = strtol(arg + 3, &end, 10);
        if (end == arg + 3 || k < 0 || k >= MAX_DIM) return fail("bad coordinate flag ", arg);
        const char *value;
        if (*end == '=') value = end + 1;
        else if (*end == '\0' && i + 1 < argc) value = argv[++i];
        else return fail("bad coordinate flag ", arg);
        char *vend;
        x[k] = strtod(value, &vend);
        if (vend == value || *vend != '\0') return fail("bad value in ", arg);
        if (given[k]++) return fail("coordinate given twice: ", arg);
    }
    if (!problem) return fail("missing --problem", "");
    static const struct { const char *name; int dim; } problems[] = {
        {"branin", 2}, {"hartmann6", 6}, {"ackley5", 5}, {"rosenbrock4", 4}, {"levy6", 6}};
    int dim = -1;
    for (size_t p = 0; p < sizeof problems / sizeof problems[0]; ++p)
        if (strcmp(problem, problems[p].name) == 0) dim = problems[p].dim;
    if (dim < 0) return fail("unknown problem ", problem);
    for (int k = 0; k < MAX_DIM; ++k)
        if ((k < dim) != (given[k] != 0)) return fail(k < dim ? "missing coordinate for " : "extra coordinate for ", problem);

    double fom;
    if (strcmp(problem, "branin") == 0) fom = branin(x);
    else if (strcmp(problem, "hartmann6") == 0) fom = hartmann6(x);
    else if (strcmp(problem, "ackley5") == 0) fom = ackley(x, dim);
    else if (strcmp(problem, "rosenbrock4") == 0) fom = rosenbrock(x, dim);
    else fom = levy(x, dim);
    printf("FoM: %.17g\n", fom);
    return 0;
}
