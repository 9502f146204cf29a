/* The analytic test functions of the benchmarks and tests, defined once: the search-quality
 * kernel (test_function_kernel.c), bench/bayes_proposal_bench.cpp and tests/unit/test_bayes.cpp
 * include this header (C and C++ alike). Each takes the point in its native domain:
 *   branin      (2-D)  [-5,10] x [0,15]     minimum 0.397887 (three of them)
 *   hartmann6   (6-D)  [0,1]^6              minimum -3.32237
 *   ackley      (d-D)  [-32.768,32.768]^d   minimum 0 at the origin
 *   rosenbrock  (d-D)  [-5,10]^d            minimum 0 at (1, ..., 1)
 *   levy        (d-D)  [-10,10]^d           minimum 0 at (1, ..., 1)
 *   poly7       (7-D)  [-10,10]^7           the seed's hello-world: the coefficients c0..c6 of
 *                      c0 + c1 x + ... + c6 x^6 fitted to sin(x); the sum of squared errors at
 *                      HPO_POLY7_POINTS evenly spaced points of [-pi, pi]; minimum about 1e-5
 * d is at most HPO_TEST_FUNCTION_MAX_DIM. */
#ifndef HPO_BENCH_TEST_FUNCTIONS_H
#define HPO_BENCH_TEST_FUNCTIONS_H

#include <math.h>

#define HPO_TEST_FUNCTION_MAX_DIM 7
#define HPO_POLY7_POINTS 50
#define HPO_BRANIN_MIN 0.397887
#define HPO_HARTMANN6_MIN (-3.32237)

static inline double hpo_branin(const double *x) {
    const double pi = 3.14159265358979323846;
    const double b = 5.1 / (4 * pi * pi), c = 5 / pi, t = 1 / (8 * pi);
    const double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
    return u * u + 10 * (1 - t) * cos(x[0]) + 10;
}

static inline double hpo_hartmann6(const double *x) {
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

static inline double hpo_ackley(const double *x, int d) {
    const double pi = 3.14159265358979323846;
    double squares = 0, cosines = 0;
    for (int i = 0; i < d; ++i) {
        squares += x[i] * x[i];
        cosines += cos(2 * pi * x[i]);
    }
    return -20 * exp(-0.2 * sqrt(squares / d)) - exp(cosines / d) + 20 + exp(1.0);
}

static inline double hpo_rosenbrock(const double *x, int d) {
    double sum = 0;
    for (int i = 0; i + 1 < d; ++i)
        sum += 100 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1 - x[i]) * (1 - x[i]);
    return sum;
}

static inline double hpo_levy(const double *x, int d) {
    const double pi = 3.14159265358979323846;
    double w[HPO_TEST_FUNCTION_MAX_DIM];
    for (int i = 0; i < d; ++i) w[i] = 1 + (x[i] - 1) / 4;
    double sum = sin(pi * w[0]) * sin(pi * w[0]);
    for (int i = 0; i + 1 < d; ++i)
        sum += (w[i] - 1) * (w[i] - 1) * (1 + 10 * sin(pi * w[i] + 1) * sin(pi * w[i] + 1));
    const double last = w[d - 1] - 1;
    return sum + last * last * (1 + sin(2 * pi * w[d - 1]) * sin(2 * pi * w[d - 1]));
}

static inline double hpo_poly7(const double *c) {
    const double pi = 3.14159265358979323846;
    double sum = 0;
    for (int k = 0; k < HPO_POLY7_POINTS; ++k) {
        const double x = -pi + 2 * pi * k / (HPO_POLY7_POINTS - 1);
        double value = 0;
        for (int j = 6; j >= 0; --j) value = value * x + c[j];  /* Horner */
        const double error = value - sin(x);
        sum += error * error;
    }
    return sum;
}

#endif
