package org.panode.train;

import java.util.Locale;

/**
 * A failure injected for tests of the error paths: system property {@code panode.fault} or
 * environment variable {@code PANODE_FAULT} = {@code RANK:EPOCH:BATCH[:uncoordinated|:error]} makes that
 * rank throw in that epoch's batch (1-based), inside its share of the work (the other ranks learn
 * of it through the reduction) or, with {@code uncoordinated}, after the reduction, where they
 * cannot (the job must then be aborted); {@code error} throws an Error (an OutOfMemoryError) instead
 * of an exception, inside the share.
 */
record InjectedFault(int rank, int epoch, int batch, boolean uncoordinated, boolean error) {
  static final InjectedFault CONFIGURED = parse(System.getProperty("panode.fault", System.getenv("PANODE_FAULT")));

  static InjectedFault parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return null;
    }
    String[] f = spec.trim().split(":");
    try {
      String kind = f.length == 4 ? f[3] : "";
      if (f.length < 3 || f.length > 4 || !(kind.isEmpty() || kind.equals("uncoordinated") || kind.equals("error"))) {
        throw new NumberFormatException();
      }
      return new InjectedFault(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), kind.equals("uncoordinated"),
          kind.equals("error"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PANODE_FAULT / panode.fault must be RANK:EPOCH:BATCH[:uncoordinated|:error], not '"
          + spec + "'");
    }
  }

  /** Throws if the configured fault is for this rank, epoch and batch, before or after the reduction. */
  static void check(int rank, int epoch, int batch, boolean afterReduction) {
    InjectedFault f = CONFIGURED;
    if (f != null && f.rank == rank && f.epoch == epoch && f.batch == batch && f.uncoordinated == afterReduction) {
      String message = String.format(Locale.ROOT, "injected fault on rank %d in epoch %d, batch %d%s", rank, epoch, batch,
          afterReduction ? " (after the reduction)" : "");
      if (f.error) {
        throw new OutOfMemoryError(message);
      }
      throw new IllegalStateException(message);
    }
  }
}
