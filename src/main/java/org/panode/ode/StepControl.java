package org.panode.ode;

/** Fixed steps of size h, or adaptive steps starting at h with error tolerances. */
public record StepControl(double initialStep, boolean adaptive, double absoluteTolerance, double relativeTolerance) {
  public StepControl {
    if (!(initialStep > 0) || !Double.isFinite(initialStep)) {
      throw new IllegalArgumentException("the step must be positive and finite, got " + initialStep);
    }
  }

  public static StepControl fixed(double step) {
    return new StepControl(step, false, 0, 0);
  }

  public static StepControl adaptive(double initialStep, double atol, double rtol) {
    return new StepControl(initialStep, true, atol, rtol);
  }
}
