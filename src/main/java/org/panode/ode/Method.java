package org.panode.ode;

import java.util.List;
import java.util.Locale;

/**
 * A time-integration method by name, and how it treats a split problem: IMEX (G explicit, J
 * implicit: PETSc ARKIMEX), EXPLICIT (everything explicit: PETSc RK) or IMPLICIT (everything
 * implicit: PETSc theta methods or another TS type).
 */
public record Method(String name, Kind kind, String petscType, String tableau) {
  public enum Kind { IMEX, EXPLICIT, IMPLICIT }

  /** ARKIMEX tableaus PETSc 3.22 registers. */
  public static final List<String> ARKIMEX_TYPES =
      List.of("1bee", "a2", "l2", "ars122", "2c", "2d", "2e", "prssp2", "3", "bpr3", "ars443", "4", "5");
  private static final List<String> RK_TYPES = List.of("1fe", "2a", "2b", "3", "3bs", "4", "5f", "5dp", "5bs", "6vr", "7vr", "8vr");
  private static final List<String> ALIASES = List.of("imex-rk2", "imex-rk3", "imex-rk4", "imex-rk5", "rk4", "dopri5",
      "euler", "cn", "beuler", "arkimex-<type>", "rk-<type>", "ts:<petsc type>");

  /**
   * Parses a method name: imex-rk2 (ARKIMEX l2), imex-rk3 (3), imex-rk4 (4), imex-rk5 (5), any
   * ARKIMEX tableau by itself or as arkimex-TYPE, rk4, dopri5 (RK 5dp), euler (RK 1fe), rk-TYPE,
   * cn, beuler, or ts:NAME for any other PETSc TS type (treated as fully implicit).
   */
  public static Method parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "imex-rk2" -> imex(n, "l2");
      case "imex-rk3" -> imex(n, "3");
      case "imex-rk4" -> imex(n, "4");
      case "imex-rk5" -> imex(n, "5");
      case "rk4" -> new Method(n, Kind.EXPLICIT, "rk", "4");
      case "dopri5" -> new Method(n, Kind.EXPLICIT, "rk", "5dp");
      case "euler" -> new Method(n, Kind.EXPLICIT, "rk", "1fe");
      case "cn" -> new Method(n, Kind.IMPLICIT, "cn", null);
      case "beuler" -> new Method(n, Kind.IMPLICIT, "beuler", null);
      default -> {
        if (n.startsWith("arkimex-") && ARKIMEX_TYPES.contains(n.substring(8))) {
          yield imex(n, n.substring(8));
        }
        if (ARKIMEX_TYPES.contains(n)) {
          yield imex("arkimex-" + n, n);
        }
        if (n.startsWith("rk-") && RK_TYPES.contains(n.substring(3))) {
          yield new Method(n, Kind.EXPLICIT, "rk", n.substring(3));
        }
        if (n.startsWith("ts:") && n.length() > 3) {
          yield new Method(n, Kind.IMPLICIT, n.substring(3), null);
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", ALIASES)
            + "; ARKIMEX types: " + String.join(", ", ARKIMEX_TYPES) + "; RK types: " + String.join(", ", RK_TYPES));
      }
    };
  }

  private static Method imex(String name, String tableau) {
    return new Method(name, Kind.IMEX, "arkimex", tableau);
  }

  @Override
  public String toString() {
    return name;
  }
}
