package org.panode.solve;

/** The solution became NaN or Inf: the method is unstable at this step, or the model blew up. */
public final class SolutionDivergedException extends RuntimeException {
  public SolutionDivergedException(String message, Throwable cause) {
    super(message, cause);
  }
}
