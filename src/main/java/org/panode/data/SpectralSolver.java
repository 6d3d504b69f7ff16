package org.panode.data;

import java.util.function.DoubleUnaryOperator;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * u_t = L u - (u^2/2)_x on a periodic grid of n points (n even) over [0, length): Fourier
 * pseudo-spectral in space, ETDRK4 in time (Cox and Matthews 2002) with the coefficients of
 * Kassam and Trefethen (2005) by a contour integral of {@code contourPoints} points around each
 * h L(k). L is diagonal in Fourier space with a real symbol L(k) of the angular wave number k.
 * Optionally 2/3-rule dealiasing: only modes |m| < n/3 are kept (in the initial spectrum and in
 * every nonlinear term).
 *
 * <p>Spectra use JTransforms' packed real layout: v[0] = mode 0, v[1] = the real Nyquist mode,
 * v[2m], v[2m+1] = real and imaginary parts of mode m. Not thread-safe (scratch arrays).
 */
final class SpectralSolver {
  private final int n;
  private final double step;
  private final int kept;
  private final DoubleFFT_1D fft;
  /** Per packed entry: the wave number of the derivative (0 at the Nyquist mode) and the dealiasing mask. */
  private final double[] derivative;
  private final double[] e, e2, q, f1, f2, f3;
  private final double[] nv, na, nb, nc, a, b, c, work;

  SpectralSolver(int n, double length, DoubleUnaryOperator symbol, boolean dealias, double step, int contourPoints) {
    if (n < 4 || n % 2 != 0) {
      throw new IllegalArgumentException("the grid needs an even number of points >= 4, got " + n);
    }
    if (!(step > 0) || !(length > 0) || contourPoints < 2) {
      throw new IllegalArgumentException("need step > 0, length > 0 and >= 2 contour points");
    }
    this.n = n;
    this.step = step;
    this.fft = new DoubleFFT_1D(n);
    this.kept = dealias ? (n - 1) / 3 : n / 2;
    derivative = new double[n];
    double[] linear = new double[n];
    for (int m = 0; m < n / 2; m++) {
      double k = 2 * Math.PI * m / length;
      if (m > 0) { // at m = 0, index 1 holds the Nyquist mode
        linear[2 * m + 1] = linear[2 * m] = symbol.applyAsDouble(k);
        if (m <= kept) {
          derivative[2 * m] = k;
          derivative[2 * m + 1] = k;
        }
      }
    }
    linear[0] = symbol.applyAsDouble(0);
    linear[1] = symbol.applyAsDouble(Math.PI * n / length);
    e = new double[n];
    e2 = new double[n];
    q = new double[n];
    f1 = new double[n];
    f2 = new double[n];
    f3 = new double[n];
    for (int i = 0; i < n; i++) {
      double hl = step * linear[i];
      e[i] = Math.exp(hl);
      e2[i] = Math.exp(hl / 2);
      double[] means = contourMeans(hl, contourPoints);
      q[i] = step * means[0];
      f1[i] = step * means[1];
      f2[i] = step * means[2];
      f3[i] = step * means[3];
    }
    nv = new double[n];
    na = new double[n];
    nb = new double[n];
    nc = new double[n];
    a = new double[n];
    b = new double[n];
    c = new double[n];
    work = new double[n];
  }

  double step() {
    return step;
  }

  /** The packed spectrum of grid values (a new array). */
  double[] spectrum(double[] u) {
    if (u.length != n) {
      throw new IllegalArgumentException("expected " + n + " grid values, got " + u.length);
    }
    double[] v = u.clone();
    fft.realForward(v);
    for (int i = 2 * kept + 2; i < n; i++) {
      v[i] = 0;
    }
    if (kept < n / 2) {
      v[1] = 0;
    }
    return v;
  }

  /** The grid values of a packed spectrum (a new array). */
  double[] values(double[] v) {
    double[] u = v.clone();
    fft.realInverse(u, true);
    return u;
  }

  /**
   * Advances the packed spectrum v by {@code steps} ETDRK4 steps, in place. A state that stops
   * being finite (the step is too large for the explicit nonlinear part) is an IllegalStateException.
   */
  void advance(double[] v, int steps) {
    for (int s = 0; s < steps; s++) {
      step(v);
    }
    for (double x : v) {
      if (!Double.isFinite(x)) {
        throw new IllegalStateException("the spectral solver blew up (NaN or Inf) at step size " + step
            + "; use a smaller step");
      }
    }
  }

  private void step(double[] v) {
    nonlinear(v, nv);
    for (int i = 0; i < n; i++) {
      a[i] = e2[i] * v[i] + q[i] * nv[i];
    }
    nonlinear(a, na);
    for (int i = 0; i < n; i++) {
      b[i] = e2[i] * v[i] + q[i] * na[i];
    }
    nonlinear(b, nb);
    for (int i = 0; i < n; i++) {
      c[i] = e2[i] * a[i] + q[i] * (2 * nb[i] - nv[i]);
    }
    nonlinear(c, nc);
    for (int i = 0; i < n; i++) {
      v[i] = e[i] * v[i] + nv[i] * f1[i] + 2 * (na[i] + nb[i]) * f2[i] + nc[i] * f3[i];
    }
  }

  /** out = the packed spectrum of -(u^2/2)_x for the packed spectrum v of u (dealiased if asked). */
  private void nonlinear(double[] v, double[] out) {
    System.arraycopy(v, 0, work, 0, n);
    fft.realInverse(work, true);
    for (int i = 0; i < n; i++) {
      work[i] *= work[i];
    }
    fft.realForward(work);
    // -(1/2) i k (re + i im) = (k im / 2) + i (-k re / 2)
    for (int m = 1; m < n / 2; m++) {
      double re = work[2 * m], im = work[2 * m + 1];
      out[2 * m] = 0.5 * derivative[2 * m] * im;
      out[2 * m + 1] = -0.5 * derivative[2 * m + 1] * re;
    }
    out[0] = 0;
    out[1] = 0;
  }

  /**
   * The means over the contour z = x + exp(i pi (j - 1/2) / M), j = 1..M, of the real parts of
   * (e^{z/2} - 1)/z, (-4 - z + e^z (4 - 3z + z^2))/z^3, (2 + z + e^z (z - 2))/z^3 and
   * (-4 - 3z - z^2 + e^z (4 - z))/z^3: the ETDRK4 functions at the real x without cancellation.
   */
  private static double[] contourMeans(double x, int points) {
    double[] sum = new double[4];
    for (int j = 1; j <= points; j++) {
      double angle = Math.PI * (j - 0.5) / points;
      Complex z = new Complex(x + Math.cos(angle), Math.sin(angle));
      Complex ez = z.exp(), ez2 = z.scale(0.5).exp(), z2 = z.times(z), z3 = z2.times(z);
      sum[0] += ez2.plus(-1).divide(z).re();
      sum[1] += z.scale(-1).plus(-4).add(ez.times(z.scale(-3).plus(4).add(z2))).divide(z3).re();
      sum[2] += z.plus(2).add(ez.times(z.plus(-2))).divide(z3).re();
      sum[3] += z.scale(-3).plus(-4).add(z2.scale(-1)).add(ez.times(z.scale(-1).plus(4))).divide(z3).re();
    }
    for (int k = 0; k < 4; k++) {
      sum[k] /= points;
    }
    return sum;
  }

  private record Complex(double re, double im) {
    Complex add(Complex o) {
      return new Complex(re + o.re, im + o.im);
    }

    Complex plus(double x) {
      return new Complex(re + x, im);
    }

    Complex scale(double x) {
      return new Complex(re * x, im * x);
    }

    Complex times(Complex o) {
      return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    Complex divide(Complex o) {
      double d = o.re * o.re + o.im * o.im;
      return new Complex((re * o.re + im * o.im) / d, (im * o.re - re * o.im) / d);
    }

    Complex exp() {
      double r = Math.exp(re);
      return new Complex(r * Math.cos(im), r * Math.sin(im));
    }
  }
}
