package org.panode.grand;

/**
 * GRAND's settings. {@link #cora()} are those of GRAND's Cora run (Chamberlain et al. 2021, its
 * published best parameters, as the SINODE paper used them): hidden 80, 8 heads with attention
 * dimension 128 (key size 16), T = 18.29, adamax lr 0.0229, weight decay 0.0051, input dropout 0.5,
 * dropout 0.047 before the decoder, 100 epochs; the ODE split for SINODE is imex-rk2 at step 1
 * with GMRES at relative tolerance 1e-4 for the (trivial) implicit stages.
 *
 * @param alpha the initial raw diffusion rate; the rate is sigmoid(alpha) (0 gives 1/2, as GRAND)
 * @param learnAlpha whether alpha is trained (else its gradient is zeroed)
 * @param kspTolerance relative tolerance of the Krylov solves of the implicit stages
 */
public record GrandConfig(int hidden, int heads, int keySize, double time, String method, double step, int epochs,
    double learningRate, double weightDecay, double inputDropout, double dropout, double alpha, boolean learnAlpha,
    double kspTolerance, long seed) {
  public GrandConfig {
    if (hidden < 1 || heads < 1 || keySize < 1 || epochs < 0) {
      throw new IllegalArgumentException("hidden, heads and key size must be >= 1 and epochs >= 0");
    }
    if (!(time > 0) || !(step > 0) || !(learningRate > 0) || !(kspTolerance > 0)) {
      throw new IllegalArgumentException("time, step, learning rate and Krylov tolerance must be positive");
    }
    if (!(weightDecay >= 0) || !(inputDropout >= 0 && inputDropout < 1) || !(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("weight decay must be >= 0 and dropout rates in [0, 1)");
    }
  }

  public static GrandConfig cora() {
    return new GrandConfig(80, 8, 16, 18.294754260552843, "imex-rk2", 1.0, 100, 0.022924849756740397,
        0.00507685443154266, 0.5, 0.046878964627763316, 0.0, true, 1e-4, 1);
  }

  public GrandConfig withRun(String method, double step, int epochs, double learningRate, long seed) {
    return new GrandConfig(hidden, heads, keySize, time, method, step, epochs, learningRate, weightDecay, inputDropout,
        dropout, alpha, learnAlpha, kspTolerance, seed);
  }
}
