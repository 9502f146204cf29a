/* Search-quality kernel: the analytic test functions (test_functions.h) as a program.
 *
 * usage: test_function_kernel --problem NAME --x0=V --x1=V ...   (or --x0 V)
 * NAME: branin (2-D), hartmann6, ackley5, rosenbrock4, levy6, poly7. Prints `FoM: <f(x)>`.
 * Every coordinate must be given once; a missing, repeated or unknown one is an error
 * (exit 2), so a harness that passes the wrong flags cannot go unnoticed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_functions.h"

#define MAX_DIM HPO_TEST_FUNCTION_MAX_DIM

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
        {"branin", 2}, {"hartmann6", 6}, {"ackley5", 5}, {"rosenbrock4", 4}, {"levy6", 6}, {"poly7", 7}};
    int dim = -1;
    for (size_t p = 0; p < sizeof problems / sizeof problems[0]; ++p)
        if (strcmp(problem, problems[p].name) == 0) dim = problems[p].dim;
    if (dim < 0) return fail("unknown problem ", problem);
    for (int k = 0; k < MAX_DIM; ++k)
        if ((k < dim) != (given[k] != 0)) return fail(k < dim ? "missing coordinate for " : "extra coordinate for ", problem);

    double fom;
    if (strcmp(problem, "branin") == 0) fom = hpo_branin(x);
    else if (strcmp(problem, "hartmann6") == 0) fom = hpo_hartmann6(x);
    else if (strcmp(problem, "ackley5") == 0) fom = hpo_ackley(x, dim);
    else if (strcmp(problem, "rosenbrock4") == 0) fom = hpo_rosenbrock(x, dim);
    else if (strcmp(problem, "levy6") == 0) fom = hpo_levy(x, dim);
    else fom = hpo_poly7(x);
    printf("FoM: %.17g\n", fom);
    return 0;
}
