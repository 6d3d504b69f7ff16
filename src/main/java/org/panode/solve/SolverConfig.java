package org.panode.solve;

import java.util.Objects;
import org.panode.ode.Checkpointing;
import org.panode.ode.ImplicitProblem;
import org.panode.ode.Method;
import org.panode.ode.Problem;
import org.panode.ode.SplitProblem;
import org.panode.ode.StepControl;
import org.panode.petsc.Comm;

/**
 * How to solve: the method, the step control, the linear solver of implicit stages, how the
 * trajectory is kept for the adjoint, the prefix of the PETSc options that may override all of it
 * (read last, by setFromOptions), and the communicator of the state. Immutable; checked when built
 * and, against a problem, by {@link #check} before any work.
 *
 * <pre>{@code
 * SolverConfig config = SolverConfig.builder(Method.parse("imex-rk2"), StepControl.fixed(0.2))
 *     .linearSolver(LinearSolver.gmres(1e-10)).checkpointing(Checkpointing.stride(5)).optionsPrefix("node_").build();
 * }</pre>
 *
 * @param comm the state's communicator: {@code null} means {@link Comm#self()} (one state per
 *     process; data-parallel training runs one such solve per rank). A distributed state comes with
 *     distributed problems; until then any other communicator is refused.
 */
public record SolverConfig(Method method, StepControl steps, LinearSolver linearSolver, Checkpointing checkpointing,
    String optionsPrefix, Comm comm) {
  public SolverConfig {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(steps, "step control");
    Objects.requireNonNull(linearSolver, "linear solver");
    Objects.requireNonNull(checkpointing, "checkpointing");
    if (optionsPrefix != null && !optionsPrefix.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("an options prefix is letters, digits and '_', starting with a letter (e.g. \"node_\"), got '"
          + optionsPrefix + "'");
    }
  }

  /** Memory checkpointing, direct LU, no prefix, one process. */
  public static SolverConfig of(Method method, StepControl steps) {
    return builder(method, steps).build();
  }

  public static Builder builder(Method method, StepControl steps) {
    return new Builder(method, steps);
  }

  /** This configuration with another step control. */
  public SolverConfig withSteps(StepControl steps) {
    return new SolverConfig(method, steps, linearSolver, checkpointing, optionsPrefix, comm);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(method, steps).linearSolver(linearSolver).checkpointing(checkpointing)
        .optionsPrefix(optionsPrefix).comm(comm);
  }

  /**
   * Checks that the method accepts the problem's structure: a split problem takes every method
   * (IMEX, explicit, implicit), an implicit problem only implicit ones.
   */
  public void check(Problem problem) {
    Objects.requireNonNull(problem, "problem");
    switch (problem) {
      case ImplicitProblem p when method.kind() != Method.Kind.IMPLICIT -> throw new IllegalArgumentException(
          "an implicit problem (M du/dt = f(u)) needs an implicit method: cn, beuler or ts:NAME (e.g. ts:bdf), not " + method
              + " (" + method.kind().toString().toLowerCase(java.util.Locale.ROOT) + "); for an explicit or IMEX method, write the "
              + "problem as a SplitProblem");
      case ImplicitProblem p -> {}
      case SplitProblem p -> {}
    }
    if (checkpointing instanceof Checkpointing.Stride && steps.adaptive()) {
      throw new IllegalArgumentException("stride checkpointing needs fixed steps (PETSc's two-level scheme counts them"
          + " ahead); with adaptive steps use Checkpointing.memory(), disk(dir) or auto()");
    }
    if (comm != null && !comm.isSelf()) {
      throw new IllegalArgumentException("a " + problem.getClass().getSimpleName() + " holds one state per process: use Comm.self() "
          + "(data-parallel training runs one solve per rank); a state distributed over " + comm + " needs a distributed problem");
    }
  }

  /** Builds a {@link SolverConfig}; defaults: direct LU, memory checkpointing, no prefix, Comm.self(). */
  public static final class Builder {
    private final Method method;
    private final StepControl steps;
    private LinearSolver linearSolver = LinearSolver.directLu();
    private Checkpointing checkpointing = Checkpointing.memory();
    private String optionsPrefix;
    private Comm comm;

    private Builder(Method method, StepControl steps) {
      this.method = method;
      this.steps = steps;
    }

    public Builder linearSolver(LinearSolver solver) {
      this.linearSolver = solver;
      return this;
    }

    /**
     * How the forward trajectory is kept for the adjoint. With fixed steps,
     * {@link Checkpointing#stride} needs a step that divides every save interval and uses the
     * largest stride up to the one given that divides the number of steps (see StridePlan).
     */
    public Builder checkpointing(Checkpointing checkpointing) {
      this.checkpointing = checkpointing;
      return this;
    }

    /** The prefix of this solver's PETSc options, e.g. "node_" for -node_ts_type. */
    public Builder optionsPrefix(String prefix) {
      this.optionsPrefix = prefix;
      return this;
    }

    public Builder comm(Comm comm) {
      this.comm = comm;
      return this;
    }

    public SolverConfig build() {
      return new SolverConfig(method, steps, linearSolver, checkpointing, optionsPrefix, comm);
    }
  }
}
